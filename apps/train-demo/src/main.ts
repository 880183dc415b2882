import { parseCliArguments } from './args.js';
import { RuntimeError, UsageError } from './errors.js';
import { runTagTraining } from './tag/tag-task.js';
import { runTextTraining } from './gpt/run-text.js';
import { runTraining, type Io } from './train.js';
import { usage } from './usage.js';

/**
 * Runs the command line and returns the exit code: 0 done, 1 runtime error, 2 usage error,
 * 3 training diverged (the loss became NaN or infinite), 130 interrupted by Ctrl-C. Errors, a
 * diverged run and an interruption print one line on stderr (`annet-train: …`).
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const options = parseCliArguments(argv);
    if (options.help) {
      io.stdout.write(usage);
      return 0;
    }
    const outcome =
      options.task === 'tag'
        ? await runTagTraining(options, io)
        : options.task === 'text'
          ? await runTextTraining(options, io)
          : await runTraining(options, io);
    if (outcome.kind === 'done') return 0;
    io.stderr.write(`annet-train: ${outcome.message}\n`);
    return outcome.kind === 'interrupted' ? 130 : 3;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`annet-train: ${error.message} (see annet-train --help)\n`);
      return 2;
    }
    const message =
      error instanceof RuntimeError || isAnnetError(error)
        ? (error as Error).message
        : `unexpected error: ${(error as Error)?.stack ?? String(error)}`;
    io.stderr.write(`annet-train: ${firstLine(message)}\n`);
    return 1;
  }
}

function isAnnetError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AnnetError';
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 600 ? `${line.slice(0, 597)}...` : line;
}
