import { describe, expect, it } from 'vitest';
import { parseJsonLines, streamJsonLines } from './json-lines.js';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of source) values.push(value);
  return values;
}

describe('JSON lines', () => {
  it('parses one value per line, skipping blank lines, from strings and bytes', () => {
    const text = '{"x":[1,2],"y":0}\r\n\n  \n[3]\n"s"\n42';
    expect(parseJsonLines(text)).toEqual([{ x: [1, 2], y: 0 }, [3], 's', 42]);
    expect(parseJsonLines(new TextEncoder().encode('\uFEFF{"a":1}\n'))).toEqual([{ a: 1 }]);
  });

  it('streams values from chunks cut anywhere, even inside a character', async () => {
    const bytes = new TextEncoder().encode('{"name":"Zoë"}\n{"name":"Åsa"}\n');
    async function* chunks() {
      for (let start = 0; start < bytes.length; start += 3) yield bytes.subarray(start, start + 3);
    }
    expect(await collect(streamJsonLines(chunks()))).toEqual([{ name: 'Zoë' }, { name: 'Åsa' }]);
    expect(await collect(streamJsonLines('1\n2'))).toEqual([1, 2]);
  });

  it('names the source and line of malformed JSON', async () => {
    expect(() => parseJsonLines('{"a":1}\n\n{"a":\n', { source: 'rows.jsonl' })).toThrow(
      /parseJsonLines: rows.jsonl line 3: malformed JSON/,
    );
    await expect(collect(streamJsonLines(['[1]\n', '[2\n'], { source: 's.jsonl' }))).rejects.toThrow(
      /streamJsonLines: s.jsonl line 2: malformed JSON/,
    );
  });
});

describe('JSON lines bound their line length', () => {
  it('stops a stream without line breaks after maxLineLength characters, naming the line', async () => {
    let pulled = 0;
    async function* endless() {
      yield '{"a":1}\n';
      for (let index = 0; index < 1000; index++) {
        pulled++;
        yield 'x'.repeat(1 << 16);
      }
    }
    await expect(collect(streamJsonLines(endless(), { source: 'big.jsonl', maxLineLength: 1 << 20 }))).rejects.toThrow(
      'streamJsonLines: big.jsonl line 2: the line is longer than maxLineLength (1048576 characters); raise maxLineLength for longer lines',
    );
    // 16 chunks of 64 KiB fill 1 MiB exactly; the 17th passes it: 17 of 1,000 chunks were read.
    expect(pulled).toBe(17);
  });

  it('refuses a too long line in a whole input, reads lines up to the bound, and refuses bad bounds', () => {
    expect(() => parseJsonLines('[1]\n[1,2,3]\n', { maxLineLength: 5 })).toThrow(
      'parseJsonLines: input line 2: the line is longer than maxLineLength (5 characters)',
    );
    expect(parseJsonLines('[1,2]\r\n[3]', { maxLineLength: 5 })).toEqual([[1, 2], [3]]);
    expect(() => parseJsonLines('1', { maxLineLength: 0 })).toThrow(
      'parseJsonLines: input: maxLineLength must be a positive integer, got 0',
    );
  });
});
