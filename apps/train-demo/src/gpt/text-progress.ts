import { generate, type Callback, type EpochLogs, type Model, type TrainingContext } from '@annet/model';
import type { CharacterTokenizer } from '@annet/dataset';
import type { TextSettings } from './text-settings.js';

/** The JSON a callback's state is (the demo does not depend on @annet/layer-api itself). */
type JsonObject = ReturnType<NonNullable<Callback['getState']>>;

/**
 * One validation point of a text run, as it goes into `metrics.json` and the curves.
 *
 * @example
 * const point: TextEvaluation = { step: 250, trainLoss: 2.4, validationLoss: 2.38, validationBitsPerCharacter: 3.43, learningRate: 1e-3, tokensPerSecond: 1200, seconds: 160, sample: 'The ...' };
 */
export interface TextEvaluation {
  readonly step: number;
  /** Mean training loss (nats per character) over the interval's steps. */
  readonly trainLoss: number;
  readonly validationLoss: number;
  readonly validationBitsPerCharacter: number;
  readonly learningRate: number;
  /** Training tokens per second over the interval (wall clock; sampling and validation excluded). */
  readonly tokensPerSecond: number;
  /** Wall-clock seconds of training so far, this process and the resumed ones. */
  readonly seconds: number;
  readonly sample: string;
}

/**
 * The text task's progress: every `every` steps a line with the step, the loss of the last step,
 * the learning rate and tokens per second; at every interval the validation loss in nats and
 * bits per character and a seeded sample. Its records are callback state, so a resumed run's
 * metrics.json holds the whole run.
 *
 * @example
 * const progress = new TextProgress(settings, model, tokenizer, (line) => console.log(line));
 */
export class TextProgress implements Callback {
  readonly name = 'textProgress';
  evaluations: TextEvaluation[] = [];
  private secondsBefore = 0;
  private intervalStart = 0;
  private intervalTokens = 0;
  private lineStart = 0;
  private lineTokens = 0;
  private trainStart = 0;

  constructor(
    private readonly settings: TextSettings,
    private readonly model: Model,
    private readonly tokenizer: CharacterTokenizer,
    private readonly print: (line: string) => void,
    private readonly every = 10,
  ) {}

  onTrainBegin(): void {
    this.trainStart = this.intervalStart = this.lineStart = performance.now();
  }

  onBatchEnd(_logs: EpochLogs, context: TrainingContext): void {
    const tokens = this.settings.batchSize * this.settings.blockSize;
    this.intervalTokens += tokens;
    this.lineTokens += tokens;
    if (context.step % this.every !== 0) return;
    const now = performance.now();
    const rate = this.lineTokens / ((now - this.lineStart) / 1000);
    this.print(
      `step ${String(context.step).padStart(5)}/${this.settings.iterations}  loss ${context.batchLoss.toFixed(4)}  lr ${context.learningRate.toExponential(2)}  ${Math.round(rate).toLocaleString('en-US')} tokens/s`,
    );
    this.lineStart = now;
    this.lineTokens = 0;
  }

  onEpochEnd(logs: EpochLogs, context: TrainingContext): void {
    const now = performance.now();
    const tokensPerSecond = this.intervalTokens / ((now - this.intervalStart) / 1000);
    const validationLoss = logs.validationLoss as number;
    const sample = this.sample();
    const evaluation: TextEvaluation = {
      step: context.step,
      trainLoss: round(logs.loss as number),
      validationLoss: round(validationLoss),
      validationBitsPerCharacter: round(validationLoss / Math.LN2),
      learningRate: logs.learningRate as number,
      tokensPerSecond: Math.round(tokensPerSecond),
      seconds: round(this.secondsBefore + (now - this.trainStart) / 1000),
      sample,
    };
    this.evaluations.push(evaluation);
    this.print(
      `step ${context.step}: train ${evaluation.trainLoss.toFixed(4)}, validation ${evaluation.validationLoss.toFixed(4)} nats (${evaluation.validationBitsPerCharacter.toFixed(3)} bits/char), ${evaluation.tokensPerSecond.toLocaleString('en-US')} tokens/s`,
    );
    this.print(
      `sample (seed ${this.settings.seed}, temperature ${this.settings.temperature}, top-k ${this.settings.topK}): ${JSON.stringify(sample)}`,
    );
    // Sampling and validation are not training time.
    this.intervalStart = this.lineStart = performance.now();
    this.intervalTokens = this.lineTokens = 0;
  }

  /** A continuation of the prompt, seeded with the run's seed (the same text for the same weights). */
  sample(): string {
    const { prompt, sampleTokens, temperature, topK, seed } = this.settings;
    const ids = generate(this.model, this.tokenizer.encode(prompt), {
      maxTokens: sampleTokens,
      temperature,
      topK,
      seed,
    });
    return prompt + this.tokenizer.decode(ids);
  }

  getState(): JsonObject {
    const elapsed = this.trainStart === 0 ? 0 : (performance.now() - this.trainStart) / 1000;
    return { evaluations: this.evaluations as unknown as JsonObject[], seconds: this.secondsBefore + elapsed };
  }

  setState(state: JsonObject): void {
    this.evaluations = (state.evaluations as unknown as TextEvaluation[]).slice();
    this.secondsBefore = state.seconds as number;
  }
}

function round(value: number): number {
  return Number(value.toFixed(5));
}
