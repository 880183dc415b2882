import { UsageError } from '../errors.js';

/**
 * Refuses a `--prompt` holding characters the vocabulary does not have, naming them (the model
 * has no id for them, so it cannot read them).
 *
 * @example
 * checkPromptCharacters('Hello ☃', vocabulary, 64); // throws: --prompt has characters outside the vocabulary: "☃"
 */
export function checkPromptCharacters(prompt: string, vocabulary: string, blockSize: number): void {
  if (Array.from(prompt).length > blockSize)
    throw new UsageError(
      `--prompt has ${Array.from(prompt).length} characters but the model reads at most ${blockSize} (its block size); shorten it or raise --block-size`,
    );
  if (prompt.length === 0)
    throw new UsageError('--prompt must not be empty (the model needs at least one character to continue)');
  const unknown = [...new Set(Array.from(prompt).filter((character) => !vocabulary.includes(character)))];
  if (unknown.length > 0)
    throw new UsageError(
      `--prompt has characters outside the vocabulary of the corpus: ${JSON.stringify(unknown.join(''))}; use only characters of the training text`,
    );
}
