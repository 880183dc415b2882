import fs from 'node:fs';
import path from 'node:path';
import { createFolders, describeError, removeFolders } from '@annet/model/node';
import { RuntimeError } from './errors.js';

/**
 * `runs/2025-01-31T14-05-09`: the default output folder, named after the local start time.
 *
 * @example
 * defaultOutputFolder(new Date(2025, 0, 31, 14, 5, 9)); // 'runs/2025-01-31T14-05-09'
 */
export function defaultOutputFolder(now = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}-${pad(now.getMinutes())}-${pad(now.getSeconds())}`;
  return path.join('runs', stamp);
}

/**
 * Proves, before any training, that files can be written in `folder`: refuses a file in the way,
 * creates the missing folders one level at a time (recording them in `created`, so a run that
 * fails before training can remove them), then writes and removes a probe file there. Each step
 * is a single system call that fails at once, so `/proc` or `/sys` (even as root), a read-only
 * mount or a parent that cannot be created are refused in milliseconds, with a
 * {@link RuntimeError} naming the flag and the path.
 *
 * @example
 * proveWritableFolder('runs/a', '--out', created); // throws RuntimeError('--out runs/a: …') when it cannot be written
 */
export function proveWritableFolder(folder: string, flag: string, created: string[], shown = folder): void {
  const resolved = path.resolve(folder);
  let existing = resolved;
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  if (!fs.statSync(existing).isDirectory()) {
    throw new RuntimeError(
      `${flag} ${shown}: ${existing === resolved && shown === folder ? 'exists and is not a folder' : `${existing} is a file, so the folder cannot be created`}`,
    );
  }
  try {
    created.push(...createFolders(folder, flag));
  } catch (error) {
    throw new RuntimeError(`${flag} ${shown}: ${(error as Error).message.slice(flag.length + folder.length + 4)}`);
  }
  const probe = path.join(resolved, `.annet-train-probe-${process.pid}`);
  try {
    fs.writeFileSync(probe, 'probe', { flag: 'wx' });
    fs.unlinkSync(probe);
  } catch (error) {
    throw new RuntimeError(`${flag} ${shown}: cannot write a file in ${resolved} (${describeError(error)})`);
  }
}

/**
 * Proves that a checkpoint can be written at `file`: it is not a folder, and its folder passes
 * {@link proveWritableFolder} (the atomic save writes a temporary file beside it, as the probe does).
 *
 * @example
 * proveWritableFile('runs/a/model.ckpt', '--checkpoint', created);
 */
export function proveWritableFile(file: string, flag: string, created: string[]): void {
  if (fs.existsSync(file) && fs.statSync(file).isDirectory())
    throw new RuntimeError(`${flag} ${file}: is a folder, expected a file path`);
  proveWritableFolder(path.dirname(path.resolve(file)), flag, created, file);
}

/**
 * Removes the folders {@link proveWritableFolder} created, for a run that failed before training.
 *
 * @example
 * removeCreatedFolders(created);
 */
export function removeCreatedFolders(created: readonly string[]): void {
  removeFolders(created);
}
