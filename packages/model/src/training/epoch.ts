import { clipGradNorm } from '@annet/optimizers';
import type { Callback, EpochLogs, HookResult } from '../callbacks/callback.js';
import type { Batch } from '@annet/dataset';
import { evaluateLoaderAsync } from './evaluate.js';
import type { Run } from './run-setup.js';

/**
 * Calls one hook of every callback in order, awaiting only the hooks that return a promise, so
 * synchronous callbacks cost no await.
 *
 * @example
 * await callHooks(run.callbacks, (callback) => callback.onTrainEnd?.(run.state));
 */
export async function callHooks(
  callbacks: readonly Callback[],
  invoke: (callback: Callback) => HookResult,
): Promise<void> {
  for (const callback of callbacks) {
    const result = invoke(callback);
    if (result !== undefined) await result;
  }
}

/**
 * Trains one epoch (or the rest of one, when `continuing` a restored mid-epoch checkpoint): per
 * batch forward, loss, metrics, backward, optimizer step, running means and `onBatchEnd`; then
 * validation, the epoch's logs and `onEpochEnd`. Returns `false` when a callback stopped training
 * during the batches (the epoch is then neither validated nor logged).
 *
 * @example
 * while (run.state.epoch < epochs && await trainEpoch(run, batchLogs, false)) run.state.epoch++;
 */
export async function trainEpoch(run: Run, batchLogs: Record<string, number>, continuing: boolean): Promise<boolean> {
  const { parts, state, callbacks } = run;
  const { model, optimizer, metrics, epochLoss } = parts;
  if (!continuing) {
    epochLoss.reset();
    metrics.reset();
    state.batch = 0;
    state.samplesInEpoch = 0;
    await callHooks(callbacks, (callback) => callback.onEpochBegin?.(state));
  }
  const started = performance.now();
  const samplesAtStart = state.samplesInEpoch;
  const { feed, scheduler, signal } = run;
  for (;;) {
    if (signal?.aborted) {
      state.abort(signal.reason);
      return false;
    }
    const next = feed.next(state.batch);
    const batch = feed.isAsync ? await next : (next as Batch | null);
    if (batch === null) break;
    const inputs = run.inputs.read(batch.inputs);
    const targets = run.targets.read(batch.targets);
    const predictions = model.forwardArrays(inputs, true);
    const loss = run.loss.compute(predictions, targets);
    const rows = inputs[0].shape[0];
    metrics.update(predictions, targets, run.loss.outputLosses, rows);
    model.backwardArrays(run.loss.gradients);
    if (run.gradientClipNorm !== undefined) clipGradNorm(model, run.gradientClipNorm);
    optimizer.step(model);
    state.step++;
    state.batch++;
    state.samplesInEpoch += rows;
    state.batchLoss = loss;
    epochLoss.add(loss, rows);
    batchLogs.loss = epochLoss.result();
    metrics.writeResults(batchLogs);
    // Inline rather than callHooks: no closure per batch.
    for (const callback of callbacks) {
      const result = callback.onBatchEnd?.(batchLogs, state);
      if (result !== undefined) await result;
    }
    if (state.stopReason !== null) return false;
    const pause = scheduler.afterBatch();
    if (pause !== undefined) await pause;
  }
  state.learnEpochLength();
  const trainingSeconds = (performance.now() - started) / 1000;
  const logs: Record<string, number> = { loss: epochLoss.result() };
  metrics.writeResults(logs);
  if (run.validationLoader !== null)
    Object.assign(
      logs,
      await evaluateLoaderAsync(
        model,
        run.validationLoader,
        run.validationLoss,
        metrics,
        'validation',
        run.operation,
        scheduler,
      ),
    );
  logs.learningRate = optimizer.currentLearningRate();
  logs.seconds = (performance.now() - started) / 1000;
  logs.samplesPerSecond = trainingSeconds > 0 ? (state.samplesInEpoch - samplesAtStart) / trainingSeconds : 0;
  state.atEpochEnd = true;
  await callHooks(callbacks, (callback) => callback.onEpochEnd?.(logs as EpochLogs, state));
  state.atEpochEnd = false;
  const pause = scheduler.afterEpoch();
  if (pause !== undefined) await pause;
  return true;
}
