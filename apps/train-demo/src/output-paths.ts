import fs from 'node:fs';
import path from 'node:path';
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
 * Checks, before any training, that `folder` can be created or written: it is a folder (or does
 * not exist yet) and the nearest existing ancestor is a writable folder. Throws a
 * {@link RuntimeError} naming the path otherwise.
 *
 * @example
 * checkWritableFolder('runs/a', '--out'); // throws RuntimeError('--out runs/a: …') when it cannot be written
 */
export function checkWritableFolder(folder: string, flag: string): void {
  const resolved = path.resolve(folder);
  let existing = resolved;
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  if (!fs.statSync(existing).isDirectory()) {
    throw new RuntimeError(`${flag} ${folder}: ${existing === resolved ? 'exists and is not a folder' : `${existing} is a file, so the folder cannot be created`}`);
  }
  try {
    fs.accessSync(existing, fs.constants.W_OK);
  } catch {
    throw new RuntimeError(`${flag} ${folder}: ${existing} is not writable`);
  }
}

/**
 * Checks that a checkpoint file can be written: its folder is writable and the path is not a folder.
 *
 * @example
 * checkWritableFile('runs/a/model.ckpt', '--checkpoint');
 */
export function checkWritableFile(file: string, flag: string): void {
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new RuntimeError(`${flag} ${file}: is a folder, expected a file path`);
  checkWritableFolder(path.dirname(path.resolve(file)), flag);
}

/**
 * Creates `folder` and its missing ancestors (after the checks above passed), or throws a
 * {@link RuntimeError} naming the flag and the path.
 *
 * @example
 * createFolder('runs/a/checkpoints', '--checkpoint');
 */
export function createFolder(folder: string, flag: string): void {
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new RuntimeError(`${flag} ${folder}: ${(error as Error).message}`);
  }
}
