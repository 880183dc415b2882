import fs from 'node:fs';
import path from 'node:path';
import { AnnetError } from '@annet/tensor';

/** More missing levels than any real output path has; a bound on the attempt. */
const maximumNewLevels = 64;

/**
 * Creates `folder` and its missing ancestors one level at a time (never `mkdirSync` with
 * `recursive`, which on Node 20 loops forever on some paths, such as under `/proc` as root), and
 * returns the folders it created, outermost first. Throws an `IO_ERROR` AnnetError naming the
 * level that could not be created (`EROFS`, `EACCES`, `ENOENT` under `/proc`, a file in the way…);
 * the levels created before the failure are removed again, so a failure leaves nothing behind.
 *
 * @example
 * createFolders('runs/a/checkpoints'); // ['/home/me/runs', '/home/me/runs/a', '/home/me/runs/a/checkpoints'] when none existed
 */
export function createFolders(folder: string, operation = 'createFolders'): string[] {
  const missing: string[] = [];
  let current = path.resolve(folder);
  while (!fs.existsSync(current)) {
    missing.unshift(current);
    if (missing.length > maximumNewLevels)
      throw new AnnetError('IO_ERROR', operation, `${folder}: more than ${maximumNewLevels} missing folder levels`);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  const created: string[] = [];
  for (const level of missing) {
    try {
      fs.mkdirSync(level);
      created.push(level);
    } catch (error) {
      removeFolders(created);
      throw new AnnetError('IO_ERROR', operation, `${folder}: cannot create ${level} (${describeError(error)})`);
    }
  }
  return created;
}

/**
 * Removes folders that {@link createFolders} created, innermost first, where they are still empty.
 *
 * @example
 * removeFolders(createFolders('runs/a')); // back to how it was
 */
export function removeFolders(created: readonly string[]): void {
  for (const folder of [...created].reverse()) {
    try {
      fs.rmdirSync(folder);
    } catch {
      // Not empty (something was written there since) or already gone: leave it.
    }
  }
}

/**
 * The code and the first line of a Node file-system error: `EROFS: read-only file system`.
 *
 * @example
 * describeError(Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: 'EACCES' })); // "EACCES: permission denied, open '/x'"
 */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !message.startsWith(code) ? `${code}: ${message}` : message;
}
