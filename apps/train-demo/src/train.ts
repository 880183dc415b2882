import path from 'node:path';
import {
  formatCount,
  ModelCheckpoint,
  ProgressBar,
  TerminateOnNaN,
  type Callback,
  type History,
  type ProgressOutput,
} from '@annet/model';
import type { Optimizer } from '@annet/optimizers';
import type { Checkpoint } from '@annet/serialization';
import { startKernelThreads } from '@annet/tensor/node';
import type { CliOptions } from './args.js';
import { CheckpointLog } from './checkpoint-log.js';
import { loadDemoData, type DemoData } from './data/load-data.js';
import { RuntimeError } from './errors.js';
import { evaluateDataset } from './evaluation.js';
import { InterruptHandler } from './interrupt.js';
import { invocationFolder, resolveCliPaths } from './invocation-folder.js';
import { buildModel, modelTitle, type DemoModel } from './models.js';
import { buildOptimizer } from './optimizer-factory.js';
import { defaultOutputFolder, proveWritableFile, proveWritableFolder, removeCreatedFolders } from './output-paths.js';
import { printResults, writeOutputs } from './report/outputs.js';
import { epochRecord, type RunReport } from './report/run-report.js';
import { checkResumable, readResumeCheckpoint, refuseOverwrite, type RunSettings } from './resume-checks.js';
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

/**
 * How a run ended: all its epochs (or an early stop), Ctrl-C, or a loss that became NaN or
 * infinite. `message` is the line to print on stderr for the last two.
 *
 * @example
 * const outcome = await runTraining(options, io); // { kind: 'done' }
 */
export type RunOutcome =
  { readonly kind: 'done' } | { readonly kind: 'interrupted' | 'diverged'; readonly message: string };

/** Everything a run needs, checked before any training starts. */
interface Plan {
  readonly options: CliOptions;
  readonly settings: Settings;
  readonly runSettings: RunSettings;
  readonly out: string;
  readonly data: DemoData;
  readonly model: DemoModel;
  readonly optimizer: Optimizer;
  readonly resume: Checkpoint | null;
}

/**
 * One run of the demo: proves every output path (creating folders and writing a probe file) and
 * checks the resume checkpoint before training, loads the data, builds the model and optimizer,
 * trains with a progress bar, evaluates, writes `metrics.json` and `curves.svg`, and prints the
 * summary, the confusion matrix and what it wrote. A run that fails before training removes the
 * folders it created. Relative paths are resolved against the folder the command was run from.
 *
 * @example
 * await runTraining(parseCliArguments(['--epochs', '3']), { stdout: process.stdout, stderr: process.stderr });
 */
export async function runTraining(cliOptions: CliOptions, io: Io): Promise<RunOutcome> {
  return runTask(cliOptions, io, trainMnist);
}

/**
 * What a task of the app receives: the options with paths resolved, the folder they are relative
 * to, the list of folders created so far (removed again if the run fails before training), and
 * the run's start time.
 *
 * @example
 * const task: Task = async ({ options, base, created }) => ({ kind: 'done' });
 */
export interface TaskContext {
  readonly options: CliOptions;
  readonly base: string;
  readonly created: string[];
  readonly started: number;
  readonly io: Io;
  /** A callback to put first in `fit`'s callbacks: it records that training began. */
  readonly began: Callback;
}

/**
 * One task's run (MNIST digits, Brown tagging), from checks to outputs.
 *
 * @example
 * await runTask(options, io, trainMnist);
 */
export type Task = (context: TaskContext) => Promise<RunOutcome>;

/**
 * Runs a task with the app's common handling: paths resolved against the invocation folder, the
 * folders created for a run that fails before training removed again, and a library error about
 * the `--resume` checkpoint (found by `fit` before the first batch) reported with the file's name.
 *
 * @example
 * await runTask(parseCliArguments(['--task', 'tag']), io, trainTagger);
 */
export async function runTask(cliOptions: CliOptions, io: Io, task: Task): Promise<RunOutcome> {
  const started = performance.now();
  const base = invocationFolder();
  const options = resolveCliPaths(cliOptions, base);
  const created: string[] = [];
  let trainingBegan = false;
  const began: Callback = { name: 'trainingBegan', onTrainBegin: () => void (trainingBegan = true) };
  try {
    return await task({ options, base, created, started, io, began });
  } catch (error) {
    if (!trainingBegan) removeCreatedFolders(created);
    if (!trainingBegan && options.resume !== undefined && error instanceof Error && error.name === 'AnnetError')
      throw new RuntimeError(`--resume ${options.resume}: ${error.message}`);
    throw error;
  }
}

/**
 * The checks every task makes before loading anything: an existing `--checkpoint` is not
 * replaced without `--resume`/`--overwrite`, the output folder and the checkpoint's folder are
 * proven writable, and the `--resume` checkpoint is read. Returns the output folder and it.
 *
 * @example
 * const { out, resume } = await prepareOutputs(options, base, created);
 */
export async function prepareOutputs(
  options: CliOptions,
  base: string,
  created: string[],
): Promise<{ readonly out: string; readonly resume: Checkpoint | null }> {
  const out =
    options.out ??
    (path.resolve(base) === process.cwd() ? defaultOutputFolder() : path.resolve(base, defaultOutputFolder()));
  if (options.checkpoint !== undefined) await refuseOverwrite(options.checkpoint, options);
  proveWritableFolder(out, '--out', created);
  if (options.checkpoint !== undefined) proveWritableFile(options.checkpoint, '--checkpoint', created);
  const resume = options.resume === undefined ? null : await readResumeCheckpoint(options.resume);
  return { out, resume };
}

/**
 * The callbacks and handlers every task trains with: a progress bar, the NaN guard, Ctrl-C
 * (saving a mid-epoch checkpoint with `--checkpoint`), and a checkpoint after every epoch.
 *
 * @example
 * const run = trainingHandlers(options, io); // then fit(..., { callbacks: [began, ...run.callbacks] }) and run.outcome()
 */
export function trainingHandlers(
  options: CliOptions,
  io: Io,
): { readonly callbacks: Callback[]; readonly log: CheckpointLog | null; readonly outcome: () => RunOutcome } {
  const log = options.checkpoint === undefined ? null : new CheckpointLog(options.checkpoint);
  const interrupt = new InterruptHandler(log === null ? null : (checkpoint) => log.save(checkpoint));
  const guard = new TerminateOnNaN();
  const callbacks: Callback[] = [new ProgressBar({ output: io.stdout }), guard, interrupt];
  if (log !== null) callbacks.push(new ModelCheckpoint({ store: log.store(), everyEpochs: 1 }));
  return { callbacks, log, outcome: () => outcome(interrupt, guard, log) };
}

/**
 * Starts the `--threads` kernel threads (none for 1); stop them when training ends.
 *
 * @example
 * const threads = await startThreads(options);
 * threads?.stop(); // when training ends
 */
export async function startThreads(options: CliOptions): Promise<{ stop(): void } | null> {
  return options.threads > 1 ? await startKernelThreads({ threads: options.threads }) : null;
}

/**
 * The "Wrote" line of the checkpoint, saying how to continue after a mid-epoch save.
 *
 * @example
 * written.push(...checkpointWritten(handlers.log));
 */
export function checkpointWritten(log: CheckpointLog | null): string[] {
  return log?.last == null
    ? []
    : [
        `${log.file} (checkpoint ${log.describe(log.last)}${log.last.midEpoch ? `; continue with --resume ${log.file}` : ''})`,
      ];
}

/** The MNIST task: digits, an MLP, a CNN or a ResNet. */
async function trainMnist({ options, base, created, started, io, began }: TaskContext): Promise<RunOutcome> {
  const plan = await preparePlan(options, base, created);
  const print = (text = '') => io.stdout.write(`${text}\n`);
  printHeader(plan, print);
  const handlers = trainingHandlers(options, io);
  const threads = await startThreads(options);
  const history = await plan.model
    .fit(plan.data.train, {
      optimizer: plan.optimizer,
      loss: 'softmaxCrossEntropy',
      epochs: plan.settings.epochs,
      batchSize: plan.settings.batchSize,
      validationData: plan.data.validation,
      seed: plan.settings.seed,
      metrics: ['accuracy'],
      callbacks: [began, ...(plan.data.epochTracker === null ? [] : [plan.data.epochTracker]), ...handlers.callbacks],
      resumeFrom: plan.resume ?? undefined,
      runSettings: { ...plan.runSettings },
      allowNonFiniteResume: options.allowNonFinite,
    })
    .finally(() => threads?.stop());
  const report = buildReport(plan, history, started);
  const written = writeOutputs(plan.out, report);
  written.push(...checkpointWritten(handlers.log));
  printResults(report, written, print);
  return handlers.outcome();
}

async function preparePlan(options: CliOptions, base: string, created: string[]): Promise<Plan> {
  const settings = resolveSettings(options);
  const { out, resume } = await prepareOutputs(options, base, created);
  const data = await loadDemoData(settings);
  const model = buildModel(settings.model).initialize(settings.seed);
  const stepsPerEpoch = Math.ceil(data.train.length / settings.batchSize);
  const optimizer = buildOptimizer(settings, stepsPerEpoch * settings.epochs, stepsPerEpoch);
  const runSettings: RunSettings = {
    shift: settings.shift,
    limit: settings.limit,
    data: settings.data === null ? null : path.resolve(settings.data),
  };
  if (resume !== null)
    checkResumable(resume, options.resume!, {
      model,
      optimizer,
      seed: settings.seed,
      runSettings,
      allowNonFinite: options.allowNonFinite,
    });
  return { options, settings, runSettings, out, data, model, optimizer, resume };
}

function printHeader({ options, settings, data, model, resume }: Plan, print: (text?: string) => void): void {
  const augmentation = settings.shift > 0 ? `random shifts up to ${settings.shift} px` : 'no augmentation';
  const resuming =
    resume === null ? '' : `, resuming from ${options.resume} (epoch ${resume.epoch}, step ${resume.step})`;
  print(`annet-train: ${modelTitle(settings.model)} on MNIST digits`);
  print(
    `data       ${data.source}: ${formatCount(data.train.length)} training, ${formatCount(data.validation.length)} ${data.validationIsTest ? 'test (used as validation)' : 'validation'}`,
  );
  print(
    `training   ${settings.optimizer}, learning rate ${settings.learningRate} (${settings.schedule} schedule), batch ${settings.batchSize}, ${settings.epochs} epochs, ${augmentation}, seed ${settings.seed}${resuming}${options.threads > 1 ? `, ${options.threads} threads` : ''}`,
  );
  print(model.summary());
  print();
}

function outcome(interrupt: InterruptHandler, guard: TerminateOnNaN, log: CheckpointLog | null): RunOutcome {
  const saved = log?.last ?? null;
  if (interrupt.interruptedAtStep !== null) {
    const where =
      log === null
        ? 'no checkpoint was saved (pass --checkpoint FILE to be able to resume)'
        : saved === null
          ? `the checkpoint ${log.file} could not be saved`
          : `checkpoint saved to ${log.file} (${log.describe(saved)}); continue with --resume ${log.file} and the same flags`;
    return { kind: 'interrupted', message: `interrupted at step ${interrupt.interruptedAtStep}; ${where}` };
  }
  if (guard.stoppedAtStep !== null) {
    const where =
      log === null
        ? 'no checkpoint'
        : saved === null
          ? `${log.file} was not written by this run`
          : `${log.file} holds the last finite weights (${log.describe(saved)})`;
    return {
      kind: 'diverged',
      message: `training diverged: the loss became non-finite at step ${guard.stoppedAtStep}; ${where}; try a lower --lr`,
    };
  }
  return { kind: 'done' };
}

function buildReport({ options, settings, data, model }: Plan, history: History, started: number): RunReport {
  const validation = evaluateDataset(model, data.validation);
  const test = data.test === null ? null : data.validationIsTest ? validation : evaluateDataset(model, data.test);
  return {
    tool: 'annet-train',
    settings,
    data: {
      source: data.source,
      train: data.train.length,
      validation: data.validation.length,
      test: data.test?.length ?? null,
      validationIsTest: data.validationIsTest,
    },
    model: {
      name: settings.model,
      parameters: model.parameters().reduce((sum, parameter) => sum + parameter.value.length, 0),
      architecture: model.getConfig(),
    },
    epochs: history.epochs.map((logs, index) => epochRecord(index, logs)),
    ...(test === null ? {} : { test: { loss: test.loss, accuracy: test.accuracy } }),
    validation,
    totalSeconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    stopReason: history.stopReason,
    resumedFrom: options.resume ?? null,
  };
}
