import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliOptions } from './args.js';

/** The app's package folder (`src/..` or `dist/..`), where pnpm and npm run its scripts. */
const appFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The folder the user ran the command from, which relative paths are resolved against. A pnpm or
 * npm script runs the app inside its package folder and puts the caller's folder in `INIT_CWD`;
 * the root `pnpm demo` script goes through a second pnpm (which sets `INIT_CWD` to the root), so
 * it passes the caller's folder on as `ANNET_TRAIN_CWD`. Run directly, it is the current folder.
 *
 * @example
 * invocationFolder({ INIT_CWD: '/home/me', npm_lifecycle_event: 'start' }, '/repo/apps/train-demo'); // '/home/me'
 */
export function invocationFolder(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd = process.cwd(),
): string {
  if (env.npm_lifecycle_event === undefined || path.resolve(cwd) !== appFolder) return cwd;
  const caller = [env.ANNET_TRAIN_CWD, env.INIT_CWD].find((folder) => folder !== undefined && folder !== '');
  return caller === undefined ? cwd : path.resolve(caller);
}

/**
 * The options with `--data`, `--checkpoint`, `--resume` and `--out` resolved against `base` (the
 * {@link invocationFolder}); unchanged when `base` is the current folder, so messages show the
 * paths as they were typed.
 *
 * @example
 * resolveCliPaths(options, '/home/me').out; // '/home/me/myout' for --out myout
 */
export function resolveCliPaths(options: CliOptions, base: string, cwd = process.cwd()): CliOptions {
  if (path.resolve(base) === path.resolve(cwd)) return options;
  const resolve = (value: string | undefined) => (value === undefined ? undefined : path.resolve(base, value));
  return {
    ...options,
    data: resolve(options.data),
    checkpoint: resolve(options.checkpoint),
    resume: resolve(options.resume),
    out: resolve(options.out),
  };
}
