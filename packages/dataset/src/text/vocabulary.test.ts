import { AnnetError } from '@annet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Vocabulary } from './vocabulary.js';

const distinctTokens = fc.uniqueArray(
  fc.string({ minLength: 1, maxLength: 4 }).filter((token) => token !== '<pad>' && token !== '<unk>'),
  { maxLength: 30 },
);

describe('Vocabulary', () => {
  it('reserves id 0 for padding and id 1 for unknown, then numbers the tokens in order', () => {
    const vocabulary = new Vocabulary(['the', 'cat'], { tokenizer: 'word' });
    expect(vocabulary.tokens).toEqual(['<pad>', '<unk>', 'the', 'cat']);
    expect([vocabulary.paddingId, vocabulary.unknownId, vocabulary.size]).toEqual([0, 1, 4]);
    expect(vocabulary.idOf('cat')).toBe(3);
    expect(vocabulary.idOf('dog')).toBe(1);
    expect(vocabulary.tokenOf(2)).toBe('the');
  });

  it('without reserved ids numbers the tokens from 0 and refuses an unseen token', () => {
    const vocabulary = new Vocabulary(['a', 'b'], { tokenizer: 'character', padding: false, unknown: false });
    expect([vocabulary.paddingId, vocabulary.unknownId, vocabulary.idOf('b')]).toEqual([null, null, 1]);
    expect(() => vocabulary.idOf('z')).toThrow(
      /"z" is not in the character vocabulary of 2 tokens, which has no unknown token/,
    );
  });

  it('round-trips through JSON for any distinct tokens and reserved-id choice', () => {
    fc.assert(
      fc.property(distinctTokens, fc.boolean(), fc.boolean(), fc.boolean(), (tokens, padding, unknown, lowercase) => {
        const vocabulary = new Vocabulary(tokens, { tokenizer: 'word', padding, unknown, lowercase });
        const loaded = Vocabulary.fromJSON(JSON.parse(JSON.stringify(vocabulary)), { tokenizer: 'word' });
        expect(loaded.tokens).toEqual(vocabulary.tokens);
        expect([loaded.paddingId, loaded.unknownId, loaded.lowercase]).toEqual([
          vocabulary.paddingId,
          vocabulary.unknownId,
          lowercase,
        ]);
        for (const token of tokens) expect(loaded.idOf(token)).toBe(vocabulary.idOf(token));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a vocabulary of another tokenizer kind with a typed error', () => {
    const saved = new Vocabulary(['a'], { tokenizer: 'character' }).toJSON();
    let caught: unknown;
    try {
      Vocabulary.fromJSON(saved, { tokenizer: 'word' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AnnetError);
    expect((caught as AnnetError).code).toBe('INVALID_STATE');
    expect((caught as AnnetError).message).toBe(
      'Vocabulary.fromJSON: the vocabulary belongs to a character tokenizer, not a word tokenizer; load it with the CharacterTokenizer',
    );
  });

  it('refuses malformed JSON naming the field', () => {
    const good = new Vocabulary(['a', 'b'], { tokenizer: 'word' }).toJSON();
    expect(() => Vocabulary.fromJSON(null)).toThrow(/got null/);
    expect(() => Vocabulary.fromJSON({ ...good, format: 'x' })).toThrow(/format is "x"/);
    expect(() => Vocabulary.fromJSON({ ...good, version: 2 })).toThrow(/version 2 is not supported/);
    expect(() => Vocabulary.fromJSON({ ...good, padding: 'yes' })).toThrow(/padding must be a boolean/);
    expect(() => Vocabulary.fromJSON({ ...good, tokens: ['a', 'a'] })).toThrow(
      /Vocabulary.fromJSON: token "a" appears twice/,
    );
    expect(() => Vocabulary.fromJSON({ ...good, tokens: ['<pad>'] })).toThrow(/appears twice/);
    expect(() => Vocabulary.fromJSON({ ...good, tokens: [3] })).toThrow(/must be a non-empty string/);
  });

  it('refuses an id outside the vocabulary', () => {
    const vocabulary = new Vocabulary(['a'], { tokenizer: 'word' });
    expect(() => vocabulary.tokenOf(3)).toThrow(
      "Vocabulary.tokenOf: token id 3 is outside the vocabulary's range [0, 3)",
    );
    expect(() => vocabulary.tokenOf(-1)).toThrow(/outside/);
    expect(() => vocabulary.tokenOf(1.5)).toThrow(/outside/);
  });
});
