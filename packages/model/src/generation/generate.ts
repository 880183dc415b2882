import { AnnetError, createRng, Tensor, type Rng } from '@annet/tensor';
import type { Model } from '../graph/model.js';
import { sampleToken } from './sample-token.js';

/**
 * Options of {@link generate}.
 *
 * @example
 * const options: GenerateOptions = { maxTokens: 200, temperature: 0.8, topK: 40, seed: 1 };
 */
export interface GenerateOptions {
  /** Tokens to generate (≥ 0). */
  readonly maxTokens: number;
  /** Divides the logits before the softmax; 0 is greedy (argmax, no randomness). Default 1. */
  readonly temperature?: number;
  /** Sample only among the k most likely tokens (ties at the k-th logit kept); default: all. */
  readonly topK?: number;
  /** Seeds the sampling generator (`createRng(seed)`); default 0. Ignored at temperature 0. */
  readonly seed?: number;
}

/**
 * Autoregressive generation with a causal language model (such as {@link gptModel}): a graph
 * model of one int32 input `[blockSize]` and one output `[blockSize, vocabulary]` of logits.
 * Each step runs the model on the last ≤ blockSize tokens (the prompt, then what it generated:
 * nanoGPT's crop), takes the logits of the last position, divides them by `temperature`, keeps
 * the `topK` largest, and draws the next token from their softmax with a generator seeded by
 * `seed`, so the same call returns the same tokens; temperature 0 takes the argmax.
 *
 * Returns only the generated tokens (append them to the prompt to read the whole text). The
 * prompt must hold 1 … blockSize valid ids. Inference mode: dropout is off and the model's
 * training state is untouched. Without a key/value cache every step recomputes the whole
 * window (the model package README measures what that costs).
 *
 * @example
 * const ids = generate(model, tokenizer.encode('The '), { maxTokens: 100, temperature: 0.8, topK: 20, seed: 7 });
 * console.log('The ' + tokenizer.decode(ids));
 */
export function generate(model: Model, prompt: ArrayLike<number>, options: GenerateOptions): Int32Array {
  const operation = 'generate';
  const { blockSize, vocabularySize } = languageModelShape(model, operation);
  const settings = checkOptions(options, vocabularySize, operation);
  const context = checkPrompt(prompt, blockSize, vocabularySize, operation);
  const generated = new Int32Array(settings.maxTokens);
  const rng: Rng = createRng(settings.seed);
  const window = new Int32Array(blockSize);
  let length = context.length;
  window.set(context);
  const probabilities = new Float64Array(vocabularySize);
  for (let step = 0; step < settings.maxTokens; step++) {
    const tokens = new Tensor(window.subarray(0, length), [1, length]);
    const logits = model.forwardArrays([tokens], false)[0];
    const row = logits.contiguous();
    const next = sampleToken(
      row.data as Float32Array | Float64Array,
      row.offset + (length - 1) * vocabularySize,
      vocabularySize,
      settings.temperature,
      settings.topK,
      rng,
      probabilities,
    );
    generated[step] = next;
    if (length === blockSize) {
      window.copyWithin(0, 1);
      window[blockSize - 1] = next;
    } else window[length++] = next;
  }
  return generated;
}

/** The block size and vocabulary of a causal language model, or an error saying what it must be. */
function languageModelShape(model: Model, operation: string): { blockSize: number; vocabularySize: number } {
  if (typeof model?.forwardArrays !== 'function' || !Array.isArray(model.inputNames))
    throw new AnnetError('INVALID_ARGUMENT', operation, 'expected a graph Model (such as gptModel(...))');
  const inputs = model.plan.inputs;
  const producers = new Map(model.plan.nodes.map((node) => [node.outputSlot, node.output.shape]));
  const outputs = model.plan.outputSlots.map((slot) => producers.get(slot) ?? []);
  const inputShape = inputs[0]?.shape ?? [];
  const outputShape = outputs[0] ?? [];
  if (
    inputs.length !== 1 ||
    inputs[0].dtype !== 'int32' ||
    inputShape.length !== 2 ||
    outputs.length !== 1 ||
    outputShape.length !== 3 ||
    outputShape[1] !== inputShape[1]
  ) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected a language model of one int32 input [batch,blockSize] and one output [batch,blockSize,vocabulary], got inputs ${inputs.map((tensor) => `[${tensor.shape.join(',')}] ${tensor.dtype}`).join(', ')} and outputs ${outputs.map((shape) => `[${shape.join(',')}]`).join(', ')}`,
    );
  }
  return { blockSize: inputShape[1], vocabularySize: outputShape[2] };
}

function checkOptions(
  options: GenerateOptions,
  vocabularySize: number,
  operation: string,
): { maxTokens: number; temperature: number; topK: number; seed: number } {
  if (typeof options !== 'object' || options === null)
    throw new AnnetError('INVALID_ARGUMENT', operation, 'expected options { maxTokens, temperature?, topK?, seed? }');
  const { maxTokens } = options;
  if (!Number.isSafeInteger(maxTokens) || maxTokens < 0)
    throw new AnnetError('INVALID_ARGUMENT', operation, `maxTokens must be an integer >= 0, got ${String(maxTokens)}`);
  const temperature = options.temperature ?? 1;
  if (typeof temperature !== 'number' || !(temperature >= 0) || !Number.isFinite(temperature))
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `temperature must be a finite number >= 0 (0 is greedy), got ${String(options.temperature)}`,
    );
  const topK = options.topK ?? vocabularySize;
  if (!Number.isSafeInteger(topK) || topK < 1)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `topK must be an integer >= 1 (or left out to sample from all ${vocabularySize} tokens), got ${String(options.topK)}`,
    );
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new AnnetError('INVALID_ARGUMENT', operation, `seed must be an integer >= 0, got ${String(options.seed)}`);
  return { maxTokens, temperature, topK: Math.min(topK, vocabularySize), seed };
}

function checkPrompt(
  prompt: ArrayLike<number>,
  blockSize: number,
  vocabularySize: number,
  operation: string,
): Int32Array {
  if (prompt === null || typeof prompt !== 'object' || typeof prompt.length !== 'number')
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected the prompt as token ids (an Int32Array or an array), got ${prompt === null ? 'null' : typeof prompt}`,
    );
  if (prompt.length === 0)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      'the prompt is empty; pass at least one token id (for example a newline)',
    );
  if (prompt.length > blockSize)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `the prompt has ${prompt.length} tokens but the model's block size is ${blockSize}; pass at most the last ${blockSize} tokens`,
    );
  const ids = new Int32Array(prompt.length);
  for (let position = 0; position < prompt.length; position++) {
    const id = prompt[position];
    if (!Number.isSafeInteger(id) || id < 0 || id >= vocabularySize)
      throw new AnnetError(
        'INDEX_OUT_OF_RANGE',
        operation,
        `prompt token ${String(id)} at position ${position} is outside the vocabulary [0, ${vocabularySize})`,
      );
    ids[position] = id;
  }
  return ids;
}
