// The LSTM tagger workload of `pnpm bench:train`: annet on each step backend (bench/tagger-loop.ts),
// then the same model, optimizer and sentences in PyTorch one thread (bench/torch_lstm_tagger.py).
import { parseCliArguments } from '../apps/train-demo/dist/args.js';
import { buildOptimizer } from '../apps/train-demo/dist/optimizer-factory.js';
import { resolveTagSettings } from '../apps/train-demo/dist/tag/tag-settings.js';
import { forEachBackend } from './backends.js';
import { settings } from './options.js';
import { runPythonScript, withDataFiles } from './python.js';
import { describe, print, printRatios } from './report.js';
import { syntheticTaggedSentences, taggerShape, trainTagger } from './tagger-loop.js';

/** Synthetic sentences in the data (the steps cycle through them: 60 steps of 32 use 1,920). */
const sentenceCount = 2000;

/**
 * Trains the tagger for --lstm-iterations steps (after --warmup) on every --step-backends
 * backend, then in PyTorch, printing each run and the ratios annet/PyTorch.
 *
 * @example
 * await benchTagger();
 */
export async function benchTagger(): Promise<void> {
  const { seed, lstmIterations, warmup } = settings;
  const tag = resolveTagSettings(parseCliArguments(['--task', 'tag', '--schedule', 'constant']));
  const optimizer = buildOptimizer(tag, 1, 1);
  const { words, tags, length } = taggerShape;
  describe(
    'lstm',
    `the demo's BiLSTM tagger (embedding ${words}x${tag.embeddingSize}, LSTM 2x${tag.hiddenSize}, dropout ${tag.dropout}, dense ${tags} tags), ${optimizer.type} lr ${tag.learningRate} weight decay ${String(optimizer.config.weightDecay)}, batch ${tag.batchSize} sentences x ${length} tokens, ${lstmIterations} timed steps after ${warmup}, seeded synthetic sentences`,
  );
  const data = syntheticTaggedSentences(sentenceCount, length, words, tags, seed);
  await forEachBackend('lstm', settings.stepBackends, (_, threads) =>
    print({ ...trainTagger(data, lstmIterations, warmup, seed), threads }),
  );
  if (!settings.withReference) return;
  const config = {
    count: sentenceCount,
    length,
    words,
    tags,
    embedding: tag.embeddingSize,
    hidden: tag.hiddenSize,
    dropout: tag.dropout,
    batch: tag.batchSize,
    iterations: lstmIterations,
    warmup,
    seed,
    optimizer: { type: optimizer.type, config: optimizer.config },
  };
  const lines = withDataFiles({ 'words.i32': data.words, 'tags.i32': data.tags }, (folder) =>
    runPythonScript(
      'torch_lstm_tagger.py',
      [`${folder}/words.i32`, `${folder}/tags.i32`, JSON.stringify(config)],
      'lstm',
      'pytorch',
    ),
  );
  for (const line of lines) print(line);
  printRatios('lstm', 'Torch');
}
