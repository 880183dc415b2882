import type { JsonObject } from '@annet/layer-api';
import { AnnetError } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint } from './decode.js';
import { encodeCheckpoint } from './encode.js';
import { sampleCheckpoint } from './test-checkpoints.js';

/** The extra document `fit` writes mid-epoch (see @annet/model's captureCheckpoint). */
const midEpoch = (): JsonObject => ({
  fit: { seed: 1, batchSize: 32, epochs: 3 },
  training: {
    midEpoch: true,
    batch: 4,
    samplesInEpoch: 128,
    batchLoss: 0.5,
    epochLoss: { sum: 70.5, weight: 128 },
    metrics: { accuracy: { correct: 60, total: 128 } },
  },
  callbacks: { history: {}, modelCheckpoint: { saved: ['a.ckpt'], best: null } },
});

/** A checkpoint with valid checksums whose `extra` is `extra`, decoded. */
const decodeWith = (extra: JsonObject) =>
  decodeCheckpoint(encodeCheckpoint({ ...sampleCheckpoint(3), extra }), { source: 'run/model.ckpt' });

function refusal(extra: JsonObject): AnnetError {
  try {
    decodeWith(extra);
  } catch (error) {
    expect(error).toBeInstanceOf(AnnetError);
    expect((error as AnnetError).code).toBe('PARSE_ERROR');
    return error as AnnetError;
  }
  throw new Error('expected the checkpoint to be refused');
}

describe('the training record in a checkpoint with valid checksums', () => {
  it('refuses extra.training.epochLoss: null, naming the field', () => {
    const extra = { ...midEpoch(), training: { ...(midEpoch().training as JsonObject), epochLoss: null } };
    expect(refusal(extra).message).toBe(
      "decodeCheckpoint: run/model.ckpt: extra.training.epochLoss must be { sum, weight } (the running loss of the epoch), got null (the checkpoint's checksums hold, but this field was not written by fit)",
    );
  });

  it('refuses every other wrong-typed field of extra.training, extra.fit and extra.callbacks, naming it', () => {
    const cases: Array<[string, (extra: Record<string, Record<string, unknown>>) => void, string]> = [
      ['training', (extra) => (extra.training = 'x' as never), 'extra.training must be an object, got the string "x"'],
      ['midEpoch', (extra) => (extra.training.midEpoch = 1), 'extra.training.midEpoch must be a boolean, got number 1'],
      [
        'batch',
        (extra) => (extra.training.batch = -1),
        'extra.training.batch must be a non-negative integer, got number -1',
      ],
      [
        'samplesInEpoch',
        (extra) => delete extra.training.samplesInEpoch,
        'extra.training.samplesInEpoch must be a non-negative integer, got nothing (the field is missing)',
      ],
      [
        'batchLoss',
        (extra) => (extra.training.batchLoss = 'high'),
        'extra.training.batchLoss must be a finite number or null, got the string "high"',
      ],
      [
        'epochLoss.sum',
        (extra) => (extra.training.epochLoss = { sum: null, weight: 1 }),
        'extra.training.epochLoss.sum must be a finite number, got null',
      ],
      [
        'epochLoss.weight',
        (extra) => (extra.training.epochLoss = { sum: 1, weight: -2 }),
        'extra.training.epochLoss.weight must be a finite number >= 0, got number -2',
      ],
      [
        'metrics',
        (extra) => (extra.training.metrics = [1]),
        'extra.training.metrics must be an object of metric states by name, got an array of length 1',
      ],
      [
        'metrics.accuracy',
        (extra) => (extra.training.metrics = { accuracy: 3 }),
        'extra.training.metrics.accuracy must be an object, got number 3',
      ],
      [
        'fit',
        (extra) => (extra.fit = [] as never),
        'extra.fit must be an object of run settings, got an array of length 0',
      ],
      [
        'fit.batchSize',
        (extra) => (extra.fit.batchSize = 0),
        'extra.fit.batchSize must be a positive integer, got number 0',
      ],
      ['fit.seed', (extra) => (extra.fit.seed = 1.5), 'extra.fit.seed must be an integer, got number 1.5'],
      [
        'fit.epochs',
        (extra) => (extra.fit.epochs = '3'),
        'extra.fit.epochs must be a non-negative integer, got the string "3"',
      ],
      [
        'callbacks',
        (extra) => (extra.callbacks = null as never),
        'extra.callbacks must be an object of callback states by name, got null',
      ],
      [
        'callbacks.history',
        (extra) => (extra.callbacks.history = null),
        'extra.callbacks.history must be an object, got null',
      ],
    ];
    for (const [field, spoil, expected] of cases) {
      const extra = midEpoch() as Record<string, Record<string, unknown>>;
      spoil(extra);
      expect(refusal(extra as JsonObject).message, field).toContain(expected);
    }
  });

  it('reads what fit writes, mid-epoch and at an epoch end, other extra fields and no extra at all', () => {
    expect(decodeWith(midEpoch()).extra).toEqual(midEpoch());
    const atEnd = {
      ...midEpoch(),
      training: { midEpoch: false },
      note: 'kept as it is',
      fit: { seed: 1, batchSize: 32, epochs: 3, shift: 2 },
    };
    expect(decodeWith(atEnd).extra).toEqual(atEnd);
    expect(
      decodeWith({ ...midEpoch(), training: { ...(midEpoch().training as JsonObject), batchLoss: null } }).extra
        ?.training,
    ).toMatchObject({ batchLoss: null });
    expect(decodeCheckpoint(encodeCheckpoint(sampleCheckpoint(3))).extra).toBeUndefined();
  });
});
