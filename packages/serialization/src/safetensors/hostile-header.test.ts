import { AnnetError } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../checkpoint/decode.js';
import { decodeSafetensors } from './decode.js';
import { safetensorsFile } from './test-fixtures.js';

/** JSON arrays nested `levels` deep: `[[[…]]]`. */
const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

/** The AnnetError `run` throws (fails the test for a RangeError or anything else). */
function refusal(run: () => unknown): AnnetError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AnnetError);
    return error as AnnetError;
  }
  throw new Error('expected an AnnetError, nothing was thrown');
}

describe('hostile safetensors headers', () => {
  const deep = nested(100_000);
  const headers: Array<[string, string]> = [
    ['shape', `{"w":{"dtype":"F32","shape":${deep},"data_offsets":[0,0]}}`],
    ['data_offsets', `{"w":{"dtype":"F32","shape":[0],"data_offsets":${deep}}}`],
    ['a metadata value', `{"__metadata__":{"format":${deep}}}`],
    ['dtype', `{"w":{"dtype":${deep},"shape":[0],"data_offsets":[0,0]}}`],
    ['an unknown entry field', `{"w":{"dtype":"F32","shape":[0],"data_offsets":[0,0],"note":${deep}}}`],
  ];
  for (const [where, header] of headers) {
    it(`nested 100,000 levels deep in ${where}: a PARSE_ERROR from decodeSafetensors and decodeCheckpoint, not a stack overflow`, () => {
      for (const decode of [decodeSafetensors, decodeCheckpoint]) {
        const error = refusal(() => decode(safetensorsFile(header), { source: 'hostile.safetensors' }));
        expect(error.code).toBe('PARSE_ERROR');
        expect(error.message).toMatch(
          /^decode(Safetensors|Checkpoint): hostile\.safetensors: the header nests more than 16 levels deep \(the format needs 3/,
        );
      }
    });
  }

  it('prints wrong shapes, offsets, dtypes and metadata values in bounded form', () => {
    const message = (header: string) => refusal(() => decodeSafetensors(safetensorsFile(header))).message;
    expect(message(`{"w":{"dtype":"F32","shape":[[1]],"data_offsets":[0,0]}}`)).toBe(
      "decodeSafetensors: <bytes>: tensor 'w': shape must be an array of at most 64 non-negative integers, got an array of length 1",
    );
    expect(message(`{"w":{"dtype":"F32","shape":[2,-1],"data_offsets":[0,0]}}`)).toContain('got [2,-1]');
    expect(message(`{"w":{"dtype":"F32","shape":[0],"data_offsets":{"a":1}}}`)).toContain(
      'data_offsets must be [begin, end] with 0 <= begin <= end, got an object',
    );
    expect(message(`{"w":{"dtype":"${'X'.repeat(1000)}","shape":[0],"data_offsets":[0,0]}}`)).toContain(
      `unknown dtype "${'X'.repeat(40)}…"`,
    );
    expect(message(`{"__metadata__":{"a":[1]}}`)).toBe(
      "decodeSafetensors: <bytes>: __metadata__ values must be strings, but 'a' is [1]",
    );
    const longName = 'n'.repeat(100_000);
    expect(message(`{"${longName}":{"dtype":"F32","shape":[1],"data_offsets":[0,0]}}`).length).toBeLessThan(300);
  });

  it('still reads headers at the depth the format needs', () => {
    const { tensors } = decodeSafetensors(
      safetensorsFile(
        '{"w":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"__metadata__":{"a":"b"}}',
        new Uint8Array(4),
      ),
    );
    expect(tensors.w.shape).toEqual([1, 1]);
  });
});
