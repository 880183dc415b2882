import fs from 'node:fs';
import path from 'node:path';
import { formatConfusionMatrix, formatCount, ModelCheckpoint, ProgressBar, TerminateOnNaN, type Callback, type ProgressOutput } from '@annet/model';
import { fileCheckpointStore } from '@annet/model/node';
import { architectureDifferences, type Checkpoint } from '@annet/serialization';
import { loadCheckpoint, saveCheckpoint } from '@annet/serialization/node';
import { tensor } from '@annet/tensor';
import type { CliOptions } from './args.js';
import { loadDemoData } from './data/load-data.js';
import { RuntimeError } from './errors.js';
import { evaluateDataset } from './evaluation.js';
import { InterruptHandler } from './interrupt.js';
import { buildModel, modelTitle } from './models.js';
import { buildOptimizer } from './optimizer-factory.js';
import { checkWritableFile, checkWritableFolder, defaultOutputFolder } from './output-paths.js';
import { renderCurvesSvg } from './report/curves-svg.js';
import { formatEpochTable } from './report/epoch-table.js';
import { epochRecord, metricsJson, type RunReport } from './report/run-report.js';
import { resolveSettings } from './settings.js';

/** Where the app writes: progress and results to `stdout`, errors to `stderr`. */
export interface Io {
  readonly stdout: ProgressOutput;
  readonly stderr: { write(text: string): unknown };
}

/**
 * One run of the demo: checks every path and the resume checkpoint before training, loads the
 * data, builds the model and optimizer, trains with a progress bar, evaluates, writes
 * `metrics.json` and `curves.svg`, and prints the summary, the confusion matrix and what it wrote.
 */
export async function runTraining(options: CliOptions, io: Io): Promise<void> {
  const started = performance.now();
  const settings = resolveSettings(options);
  const out = options.out ?? defaultOutputFolder();
  checkWritableFolder(out, '--out');
  if (options.checkpoint !== undefined) checkWritableFile(options.checkpoint, '--checkpoint');
  const resume = options.resume === undefined ? null : await readResumeCheckpoint(options.resume);
  const data = await loadDemoData(settings);
  const model = buildModel(settings.model).initialize(settings.seed);
  const stepsPerEpoch = Math.ceil(data.train.length / settings.batchSize);
  const optimizer = buildOptimizer(settings, stepsPerEpoch * settings.epochs, stepsPerEpoch);
  if (resume !== null) checkResumable(resume, options.resume!, model.getConfig(), optimizer.config);
  const print = (text = '') => io.stdout.write(`${text}\n`);
  print(`annet-train: ${modelTitle(settings.model)} on MNIST digits`);
  print(`data       ${data.source}: ${formatCount(data.train.length)} training, ${formatCount(data.validation.length)} ${data.validationIsTest ? 'test (used as validation)' : 'validation'}`);
  print(`training   ${settings.optimizer}, learning rate ${settings.learningRate} (${settings.schedule} schedule), batch ${settings.batchSize}, ${settings.epochs} epochs, ${settings.shift > 0 ? `random shifts up to ${settings.shift} px` : 'no augmentation'}, seed ${settings.seed}${resume ? `, resuming from ${options.resume} (epoch ${resume.epoch}, step ${resume.step})` : ''}`);
  print(model.summary());
  print();
  const terminate = new TerminateOnNaN();
  const saveTo = options.checkpoint;
  const interrupt = new InterruptHandler(saveTo === undefined ? null : (checkpoint) => saveCheckpoint(saveTo, checkpoint));
  const callbacks: Callback[] = [new ProgressBar({ output: io.stdout }), terminate, interrupt];
  if (data.epochTracker !== null) callbacks.unshift(data.epochTracker);
  if (saveTo !== undefined) callbacks.push(new ModelCheckpoint({ store: fileCheckpointStore(saveTo), everyEpochs: 1 }));
  const history = await model.fit(data.train, {
    optimizer,
    loss: 'softmaxCrossEntropy',
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    validationData: data.validation,
    seed: settings.seed,
    metrics: ['accuracy'],
    callbacks,
    resumeFrom: resume ?? undefined,
  });
  const validation = evaluateDataset(model, data.validation);
  const test = data.test === null ? null : data.validationIsTest ? validation : evaluateDataset(model, data.test);
  const epochs = history.epochs.map((logs, index) => epochRecord(index, logs));
  const report: RunReport = {
    tool: 'annet-train',
    settings,
    data: { source: data.source, train: data.train.length, validation: data.validation.length, test: data.test?.length ?? null, validationIsTest: data.validationIsTest },
    model: { name: settings.model, parameters: model.parameters().reduce((sum, parameter) => sum + parameter.value.length, 0), architecture: model.getConfig() },
    epochs,
    ...(test === null ? {} : { test: { loss: test.loss, accuracy: test.accuracy } }),
    validation,
    totalSeconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    stopReason: history.stopReason,
    resumedFrom: options.resume ?? null,
  };
  const written = writeOutputs(out, report, settings.model);
  const validationLabel = data.validationIsTest ? 'test' : 'validation';
  print();
  print('Summary');
  print(formatEpochTable(epochs, validationLabel));
  print();
  print(`${data.validationIsTest ? 'Test (t10k)' : 'Validation'}: loss ${validation.loss.toFixed(4)}  accuracy ${percent(validation.accuracy)}  precision ${percent(validation.precision)}  recall ${percent(validation.recall)}  F1 ${percent(validation.f1)} (macro)`);
  print();
  print(`Confusion matrix (${validationLabel}; rows: true digit, columns: predicted digit)`);
  print(formatConfusionMatrix(tensor(validation.confusionMatrix, { dtype: 'int32' })));
  print();
  if (history.stopReason !== null) print(`Stopped early: ${history.stopReason}`);
  print('Wrote');
  for (const file of written) print(`  ${file}`);
  if (saveTo !== undefined && fs.existsSync(saveTo)) print(`  ${saveTo} (checkpoint${interrupt.interruptedAtStep !== null ? `, mid-epoch at step ${interrupt.interruptedAtStep}; continue with --resume ${saveTo}` : ''})`);
  print(`Total time ${report.totalSeconds.toFixed(1)} s`);
}

async function readResumeCheckpoint(file: string): Promise<Checkpoint> {
  try {
    return await loadCheckpoint(file);
  } catch (error) {
    const missing = (error as { code?: string }).code === 'NOT_FOUND';
    throw new RuntimeError(missing ? `--resume ${file}: no such file` : `--resume ${file}: ${(error as Error).message}`);
  }
}

function checkResumable(checkpoint: Checkpoint, file: string, architecture: unknown, optimizerConfig: unknown): void {
  const layers = architectureDifferences(checkpoint.architecture, architecture as never);
  if (layers.length > 0) {
    throw new RuntimeError(`--resume ${file}: the checkpoint holds a different architecture than --model builds (${layers.slice(0, 3).join('; ')}); pass the --model it was trained with`);
  }
  const optimizer = architectureDifferences((checkpoint.optimizer?.config ?? null) as never, optimizerConfig as never);
  if (optimizer.length > 0) {
    throw new RuntimeError(`--resume ${file}: the checkpoint was trained with other optimizer settings (${optimizer.slice(0, 3).join('; ')}); pass the same --optimizer, --lr, --schedule, --epochs and --batch-size`);
  }
}

function writeOutputs(out: string, report: RunReport, modelName: string): string[] {
  try {
    fs.mkdirSync(out, { recursive: true });
    const metricsFile = path.join(out, 'metrics.json');
    const curvesFile = path.join(out, 'curves.svg');
    fs.writeFileSync(metricsFile, metricsJson(report));
    const title = `${modelTitle(modelName as 'mlp' | 'cnn')} on MNIST: ${formatCount(report.data.train)} training digits`;
    const validationLabel = report.data.validationIsTest ? 'test (t10k)' : 'validation';
    fs.writeFileSync(curvesFile, renderCurvesSvg({ title, epochs: report.epochs, validationLabel, testAccuracy: report.data.validationIsTest ? undefined : report.test?.accuracy }));
    return [metricsFile, curvesFile];
  } catch (error) {
    throw new RuntimeError(`--out ${out}: ${(error as Error).message}`);
  }
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}
