/// <reference lib="webworker" />
import { writeModelState, type Sequential } from '@annet/model';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '@annet/serialization';
import { softmax, Tensor } from '@annet/tensor';
import { decodeDigits, type Digits } from '../data/digits-file.js';
import { historyOfCheckpoint, isMidEpoch, settingsOfCheckpoint } from '../training/checkpoint-summary.js';
import { buildModel, inputShapeOf } from '../training/models.js';
import { RunControl } from '../training/run-control.js';
import { TrainingSession } from '../training/session.js';
import type { TrainingSettings } from '../training/settings.js';
import { applyKernels } from './kernel-report.js';
import type { CheckpointSummary, FromWorker, ToWorker } from './protocol.js';

/** The worker's whole state: the digits, the run (if any), and the checkpoint loaded last. */
const state = {
  digits: null as Digits | null,
  session: null as TrainingSession | null,
  control: null as RunControl | null,
  /** Checkpoint at the end of the last run (all epochs, or where it was stopped). */
  ended: null as Checkpoint | null,
  loaded: null as Checkpoint | null,
  /** The model predictions use: a copy of the training model's weights, or a loaded checkpoint's. */
  predictor: null as { readonly task: TrainingSettings['task']; readonly model: Sequential } | null,
};

const post = (message: FromWorker, transfer: Transferable[] = []) =>
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(message, transfer);

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  handle(message).catch((error: unknown) =>
    post({
      type: 'error',
      id: 'id' in message ? message.id : null,
      message: error instanceof Error ? error.message : String(error),
    }),
  );
};

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'init': {
      const started = performance.now();
      const kernels = await applyKernels(message.kernels, message.threads);
      const response = await fetch(message.digitsUrl);
      if (!response.ok) throw new Error(`${message.digitsUrl}: HTTP ${response.status}`);
      state.digits = decodeDigits(new Uint8Array(await response.arrayBuffer()));
      post({ type: 'ready', kernels, digits: state.digits.count, loadMilliseconds: performance.now() - started });
      return;
    }
    case 'train':
      return train(message.settings, message.pauseAfterEpoch, message.resume);
    case 'pause':
      state.control?.pause();
      return;
    case 'resume':
      if (state.control?.paused) post({ type: 'resumed' });
      state.control?.resume();
      return;
    case 'stop':
      state.control?.stop();
      return;
    case 'checkpoint': {
      const running = state.control !== null;
      const checkpoint = running ? state.control!.checkpoint() : (state.ended ?? state.loaded);
      if (checkpoint === null)
        throw new Error(
          running
            ? 'the run is training: pause it first (a checkpoint is taken between batches)'
            : 'there is no checkpoint yet: train, or load one',
        );
      const bytes = encodeCheckpoint(checkpoint) as Uint8Array<ArrayBuffer>;
      post({ type: 'checkpoint', id: message.id, bytes, summary: summarize(checkpoint, bytes.length) }, [bytes.buffer]);
      return;
    }
    case 'load': {
      if (state.control !== null) throw new Error('a run is in progress: stop it before loading a checkpoint');
      const checkpoint = decodeCheckpoint(message.bytes);
      const settings = settingsOfCheckpoint(checkpoint);
      const model = buildModel(settings.task);
      // Checked in full before anything is kept: a checkpoint that does not fit changes nothing.
      writeModelState(model, checkpoint.tensors, checkpoint.rng, 'load checkpoint', { dtype: 'exact' });
      state.loaded = checkpoint;
      state.ended = null;
      state.session = null;
      state.predictor = { task: settings.task, model };
      post({ type: 'loaded', id: message.id, summary: summarize(checkpoint, message.bytes.length) });
      return;
    }
    case 'predict':
      post({ type: 'prediction', id: message.id, probabilities: predict(message.pixels) });
      return;
  }
}

async function train(settings: TrainingSettings, pauseAfterEpoch: number | null, resume: boolean): Promise<void> {
  if (state.digits === null) throw new Error('the digits are not loaded yet');
  if (state.control !== null) throw new Error('a run is in progress: stop it first');
  const resumeFrom = resume ? state.loaded : null;
  if (resume && resumeFrom === null)
    throw new Error('no checkpoint is loaded: load one from IndexedDB or a file first');
  const session = new TrainingSession(resumeFrom === null ? settings : settingsOfCheckpoint(resumeFrom), state.digits);
  const control = new RunControl((where) => post({ type: 'paused', where }));
  control.pauseAfterEpoch = pauseAfterEpoch;
  state.session = session;
  state.control = control;
  state.predictor = { task: session.settings.task, model: buildModel(session.settings.task) };
  post({
    type: 'started',
    settings: session.settings,
    resumedFrom: resumeFrom === null ? null : summarize(resumeFrom, 0),
  });
  try {
    const result = await session.train({
      resumeFrom: resumeFrom ?? undefined,
      control,
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    state.ended = result.checkpoint;
    post({
      type: 'done',
      stopReason: result.stopReason,
      summary: result.checkpoint === null ? null : summarize(result.checkpoint, 0),
    });
  } finally {
    state.control = null;
  }
}

/** Class probabilities for one drawn digit, from the current weights (copied, so training is untouched). */
function predict(pixels: Float32Array): Float32Array {
  const predictor = state.predictor ?? { task: 'mlp' as const, model: buildModel('mlp').initialize(0) };
  state.predictor = predictor;
  const source = state.session?.model;
  if (source !== undefined && source.name === predictor.model.name) {
    const from = source.parameters();
    predictor.model.parameters().forEach((parameter, index) => parameter.value.set(from[index].value));
    predictor.model.markInitialized();
  }
  const input = new Tensor(Float32Array.from(pixels), [1, ...inputShapeOf(predictor.task)]);
  const logits = predictor.model.predict(input);
  return Float32Array.from(softmax(logits, -1).contiguous().data as Float32Array);
}

function summarize(checkpoint: Checkpoint, bytes: number): CheckpointSummary {
  return {
    epoch: checkpoint.epoch,
    step: checkpoint.step,
    midEpoch: isMidEpoch(checkpoint),
    settings: settingsOfCheckpoint(checkpoint),
    history: historyOfCheckpoint(checkpoint),
    bytes,
  };
}
