import fs from 'node:fs';
import type { DemoModel } from './models.js';
import type { Optimizer } from '@annet/optimizers';
import { architectureDifferences, parseCheckpointTensorName, type Checkpoint } from '@annet/serialization';
import { loadCheckpoint } from '@annet/serialization/node';
import { RuntimeError } from './errors.js';

/**
 * The settings of a run besides the optimizer's configuration (which the checkpoint records
 * itself) and the seed and batch size (which `fit` records) that change its result: they go into
 * every checkpoint as `fit`'s `runSettings`, and a `--resume` with other values is refused.
 *
 * @example
 * const settings: RunSettings = { shift: 2, limit: null, data: null };
 */
export type RunSettings = {
  readonly shift: number;
  readonly limit: number | null;
  /** The `--data` folder, resolved; `null` for the `mnist` package. */
  readonly data: string | null;
};

/** How each recorded setting is named on the command line and printed (other tasks' settings are printed by name). */
const flagOf: Record<string, { readonly flag: string; readonly show: (value: unknown) => string }> = {
  shift: { flag: '--shift', show: (value) => `--shift ${value}` },
  limit: { flag: '--limit', show: (value) => (value === null ? 'no --limit' : `--limit ${value}`) },
  data: { flag: '--data', show: (value) => (value === null ? 'no --data (the mnist package)' : `--data ${value}`) },
  vocabulary: { flag: '--seed and --limit', show: (value) => `a vocabulary of ${describeVocabularies(value)}` },
};

/** `24,315 words and 190 tags` for the tag task's recorded vocabularies. */
function describeVocabularies(value: unknown): string {
  const sizes = Object.entries((value ?? {}) as Record<string, { tokens?: unknown }>).map(
    ([name, vocabulary]) => `${Array.isArray(vocabulary?.tokens) ? vocabulary.tokens.length : '?'} ${name}`,
  );
  return sizes.length === 0 ? 'nothing' : sizes.join(' and ');
}

/**
 * Reads the `--resume` checkpoint, or throws a {@link RuntimeError} naming the file.
 *
 * @example
 * const checkpoint = await readResumeCheckpoint('run.ckpt');
 */
export async function readResumeCheckpoint(file: string): Promise<Checkpoint> {
  try {
    return await loadCheckpoint(file);
  } catch (error) {
    const missing = (error as { code?: string }).code === 'NOT_FOUND';
    throw new RuntimeError(
      missing ? `--resume ${file}: no such file` : `--resume ${file}: ${(error as Error).message}`,
    );
  }
}

/**
 * Refuses a fresh run whose `--checkpoint` already holds a file (another run's checkpoint would be
 * replaced after the first epoch) unless `--resume` continues a run or `--overwrite` says so.
 *
 * @example
 * refuseOverwrite('run.ckpt', { resume: undefined, overwrite: false }); // throws when run.ckpt exists
 */
export async function refuseOverwrite(
  file: string,
  options: { readonly resume: string | undefined; readonly overwrite: boolean },
): Promise<void> {
  if (options.resume !== undefined || options.overwrite || !fs.existsSync(file) || fs.statSync(file).isDirectory())
    return;
  let holds = 'a file';
  try {
    const existing = await loadCheckpoint(file);
    holds = `a checkpoint (epoch ${existing.epoch}, step ${existing.step})`;
  } catch {
    // Not a readable checkpoint: still a file this run would replace.
  }
  throw new RuntimeError(
    `--checkpoint ${file}: ${holds} is already there; pass --resume ${file} to continue that run, --overwrite to replace it, or another path`,
  );
}

/**
 * Refuses, before training, a checkpoint that this command line would not continue exactly: another
 * architecture, other optimizer settings, another seed or other run settings (`--shift`,
 * `--limit`, `--data`), or, unless `allowNonFinite`, NaN or infinite weights or moments.
 *
 * @example
 * checkResumable(checkpoint, 'run.ckpt', { model, optimizer, seed: 42, runSettings, allowNonFinite: false });
 */
export function checkResumable(
  checkpoint: Checkpoint,
  file: string,
  run: {
    model: DemoModel;
    optimizer: Optimizer;
    seed: number;
    runSettings: Readonly<Record<string, unknown>>;
    allowNonFinite: boolean;
  },
): void {
  const fit = (checkpoint.extra?.fit ?? {}) as { seed?: unknown; runSettings?: unknown };
  checkTask((fit.runSettings as { task?: unknown } | undefined)?.task, run.runSettings.task, file);
  const layers = architectureDifferences(checkpoint.architecture, run.model.getConfig());
  if (layers.length > 0) {
    throw new RuntimeError(
      `--resume ${file}: the checkpoint holds a different architecture than --model builds (${layers.slice(0, 3).join('; ')}); pass the --model it was trained with`,
    );
  }
  const { optimizer } = run;
  const settings = architectureDifferences(checkpoint.optimizer?.config ?? null, optimizer.config);
  if (checkpoint.optimizer?.type !== optimizer.type || settings.length > 0) {
    throw new RuntimeError(
      `--resume ${file}: the checkpoint was trained with other optimizer settings (${[checkpoint.optimizer?.type !== optimizer.type ? `${checkpoint.optimizer?.type} vs ${optimizer.type}` : '', ...settings.slice(0, 3)].filter(Boolean).join('; ')}); pass the same --optimizer, --lr, --schedule, --epochs, --batch-size, --limit and --data`,
    );
  }
  // The seed chose the training/validation split: another one would train on digits the first run validated on.
  if (typeof fit.seed === 'number' && fit.seed !== run.seed) {
    throw new RuntimeError(
      `--resume ${file}: the checkpoint was trained with --seed ${fit.seed}, not ${run.seed}; pass the same --seed`,
    );
  }
  checkRunSettings(fit.runSettings, run.runSettings, file);
  if (!run.allowNonFinite) checkFinite(checkpoint, file);
}

/**
 * Refuses a checkpoint of another task or with other recorded run settings, naming the flag;
 * `checkResumable` does this after comparing architectures, a task whose architecture follows
 * from its settings (the tagger's vocabulary sizes from `--seed` and `--limit`) calls it first.
 *
 * @example
 * checkRecordedSettings(checkpoint, 'run.ckpt', { task: 'tag', limit: 300, vocabulary });
 */
export function checkRecordedSettings(
  checkpoint: Checkpoint,
  file: string,
  runSettings: Readonly<Record<string, unknown>>,
): void {
  const fit = (checkpoint.extra?.fit ?? {}) as { runSettings?: unknown };
  checkTask((fit.runSettings as { task?: unknown } | undefined)?.task, runSettings.task, file);
  checkRunSettings(fit.runSettings, runSettings, file);
}

/** Refuses a checkpoint of another task (MNIST checkpoints record no task). */
function checkTask(saved: unknown, current: unknown, file: string): void {
  const before = saved ?? 'mnist';
  const now = current ?? 'mnist';
  if (before !== now)
    throw new RuntimeError(
      `--resume ${file}: the checkpoint is of the ${String(before)} task, not --task ${String(now)}; pass --task ${String(before)}`,
    );
}

function checkRunSettings(saved: unknown, current: Readonly<Record<string, unknown>>, file: string): void {
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) {
    throw new RuntimeError(
      `--resume ${file}: the checkpoint does not record --shift, --limit and --data (an older annet-train wrote it), so the run cannot be continued exactly; start a new run`,
    );
  }
  for (const key of Object.keys(current)) {
    const before = (saved as Record<string, unknown>)[key] ?? null;
    if (JSON.stringify(before) !== JSON.stringify(current[key])) {
      const { flag, show } = flagOf[key] ?? { flag: key, show: (value: unknown) => `${key} ${JSON.stringify(value)}` };
      throw new RuntimeError(
        `--resume ${file}: the checkpoint was trained with ${show(before)}, not ${show(current[key])}; pass the same ${flag}`,
      );
    }
  }
}

function checkFinite(checkpoint: Checkpoint, file: string): void {
  for (const [name, tensor] of Object.entries(checkpoint.tensors)) {
    const kind = parseCheckpointTensorName(name).kind;
    if (kind !== 'model' && kind !== 'optimizer') continue;
    const data = tensor.contiguous().data;
    if (!data.every((value) => Number.isFinite(value))) {
      throw new RuntimeError(
        `--resume ${file}: the checkpoint holds NaN or infinite values in ${name} (a diverged run); resume from an earlier checkpoint, or pass --allow-nonfinite to continue anyway`,
      );
    }
  }
}
