import type { Checkpoint } from '@annet/serialization';
import { RuntimeError } from '../errors.js';

/**
 * What a text checkpoint records about its data beside `fit`'s own checks (runSettings): the
 * vocabulary's characters in id order, the corpus slice and the model's shape.
 *
 * @example
 * const settings: TextRunSettings = { task: 'text', vocabulary: '\n !…', characters: null, blockSize: 64, layers: 4, heads: 4, embedding: 128, schedule: 'constant', iterations: 2000 };
 */
export type TextRunSettings = {
  readonly task: 'text';
  readonly vocabulary: string;
  readonly characters: number | null;
  readonly blockSize: number;
  readonly layers: number;
  readonly heads: number;
  readonly embedding: number;
  readonly schedule: string;
  readonly iterations: number;
};

/**
 * Refuses a `--resume` checkpoint that is not a text run or was trained on another vocabulary or
 * model shape, naming the difference and the file (before `fit` compares weights, whose shapes
 * would then differ too and make a less useful message).
 *
 * @example
 * checkTextResume(checkpoint, 'run.ckpt', runSettings);
 */
export function checkTextResume(checkpoint: Checkpoint, file: string, settings: TextRunSettings): void {
  const recorded =
    (checkpoint.extra as { fit?: { runSettings?: Partial<TextRunSettings> } } | undefined)?.fit?.runSettings ?? {};
  if (recorded.task !== 'text')
    throw new RuntimeError(
      `--resume ${file}: the checkpoint is not from --task text (it records task ${JSON.stringify(recorded.task ?? 'mnist')}); resume it with its own task's flags`,
    );
  if (recorded.vocabulary !== settings.vocabulary) {
    const size = recorded.vocabulary?.length ?? 0;
    const missing = Array.from(settings.vocabulary).filter((character) => !recorded.vocabulary?.includes(character));
    throw new RuntimeError(
      `--resume ${file}: the checkpoint was trained on a vocabulary of ${size} characters, this run's text has ${settings.vocabulary.length}${missing.length > 0 ? ` (new: ${JSON.stringify(missing.join(''))})` : ''}; resume with the same --chars (the same text) as the run that wrote it`,
    );
  }
  for (const key of ['characters', 'blockSize', 'layers', 'heads', 'embedding', 'schedule', 'iterations'] as const) {
    if (recorded[key] !== settings[key])
      throw new RuntimeError(
        `--resume ${file}: the checkpoint was trained with ${key} ${JSON.stringify(recorded[key])}, this run asks for ${JSON.stringify(settings[key])}; use the same flags to resume exactly`,
      );
  }
}
