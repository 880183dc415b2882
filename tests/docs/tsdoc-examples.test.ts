import { describe, expect, it } from 'vitest';
import { checkTsdocExamples } from './tsdoc.ts';

describe('TSDoc @examples', () => {
  it('type-check against the real API (strict settings; undefined placeholders such as x and dy count as any)', () => {
    const { examples, errors } = checkTsdocExamples();
    process.stdout.write(`docs: ${examples} TSDoc @examples type-checked, ${errors.length} errors\n`);
    expect(examples).toBeGreaterThan(100);
    expect(errors).toEqual([]);
  }, 600_000);
});
