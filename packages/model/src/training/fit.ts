import type { History } from '../callbacks/history.js';
import type { TrainingData } from './data-source.js';
import { callHooks, trainEpoch } from './epoch.js';
import { resolveFitOptions, type FitOptions } from './fit-options.js';
import { restoreCallbackStates } from './restore-callbacks.js';
import { setUpRun } from './run-setup.js';
import type { TrainableModel } from './training-model.js';

/**
 * The training loop behind `Sequential.fit`: sets the run up (or restores it from a checkpoint),
 * calls `onTrainBegin`, trains epoch after epoch until `epochs` or a stop request, then calls
 * `onTrainEnd`. Every buffer of a step (layer outputs and gradients, the loss gradient, the batch
 * arrays of loaders it builds) is reused, so a steady-state step allocates no array memory.
 *
 * @example
 * const history = await fitModel(model, { inputs, targets }, { optimizer: new Adam(), loss: 'softmaxCrossEntropy', epochs: 5 });
 */
export async function fitModel(
  model: TrainableModel,
  trainData: TrainingData,
  rawOptions: FitOptions,
  operation = `model "${model.name}".fit`,
): Promise<History> {
  const options = resolveFitOptions(rawOptions, operation);
  const run = setUpRun(model, trainData, options, operation);
  const { state, callbacks } = run;
  await callHooks(callbacks, (callback) => callback.onTrainBegin?.(state));
  // Callback states come back after onTrainBegin, which may reset them.
  if (options.resumeFrom !== undefined) restoreCallbackStates(options.resumeFrom, callbacks);
  const batchLogs: Record<string, number> = {};
  let continuing = run.resumeMidEpoch;
  try {
    while (state.epoch < options.epochs && state.stopReason === null) {
      if (!(await trainEpoch(run, batchLogs, continuing))) break;
      continuing = false;
      state.epoch++;
    }
  } finally {
    run.scheduler.close();
    await run.feed.close();
  }
  await callHooks(callbacks, (callback) => callback.onTrainEnd?.(state));
  run.history.stopReason = state.stopReason;
  return run.history;
}
