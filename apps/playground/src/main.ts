import { downloadBytes, openIndexedDbStore, readBytes, type ByteStore } from '@annet/serialization';
import { defaultSettings, type TrainingSettings } from './training/settings.js';
import { DrawPad } from './ui/draw-pad.js';
import { showKernels } from './ui/kernel-view.js';
import { buttonsFor, type PageState } from './ui/page-state.js';
import { showProbabilities } from './ui/probabilities.js';
import { RunView } from './ui/run-view.js';
import { SettingsForm } from './ui/settings-form.js';
import { settingsFromQuery } from './ui/url-settings.js';
import { WorkerClient } from './ui/worker-client.js';
import type { KernelKind } from '@annet/tensor';
import type { CheckpointSummary, FromWorker } from './worker/protocol.js';

/** The IndexedDB entry the Save and Load buttons use. */
const storedName = 'playground.ckpt';
const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;

const query = settingsFromQuery(new URLSearchParams(location.search), defaultSettings);
const form = new SettingsForm($<HTMLFormElement>('#settings'));
form.show(query.settings);
const pauseField = $<HTMLInputElement>('[name=pauseAfterEpoch]');
if (query.pauseAfterEpoch !== null) pauseField.value = String(query.pauseAfterEpoch);
const kernelSelect = $<HTMLSelectElement>('#kernel-choice');
kernelSelect.value = query.kernels;
const threadSelect = $<HTMLSelectElement>('#thread-choice');
threadSelect.value = String(query.threads);
const view = new RunView(document);
let state: PageState = 'loading';
let loaded: CheckpointSummary | null = null;
let drawing: Float32Array | null = null;
let client = startWorker(query.kernels, query.threads);
let storePromise: Promise<ByteStore> | null = null;
const store = () => (storePromise ??= openIndexedDbStore({ database: 'annet-playground' }));

function startWorker(kernels: KernelKind, threads: number): WorkerClient {
  const worker = new Worker(new URL('./worker/training-worker.ts', import.meta.url), {
    type: 'module',
    name: 'annet-training',
  });
  const created = new WorkerClient(worker, onWorkerEvent);
  created.send({ type: 'init', digitsUrl: new URL('mnist-digits.bin', document.baseURI).href, kernels, threads });
  return created;
}

function onWorkerEvent(message: FromWorker): void {
  switch (message.type) {
    case 'ready':
      showKernels(document, message.kernels);
      setState(
        'ready',
        `${message.digits.toLocaleString('en')} digits loaded in ${Math.round(message.loadMilliseconds)} ms`,
      );
      return;
    case 'started':
      // A resumed run goes on from here; its end (or a pause) gives the next checkpoint.
      loaded = null;
      form.show(message.settings);
      view.reset(message.settings.epochs, message.resumedFrom?.history ?? []);
      setState('training', message.resumedFrom === null ? 'training' : `resumed ${where(message.resumedFrom)}`);
      return;
    case 'progress':
      view.showProgress(message.progress);
      if (message.progress.phase === 'epoch') void refreshPrediction();
      return;
    case 'paused':
      setState(
        'paused',
        `paused at ${message.where.at === 'epoch' ? `the end of epoch ${message.where.epoch + 1}` : `step ${message.where.step}`}`,
      );
      return;
    case 'resumed':
      setState('training', 'training');
      return;
    case 'done':
      setState(
        'done',
        message.stopReason ?? `trained ${message.summary?.epoch} epochs (${message.summary?.step} steps)`,
      );
      void refreshPrediction();
      return;
    case 'error':
      setState(
        state === 'loading' ? 'error' : state === 'training' || state === 'paused' ? 'done' : state,
        message.message,
        true,
      );
      return;
    default:
      return;
  }
}

function setState(next: PageState, text: string, isError = false): void {
  state = next;
  const status = $('#status');
  status.dataset.state = next;
  status.textContent = next;
  $('#message').textContent = text;
  $('#message').style.color = isError ? '#a33' : '#1d2430';
  const buttons = buttonsFor(next, loaded !== null);
  $<HTMLButtonElement>('#train').disabled = !buttons.train;
  $<HTMLButtonElement>('#pause').disabled = !buttons.pause;
  $<HTMLButtonElement>('#resume').disabled = !buttons.resume;
  $<HTMLButtonElement>('#stop').disabled = !buttons.stop;
  $<HTMLButtonElement>('#save-idb').disabled = !buttons.save;
  $<HTMLButtonElement>('#download').disabled = !buttons.save;
  $<HTMLButtonElement>('#continue').disabled = !buttons.continue;
  kernelSelect.disabled = next === 'training' || next === 'paused';
  threadSelect.disabled = kernelSelect.disabled;
  form.setLocked(next === 'training' || next === 'paused');
}

/** Runs a button's action, showing its failure instead of throwing. */
function act(action: () => Promise<void> | void): () => void {
  return () => {
    Promise.resolve()
      .then(action)
      .catch((error: unknown) => setState(state, error instanceof Error ? error.message : String(error), true));
  };
}

$('#train').onclick = act(() => {
  const settings: TrainingSettings = form.read();
  client.send({ type: 'train', settings, pauseAfterEpoch: form.pauseAfterEpoch(), resume: false });
});
$('#continue').onclick = act(() =>
  client.send({ type: 'train', settings: loaded!.settings, pauseAfterEpoch: form.pauseAfterEpoch(), resume: true }),
);
$('#pause').onclick = act(() => client.send({ type: 'pause' }));
$('#resume').onclick = act(() => client.send({ type: 'resume' }));
$('#stop').onclick = act(() => client.send({ type: 'stop' }));

$('#save-idb').onclick = act(async () => {
  const { bytes, summary } = await client.request({ type: 'checkpoint' }, 'checkpoint');
  await (await store()).write(storedName, bytes);
  showCheckpoint(`saved to IndexedDB: ${describe(summary)}`, summary);
});
$('#load-idb').onclick = act(async () => {
  const bytes = await (await store()).read(storedName);
  await load(bytes, 'IndexedDB');
});
$('#download').onclick = act(async () => {
  const { bytes, summary } = await client.request({ type: 'checkpoint' }, 'checkpoint');
  const name = `playground-${summary.settings.task}-epoch-${summary.epoch}-step-${summary.step}.ckpt`;
  downloadBytes(name, bytes);
  showCheckpoint(`downloaded ${name}: ${describe(summary)}`, summary);
});
$<HTMLInputElement>('#upload').onchange = act(async () => {
  const input = $<HTMLInputElement>('#upload');
  const file = input.files?.[0];
  input.value = '';
  if (file !== undefined) await load(await readBytes(file, 'upload'), file.name);
});

async function load(bytes: Uint8Array, from: string): Promise<void> {
  if (state === 'training' || state === 'paused') throw new Error('stop the run before loading a checkpoint');
  const copy = bytes.slice();
  const { summary } = await client.request({ type: 'load', bytes: copy }, 'loaded', [copy.buffer]);
  loaded = summary;
  form.show(summary.settings);
  view.reset(summary.settings.epochs, summary.history);
  showCheckpoint(`loaded from ${from}: ${describe(summary)}`, summary);
  setState(
    'ready',
    summary.epoch < summary.settings.epochs
      ? 'checkpoint loaded: resume training from it, or draw a digit'
      : 'checkpoint loaded (all its epochs are trained): draw a digit',
  );
  void refreshPrediction();
}

function showCheckpoint(text: string, summary: CheckpointSummary): void {
  const element = $('#checkpoint-text');
  element.textContent = text;
  element.dataset.epoch = String(summary.epoch);
  element.dataset.step = String(summary.step);
}

function describe(summary: CheckpointSummary): string {
  const size = summary.bytes > 0 ? `, ${(summary.bytes / 1e6).toFixed(2)} MB` : '';
  return `${summary.settings.task} with ${summary.settings.optimizer}, ${where(summary)}${size}`;
}

function where(summary: CheckpointSummary): string {
  const { epoch, step, midEpoch, settings } = summary;
  return midEpoch
    ? `in epoch ${epoch + 1}/${settings.epochs} at step ${step}`
    : `after epoch ${epoch}/${settings.epochs} (step ${step})`;
}

const restartWorker = act(() => {
  if (state === 'training' || state === 'paused') throw new Error('stop the run before changing kernels');
  // Kernels are chosen once per thread: a new worker runs the new choice.
  client.terminate();
  loaded = null;
  setState('loading', 'restarting the worker with the new kernels');
  client = startWorker(kernelSelect.value as KernelKind, Number(threadSelect.value));
});
kernelSelect.onchange = restartWorker;
threadSelect.onchange = restartWorker;

const pad = new DrawPad($<HTMLCanvasElement>('#draw-pad'), (pixels) => {
  drawing = pixels;
  void refreshPrediction();
});
$('#clear-pad').onclick = () => pad.clear();

async function refreshPrediction(): Promise<void> {
  if (drawing === null || state === 'loading') {
    showProbabilities($('#probabilities'), null);
    return;
  }
  const { probabilities } = await client.request({ type: 'predict', pixels: drawing }, 'prediction');
  showProbabilities($('#probabilities'), probabilities);
}
