// The GPT workload of `pnpm bench:train`: nanoGPT's CPU baby GPT (bench/gpt-loop.ts) on each step
// backend, then the same model, optimizer and tokens in PyTorch one thread (bench/torch_gpt.py).
import { forEachBackend } from './backends.js';
import { syntheticTokens, trainGpt } from './gpt-loop.js';
import { settings } from './options.js';
import { runPythonScript, withDataFiles } from './python.js';
import { describe, print, printRatios } from './report.js';

/** Vocabulary of the synthetic tokens (the size of the Shakespeare character set nanoGPT uses). */
const vocabulary = 85;

/**
 * Trains the GPT for --gpt-iterations steps (after --warmup) on every --step-backends backend,
 * then in PyTorch, printing each run and the ratios annet/PyTorch.
 *
 * @example
 * await benchGpt();
 */
export async function benchGpt(): Promise<void> {
  const { seed, gptIterations, warmup } = settings;
  describe(
    'gpt',
    `nanoGPT's CPU baby GPT (4 layers, 4 heads, width 128, block 64, batch 12), AdamW, clipping at 1, ${gptIterations} timed iterations after ${warmup}, seeded synthetic tokens (vocabulary ${vocabulary})`,
  );
  const tokens = syntheticTokens(200_000, vocabulary, seed);
  await forEachBackend('gpt', settings.stepBackends, (_, threads) =>
    print({ ...trainGpt(tokens, vocabulary, gptIterations, warmup, seed), threads }),
  );
  if (!settings.withReference) return;
  const lines = withDataFiles({ 'tokens.i32': tokens }, (folder) =>
    runPythonScript(
      'torch_gpt.py',
      [`${folder}/tokens.i32`, String(vocabulary), String(gptIterations), String(warmup), String(seed)],
      'gpt',
      'pytorch',
    ),
  );
  for (const line of lines) print(line);
  printRatios('gpt', 'Torch');
}
