import { formatCount, TokenAccuracy, type History } from '@annet/model';
import type { CliOptions } from '../args.js';
import { buildOptimizer } from '../optimizer-factory.js';
import { epochRecord } from '../report/run-report.js';
import { checkRecordedSettings, checkResumable } from '../resume-checks.js';
import {
  checkpointWritten,
  prepareOutputs,
  runTask,
  startThreads,
  trainingHandlers,
  type Io,
  type RunOutcome,
  type TaskContext,
} from '../train.js';
import { loadTagData } from './tag-data.js';
import { evaluateTagger } from './tag-evaluation.js';
import { buildTagger, taggerTitle, taggingLoss } from './tag-model.js';
import { ignoredLabel } from './tag-predictions.js';
import { printTagResults, writeTagOutputs, type TagRunReport } from './tag-report.js';
import { resolveTagSettings } from './tag-settings.js';

/**
 * `annet-train --task tag`: trains the bidirectional LSTM tagger on the Brown corpus through the
 * app's common run (output checks, checkpoints, Ctrl-C, exact resume), then reports token
 * accuracy on the held-out documents beside the most-frequent-tag baseline, the most confused
 * tags, and writes `metrics.json` and `curves.svg`.
 *
 * @example
 * await runTagTraining(parseCliArguments(['--task', 'tag', '--epochs', '1']), { stdout: process.stdout, stderr: process.stderr });
 */
export async function runTagTraining(cliOptions: CliOptions, io: Io): Promise<RunOutcome> {
  return runTask(cliOptions, io, trainTagger);
}

async function trainTagger({ options, base, created, started, io, began }: TaskContext): Promise<RunOutcome> {
  const settings = resolveTagSettings(options);
  const { out, resume } = await prepareOutputs(options, base, created);
  const data = loadTagData(settings);
  const { words, tags } = data.vocabularies;
  const model = buildTagger(settings, words.size, tags.size).initialize(settings.seed);
  const stepsPerEpoch = data.trainLoader.batchesPerEpoch!;
  const optimizer = buildOptimizer(settings, stepsPerEpoch * settings.epochs, stepsPerEpoch);
  // The vocabularies go into every checkpoint (fit's runSettings): a checkpoint is self-describing, and a resume with other vocabularies is refused.
  const runSettings = {
    task: 'tag',
    limit: settings.limit,
    vocabulary: { words: words.toJSON(), tags: tags.toJSON() },
  };
  if (resume !== null) checkRecordedSettings(resume, options.resume!, runSettings);
  if (resume !== null)
    checkResumable(resume, options.resume!, {
      model,
      optimizer,
      seed: settings.seed,
      runSettings,
      allowNonFinite: options.allowNonFinite,
    });
  const print = (text = '') => io.stdout.write(`${text}\n`);
  const resuming =
    resume === null ? '' : `, resuming from ${options.resume} (epoch ${resume.epoch}, step ${resume.step})`;
  print(`annet-train: ${taggerTitle(settings)} on the Brown corpus (part-of-speech tags)`);
  print(
    `data       ${data.source}: ${formatCount(data.train.sentences.length)} training sentences (${formatCount(data.train.tokens)} tokens), ${formatCount(data.validation.sentences.length)} validation, ${formatCount(data.test.sentences.length)} test`,
  );
  print(
    `vocabulary ${formatCount(words.size)} word ids (training words seen ${settings.minFrequency}+ times, and signatures for the rest), ${tags.size} tags`,
  );
  print(
    `training   ${settings.optimizer}, learning rate ${settings.learningRate} (${settings.schedule} schedule), batches of ${settings.batchSize} sentences of similar lengths, ${settings.epochs} epochs, dropout ${settings.dropout}, seed ${settings.seed}${resuming}${options.threads > 1 ? `, ${options.threads} threads` : ''}`,
  );
  print(model.summary());
  print();
  const handlers = trainingHandlers(options, io);
  const threads = await startThreads(options);
  const history = await model
    .fit(data.trainLoader, {
      optimizer,
      loss: taggingLoss,
      epochs: settings.epochs,
      validationData: data.validationLoader,
      seed: settings.seed,
      metrics: [new TokenAccuracy({ name: 'accuracy', ignoreIndex: ignoredLabel })],
      callbacks: [began, ...handlers.callbacks],
      resumeFrom: resume ?? undefined,
      runSettings,
      allowNonFiniteResume: options.allowNonFinite,
    })
    .finally(() => threads?.stop());
  const report = buildTagReport(settings, data, model, history, started, options.resume ?? null);
  const written = writeTagOutputs(out, report);
  written.push(...checkpointWritten(handlers.log));
  printTagResults(report, written, print);
  return handlers.outcome();
}

function buildTagReport(
  settings: ReturnType<typeof resolveTagSettings>,
  data: ReturnType<typeof loadTagData>,
  model: ReturnType<typeof buildTagger>,
  history: History,
  started: number,
  resumedFrom: string | null,
): TagRunReport {
  const { words, tags } = data.vocabularies;
  return {
    tool: 'annet-train',
    task: 'tag',
    settings,
    data: {
      source: data.source,
      documents: { train: data.train.documents, validation: data.validation.documents, test: data.test.documents },
      sentences: {
        train: data.train.sentences.length,
        validation: data.validation.sentences.length,
        test: data.test.sentences.length,
      },
      tokens: { train: data.train.tokens, validation: data.validation.tokens, test: data.test.tokens },
    },
    vocabulary: { words: words.size, tags: tags.size },
    model: {
      name: 'tagger',
      title: taggerTitle(settings),
      parameters: model.parameters().reduce((sum, parameter) => sum + parameter.value.length, 0),
      architecture: model.getConfig(),
    },
    epochs: history.epochs.map((logs, index) => epochRecord(index, logs)),
    validation: evaluateTagger(model, data.validation, data.baseline, tags),
    test: evaluateTagger(model, data.test, data.baseline, tags),
    totalSeconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    stopReason: history.stopReason,
    resumedFrom,
  };
}
