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
    expect(() => parseJsonLines('{"a":1}\n\n{"a":\n', { source: 'rows.jsonl' })).toThrow(/parseJsonLines: rows.jsonl line 3: malformed JSON/);
    await expect(collect(streamJsonLines(['[1]\n', '[2\n'], { source: 's.jsonl' }))).rejects.toThrow(/streamJsonLines: s.jsonl line 2: malformed JSON/);
  });
});
