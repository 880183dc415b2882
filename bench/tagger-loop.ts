// The LSTM tagger workload: the demo's `--task tag` model (apps/train-demo/src/tag/tag-model.ts,
// imported from its build) and optimizer, one training step at a time on seeded synthetic
// sentences of a fixed length. bench/torch_lstm_tagger.py trains the same on the same bytes.
import { parseCliArguments } from '../apps/train-demo/dist/args.js';
import { buildOptimizer } from '../apps/train-demo/dist/optimizer-factory.js';
import { buildTagger, taggingLoss } from '../apps/train-demo/dist/tag/tag-model.js';
import { resolveTagSettings } from '../apps/train-demo/dist/tag/tag-settings.js';
import { activeKernels, createRng, residentZeros, Tensor } from '../packages/tensor/dist/index.js';
import { parameterCount, timeSteps } from './timed-steps.js';

/**
 * The shape of the demo's Brown tagger: its vocabularies over the full corpus (27,000 word ids
 * at minimum frequency 2 with signatures, 190 tags), and a fixed sentence length of 20 tokens
 * (Brown's training sentences average 20.2 tokens, median 18).
 */
export const taggerShape = { words: 27_000, tags: 190, length: 20 } as const;

/** Synthetic tagged sentences: `count` rows of `length` word ids and their tag ids, row-major. */
export interface TaggedSentences {
  readonly words: Int32Array;
  readonly tags: Int32Array;
  readonly count: number;
  readonly length: number;
}

/**
 * Seeded synthetic sentences: word ids 1…words−1 drawn by Zipf's law (p ∝ 1/rank, as word counts
 * fall; id 0 is the padding id and never drawn), each word with a fixed random tag, replaced by
 * (its tag + the previous word's tag) mod tags in 15 % of places, so the tag depends on context
 * and a bidirectional LSTM has something to learn. The same bytes go to bench/torch_lstm_tagger.py.
 *
 * @example
 * const data = syntheticTaggedSentences(2000, 20, 27_000, 190, 1); // data.words.length === 40_000
 */
export function syntheticTaggedSentences(
  count: number,
  length: number,
  words: number,
  tags: number,
  seed: number,
): TaggedSentences {
  const rng = createRng(seed);
  const cumulative = new Float64Array(words - 1);
  let total = 0;
  for (let rank = 1; rank < words; rank++) cumulative[rank - 1] = total += 1 / rank;
  const tagOf = Int32Array.from({ length: words }, () => Math.floor(rng.uniform() * tags));
  const wordIds = new Int32Array(count * length);
  const tagIds = new Int32Array(count * length);
  for (let index = 0; index < wordIds.length; index++) {
    const target = rng.uniform() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] < target) low = middle + 1;
      else high = middle;
    }
    const word = low + 1;
    wordIds[index] = word;
    const ambiguous = index % length > 0 && rng.uniform() < 0.15;
    tagIds[index] = ambiguous ? (tagOf[word] + tagOf[wordIds[index - 1]]) % tags : tagOf[word];
  }
  return { words: wordIds, tags: tagIds, count, length };
}

/** One tagger benchmark run: the JSON line `pnpm bench:train` prints for `model: 'lstm'`. */
export interface TaggerResult {
  model: 'lstm';
  backend: string;
  batch: number;
  sentenceLength: number;
  iterations: number;
  tokensPerSecond: number;
  msPerStep: number;
  /** Mean training loss over the last 10 steps. */
  finalLoss: number;
  parameters: number;
}

/**
 * Trains the demo's tagger (embedding 64 with maskZero, bidirectional LSTM 2×64, dropout 0.25,
 * dense to the tags) with the demo's optimizer and batch size (AdamW, lr 3e-3, weight decay 0.01,
 * 32 sentences; the schedule held constant, a per-step scalar that costs nothing) and its loss
 * (softmax cross-entropy skipping label −100), batches taken in order from `data`, wrapping
 * around; times `iterations` steps after `warmup` ones.
 *
 * @example
 * const result = trainTagger(syntheticTaggedSentences(2000, 20, 27_000, 190, 1), 60, 3, 1);
 */
export function trainTagger(data: TaggedSentences, iterations: number, warmup: number, seed: number): TaggerResult {
  const settings = resolveTagSettings(parseCliArguments(['--task', 'tag', '--schedule', 'constant']));
  const model = buildTagger(settings, taggerShape.words, taggerShape.tags).initialize(seed);
  const optimizer = buildOptimizer(settings, warmup + iterations, warmup + iterations);
  const batch = settings.batchSize;
  const { length } = data;
  const inputs = new Tensor(new Int32Array(batch * length), [batch, length]);
  const targets = new Tensor(new Int32Array(batch * length), [batch, length]);
  // The loss gradient lives in the kernels' memory, made on the first step and reused, as fit's
  // LossComputer keeps it: the loss runs in WebAssembly SIMD and the head's products read it in place.
  let lossGradient: Tensor | undefined;
  const { seconds, finalLoss } = timeSteps(warmup, iterations, (iteration) => {
    for (let row = 0; row < batch; row++) {
      const sentence = (iteration * batch + row) % data.count;
      (inputs.data as Int32Array).set(data.words.subarray(sentence * length, (sentence + 1) * length), row * length);
      (targets.data as Int32Array).set(data.tags.subarray(sentence * length, (sentence + 1) * length), row * length);
    }
    const logits = model.forward(inputs, { training: true });
    const { loss, gradient } = taggingLoss(logits, targets, { out: (lossGradient ??= residentZeros(logits.shape)) });
    lossGradient = gradient;
    model.backward(gradient, { inputGradient: false });
    optimizer.step(model);
    return loss;
  });
  return {
    model: 'lstm',
    backend: activeKernels().name,
    batch,
    sentenceLength: length,
    iterations,
    tokensPerSecond: Math.round((iterations * batch * length) / seconds),
    msPerStep: Number(((seconds * 1000) / iterations).toFixed(2)),
    finalLoss,
    parameters: parameterCount(model),
  };
}
