import type { JsonObject, JsonValue } from '@annet/layer-api';
import { ioError, type IoContext } from '@annet/tensor';

/*
 * The parts of a checkpoint's `extra` that `fit` (in @annet/model) writes and reads back to
 * resume: `extra.fit` (the settings the run must be resumed with), `extra.training` (the epoch
 * in progress) and `extra.callbacks` (each callback's state). They are part of the file format:
 * a checkpoint whose checksums hold but whose fields have the wrong type (edited by hand, or
 * written by a buggy tool) is refused here, naming the field, before anything reads them.
 */

/** A short, bounded description of a JSON value for messages (never serializes it). */
function describe(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value !== 'object') return `${typeof value} ${String(value)}`;
  return Array.isArray(value) ? `an array of length ${value.length}` : 'an object';
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isCount = (value: JsonValue | undefined) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isFinite = (value: JsonValue | undefined) => typeof value === 'number' && Number.isFinite(value);

/**
 * Checks `extra.fit`, `extra.training` and `extra.callbacks` of a decoded checkpoint, when
 * present: `training` is `{ midEpoch: false }` or `{ midEpoch: true, batch, samplesInEpoch,
 * batchLoss (number or null), epochLoss: { sum, weight }, metrics: { <name>: object } }`;
 * `fit` holds an integer `seed`, a positive `batchSize` and a non-negative `epochs` where
 * present (other settings are free); `callbacks` maps names to objects. Throws a `PARSE_ERROR`
 * naming the field (`extra.training.epochLoss must be { sum, weight } ..., got null`).
 *
 * @example
 * checkTrainingRecord(extra, ioContext('decodeCheckpoint', 'run/model.ckpt'));
 */
export function checkTrainingRecord(extra: JsonObject, context: IoContext): void {
  const fail = (field: string, expected: string, got: JsonValue | undefined) =>
    ioError(
      context,
      'PARSE_ERROR',
      `extra.${field} must be ${expected}, got ${describe(got)} (the checkpoint's checksums hold, but this field was not written by fit)`,
    );
  if (extra.fit !== undefined) {
    const fit = extra.fit;
    if (!isObject(fit)) throw fail('fit', 'an object of run settings', fit);
    if (fit.seed !== undefined && !(typeof fit.seed === 'number' && Number.isSafeInteger(fit.seed)))
      throw fail('fit.seed', 'an integer', fit.seed);
    if (fit.batchSize !== undefined && !(isCount(fit.batchSize) && (fit.batchSize as number) > 0))
      throw fail('fit.batchSize', 'a positive integer', fit.batchSize);
    if (fit.epochs !== undefined && !isCount(fit.epochs))
      throw fail('fit.epochs', 'a non-negative integer', fit.epochs);
  }
  if (extra.callbacks !== undefined) {
    const callbacks = extra.callbacks;
    if (!isObject(callbacks)) throw fail('callbacks', 'an object of callback states by name', callbacks);
    for (const [name, state] of Object.entries(callbacks))
      if (!isObject(state)) throw fail(`callbacks.${name}`, 'an object', state);
  }
  if (extra.training !== undefined) checkTraining(extra.training, fail);
}

function checkTraining(
  training: JsonValue,
  fail: (field: string, expected: string, got: JsonValue | undefined) => Error,
): void {
  if (!isObject(training)) throw fail('training', 'an object', training);
  if (typeof training.midEpoch !== 'boolean') throw fail('training.midEpoch', 'a boolean', training.midEpoch);
  if (!training.midEpoch) return;
  for (const field of ['batch', 'samplesInEpoch'] as const) {
    if (!isCount(training[field])) throw fail(`training.${field}`, 'a non-negative integer', training[field]);
  }
  if (training.batchLoss !== null && !isFinite(training.batchLoss))
    throw fail('training.batchLoss', 'a finite number or null', training.batchLoss);
  const epochLoss = training.epochLoss;
  if (!isObject(epochLoss))
    throw fail('training.epochLoss', '{ sum, weight } (the running loss of the epoch)', epochLoss);
  if (!isFinite(epochLoss.sum)) throw fail('training.epochLoss.sum', 'a finite number', epochLoss.sum);
  if (!(isFinite(epochLoss.weight) && (epochLoss.weight as number) >= 0))
    throw fail('training.epochLoss.weight', 'a finite number >= 0', epochLoss.weight);
  const metrics = training.metrics;
  if (!isObject(metrics)) throw fail('training.metrics', 'an object of metric states by name', metrics);
  for (const [name, state] of Object.entries(metrics))
    if (!isObject(state)) throw fail(`training.metrics.${name}`, 'an object', state);
}
