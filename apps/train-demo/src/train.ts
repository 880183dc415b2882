import fs from 'node:fs';
import path from 'node:path';
import { formatCount, ModelCheckpoint, ProgressBar, TerminateOnNaN, type Callback, type History, type ProgressOutput } from '@annet/model';
import { fileCheckpointStore } from '@annet/model/node';
import type { Optimizer } from '@annet/optimizers';
import { architectureDifferences, type Checkpoint } from '@annet/serialization';
import { startKernelThreads } from '@annet/tensor/node';
import { loadCheckpoint, saveCheckpoint } from '@annet/serialization/node';
import type { CliOptions } from './args.js';
import { loadDemoData, type DemoData } from './data/load-data.js';
import { RuntimeError } from './errors.js';
import { evaluateDataset } from './evaluation.js';
import { InterruptHandler } from './interrupt.js';
import { buildModel, modelTitle, type DemoModel } from './models.js';
import { buildOptimizer } from './optimizer-factory.js';
import { checkWritableFile, checkWritableFolder, createFolder, defaultOutputFolder } from './output-paths.js';
import { printResults, writeOutputs } from './report/outputs.js';
import { epochRecord, type RunReport } from './report/run-report.js';
import { resolveSettings, type Settings } from './settings.js';

/**
 * Where the app writes: progress and results to `stdout`, errors to `stderr`.
 *
 * @example
 * await runTraining(options, { stdout: process.stdout, stderr: process.stderr });
 */
export interface Io {
  readonly stdout: ProgressOutput;
  readonly stderr: { write(text: string): unknown };
}

/** Everything a run needs, checked before any training starts. */
interface Plan {
  readonly settings: Settings;
  readonly out: string;
  readonly data: DemoData;
  readonly model: DemoModel;
  readonly optimizer: Optimizer;
  readonly resume: Checkpoint | null;
}

/**
 * One run of the demo: checks every path and the resume checkpoint before training, loads the
 * data, builds the model and optimizer, trains with a progress bar, evaluates, writes
 * `metrics.json` and `curves.svg`, and prints the summary, the confusion matrix and what it wrote.
 *
 * @example
 * await runTraining(parseCliArguments(['--epochs', '3']), { stdout: process.stdout, stderr: process.stderr });
 */
export async function runTraining(options: CliOptions, io: Io): Promise<void> {
  const started = performance.now();
  const plan = await preparePlan(options);
  const print = (text = '') => io.stdout.write(`${text}\n`);
  printHeader(plan, options, print);
  // The checks allowed a checkpoint folder that does not exist yet; create it now that the run is sure to start.
  if (options.checkpoint !== undefined) createFolder(path.dirname(path.resolve(options.checkpoint)), '--checkpoint');
  const interrupt = new InterruptHandler(options.checkpoint === undefined ? null : (checkpoint) => saveCheckpoint(options.checkpoint!, checkpoint));
  const threads = options.threads > 1 ? await startKernelThreads({ threads: options.threads }) : null;
  const history = await plan.model.fit(plan.data.train, {
    optimizer: plan.optimizer,
    loss: 'softmaxCrossEntropy',
    epochs: plan.settings.epochs,
    batchSize: plan.settings.batchSize,
    validationData: plan.data.validation,
    seed: plan.settings.seed,
    metrics: ['accuracy'],
    callbacks: trainingCallbacks(plan, options, io, interrupt),
    resumeFrom: plan.resume ?? undefined,
  }).finally(() => threads?.stop());
  const report = buildReport(plan, options, history, started);
  const written = writeOutputs(plan.out, report);
  if (options.checkpoint !== undefined && fs.existsSync(options.checkpoint)) {
    written.push(`${options.checkpoint} (checkpoint${interrupt.interruptedAtStep !== null ? `, mid-epoch at step ${interrupt.interruptedAtStep}; continue with --resume ${options.checkpoint}` : ''})`);
  }
  printResults(report, written, print);
}

async function preparePlan(options: CliOptions): Promise<Plan> {
  const settings = resolveSettings(options);
  const out = options.out ?? defaultOutputFolder();
  checkWritableFolder(out, '--out');
  if (options.checkpoint !== undefined) checkWritableFile(options.checkpoint, '--checkpoint');
  const resume = options.resume === undefined ? null : await readResumeCheckpoint(options.resume);
  const data = await loadDemoData(settings);
  const model = buildModel(settings.model).initialize(settings.seed);
  const stepsPerEpoch = Math.ceil(data.train.length / settings.batchSize);
  const optimizer = buildOptimizer(settings, stepsPerEpoch * settings.epochs, stepsPerEpoch);
  if (resume !== null) checkResumable(resume, options.resume!, model, optimizer, settings.seed);
  return { settings, out, data, model, optimizer, resume };
}

function printHeader({ settings, data, model, resume }: Plan, options: CliOptions, print: (text?: string) => void): void {
  const augmentation = settings.shift > 0 ? `random shifts up to ${settings.shift} px` : 'no augmentation';
  const resuming = resume === null ? '' : `, resuming from ${options.resume} (epoch ${resume.epoch}, step ${resume.step})`;
  print(`annet-train: ${modelTitle(settings.model)} on MNIST digits`);
  print(`data       ${data.source}: ${formatCount(data.train.length)} training, ${formatCount(data.validation.length)} ${data.validationIsTest ? 'test (used as validation)' : 'validation'}`);
  print(`training   ${settings.optimizer}, learning rate ${settings.learningRate} (${settings.schedule} schedule), batch ${settings.batchSize}, ${settings.epochs} epochs, ${augmentation}, seed ${settings.seed}${resuming}${options.threads > 1 ? `, ${options.threads} threads` : ''}`);
  print(model.summary());
  print();
}

function trainingCallbacks(plan: Plan, options: CliOptions, io: Io, interrupt: InterruptHandler): Callback[] {
  const callbacks: Callback[] = [new ProgressBar({ output: io.stdout }), new TerminateOnNaN(), interrupt];
  if (plan.data.epochTracker !== null) callbacks.unshift(plan.data.epochTracker);
  if (options.checkpoint !== undefined) callbacks.push(new ModelCheckpoint({ store: fileCheckpointStore(options.checkpoint), everyEpochs: 1 }));
  return callbacks;
}

function buildReport({ settings, data, model }: Plan, options: CliOptions, history: History, started: number): RunReport {
  const validation = evaluateDataset(model, data.validation);
  const test = data.test === null ? null : data.validationIsTest ? validation : evaluateDataset(model, data.test);
  return {
    tool: 'annet-train',
    settings,
    data: { source: data.source, train: data.train.length, validation: data.validation.length, test: data.test?.length ?? null, validationIsTest: data.validationIsTest },
    model: { name: settings.model, parameters: model.parameters().reduce((sum, parameter) => sum + parameter.value.length, 0), architecture: model.getConfig() },
    epochs: history.epochs.map((logs, index) => epochRecord(index, logs)),
    ...(test === null ? {} : { test: { loss: test.loss, accuracy: test.accuracy } }),
    validation,
    totalSeconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    stopReason: history.stopReason,
    resumedFrom: options.resume ?? null,
  };
}

async function readResumeCheckpoint(file: string): Promise<Checkpoint> {
  try {
    return await loadCheckpoint(file);
  } catch (error) {
    const missing = (error as { code?: string }).code === 'NOT_FOUND';
    throw new RuntimeError(missing ? `--resume ${file}: no such file` : `--resume ${file}: ${(error as Error).message}`);
  }
}

function checkResumable(checkpoint: Checkpoint, file: string, model: DemoModel, optimizer: Optimizer, seed: number): void {
  const layers = architectureDifferences(checkpoint.architecture, model.getConfig());
  if (layers.length > 0) {
    throw new RuntimeError(`--resume ${file}: the checkpoint holds a different architecture than --model builds (${layers.slice(0, 3).join('; ')}); pass the --model it was trained with`);
  }
  const settings = architectureDifferences(checkpoint.optimizer?.config ?? null, optimizer.config);
  if (checkpoint.optimizer?.type !== optimizer.type || settings.length > 0) {
    throw new RuntimeError(`--resume ${file}: the checkpoint was trained with other optimizer settings (${[checkpoint.optimizer?.type !== optimizer.type ? `${checkpoint.optimizer?.type} vs ${optimizer.type}` : '', ...settings.slice(0, 3)].filter(Boolean).join('; ')}); pass the same --optimizer, --lr, --schedule, --epochs, --batch-size, --limit and --data`);
  }
  // The seed chose the training/validation split: another one would train on digits the first run validated on.
  const savedSeed = (checkpoint.extra?.fit as { seed?: unknown } | undefined)?.seed;
  if (typeof savedSeed === 'number' && savedSeed !== seed) {
    throw new RuntimeError(`--resume ${file}: the checkpoint was trained with --seed ${savedSeed}, not ${seed}; pass the same --seed`);
  }
}
