import type { JsonObject } from '@annet/layer-api';
import { architectureDifferences, assertArchitectureMatches, type Checkpoint } from '@annet/serialization';
import { AnnetError } from '@annet/tensor';
import type { TrainingParts } from './training-parts.js';

/**
 * Throws unless `checkpoint` was taken by a `fit` this one continues exactly: the same
 * architecture, optimizer type and configuration, batch size and seed, and the same recorded
 * `runSettings` (data augmentation, data source…). Changes nothing.
 *
 * @example
 * checkResumeCompatible(checkpoint, parts, { shift: 2 }, 'fit'); // throws: the checkpoint was trained with shift 0, ...
 */
export function checkResumeCompatible(
  checkpoint: Checkpoint,
  parts: TrainingParts,
  runSettings: JsonObject | undefined,
  operation: string,
): void {
  const fit = (((checkpoint.extra ?? {}) as { fit?: unknown }).fit ?? {}) as JsonObject;
  assertArchitectureMatches(parts.model.getConfig(), checkpoint.architecture);
  if (checkpoint.optimizer === null)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      'the checkpoint holds no optimizer state; resumeFrom needs a checkpoint taken by fit',
    );
  if (checkpoint.optimizer.type !== parts.optimizer.type) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `the checkpoint was trained with ${checkpoint.optimizer.type}, this fit uses ${parts.optimizer.type}; resume with the same optimizer`,
    );
  }
  const configDifferences = architectureDifferences(checkpoint.optimizer.config, parts.optimizer.config);
  if (configDifferences.length > 0) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `the optimizer's configuration differs from the checkpoint's (${configDifferences.slice(0, 5).join('; ')}); construct it with the same options to resume exactly`,
    );
  }
  if (typeof fit.batchSize === 'number' && fit.batchSize !== parts.settings.batchSize) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `the checkpoint was trained with batchSize ${fit.batchSize}, this fit uses ${parts.settings.batchSize}; use the same batch size to resume exactly`,
    );
  }
  // The seed picks the validationSplit samples: another seed would train on samples the first run validated on.
  if (typeof fit.seed === 'number' && fit.seed !== parts.settings.seed) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `the checkpoint was trained with seed ${fit.seed}, this fit uses ${parts.settings.seed}; use the same seed to resume exactly (it chooses the validationSplit samples)`,
    );
  }
  // stepsPerEpoch moves epoch boundaries (validation, epoch-end callbacks, the loader's passes): it must match.
  const savedSteps = typeof fit.stepsPerEpoch === 'number' ? fit.stepsPerEpoch : null;
  const steps = parts.settings.stepsPerEpoch ?? null;
  if (savedSteps !== steps) {
    const describe = (value: number | null) =>
      value === null ? 'no stepsPerEpoch (an epoch is a pass of the data)' : `stepsPerEpoch ${value}`;
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `the checkpoint was trained with ${describe(savedSteps)}, this fit uses ${describe(steps)}; use the same to resume exactly`,
    );
  }
  checkRunSettings(fit.runSettings, runSettings, operation);
  if (checkpoint.dataLoader === null)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      'the checkpoint holds no data-loader state; resumeFrom needs a checkpoint taken by fit',
    );
}

/** Every setting recorded in the checkpoint or given now must be present in both, with equal values. */
function checkRunSettings(saved: unknown, given: JsonObject | undefined, operation: string): void {
  const recorded = (typeof saved === 'object' && saved !== null && !Array.isArray(saved) ? saved : {}) as JsonObject;
  const current = given ?? {};
  for (const name of new Set([...Object.keys(recorded), ...Object.keys(current)])) {
    const before = canonicalJson(recorded[name] ?? null);
    const now = canonicalJson(current[name] ?? null);
    if (before !== now) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `the checkpoint was trained with runSettings.${name} = ${before}, this fit uses ${now}; use the same setting to resume exactly`,
      );
    }
  }
}

/** JSON with object keys sorted, so equal settings compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
