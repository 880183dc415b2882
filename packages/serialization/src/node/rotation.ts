import path from 'node:path';
import type { FileOperations } from './file-operations.js';

/**
 * The name of the `index`-th previous version of a checkpoint: the index goes before the
 * extension, `run/model.ckpt` → `run/model.1.ckpt`, `run/model.2.ckpt`, …; a name without an
 * extension gets it at the end (`run/latest` → `run/latest.1`). Index 0 is the path itself.
 *
 * @example
 * rotatedPath('run/model.ckpt', 2); // 'run/model.2.ckpt'
 */
export function rotatedPath(file: string, index: number): string {
  if (index === 0) return file;
  const directory = path.dirname(file);
  const base = path.basename(file);
  const dot = base.lastIndexOf('.');
  const name = dot > 0 ? `${base.slice(0, dot)}.${index}${base.slice(dot)}` : `${base}.${index}`;
  return path.join(directory, name);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/**
 * Makes `target` name the same content as `source` without `target` ever being absent: a hard
 * link (or, on file systems without them, a copy) of `source` under the temporary name
 * `temporary`, renamed over `target`. rename(2) replaces its target atomically, so a reader (or
 * a process killed at any point) sees the old `target` or the new one, never no file. Returns
 * false, touching nothing, when `source` does not exist.
 */
async function replaceWithCopyOf(
  source: string,
  target: string,
  temporary: string,
  files: FileOperations,
): Promise<boolean> {
  try {
    await files.link(source, temporary);
  } catch (error) {
    if (isMissing(error)) return false;
    // No hard links here (FAT, some network shares): copy to the temporary name instead.
    try {
      await files.copyFile(source, temporary);
    } catch (copyError) {
      if (isMissing(copyError)) return false;
      throw copyError;
    }
  }
  await files.rename(temporary, target);
  // rename(2) does nothing when both names are links to one file (neighbours left equal by an
  // interrupted rotation): the temporary link is then still there.
  try {
    await files.unlink(temporary);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  return true;
}

/**
 * Shifts the previous versions of `file` up by one (`.1` → `.2`, …, the oldest kept one,
 * `.(keepLast − 1)`, replaced) and makes `.1` the current `file`, which is left in place. The
 * caller then renames the new version over `file`.
 *
 * Every step replaces one name atomically (a link to a temporary name, renamed over the target;
 * see `replaceWithCopyOf`) and nothing is ever unlinked or renamed away, so every kept name that
 * holds a checkpoint holds a complete one at every moment, wherever the process dies: at worst
 * two neighbouring names briefly hold the same checkpoint, and a temporary link is left for the
 * next write to clean up. `temporaryName()` gives a fresh temporary path next to `file`.
 *
 * @example
 * await rotateVersions('run/model.ckpt', 3, nodeFileOperations, () => temporaryPath('run/model.ckpt'));
 * // model.2.ckpt ← model.1.ckpt, then model.1.ckpt ← model.ckpt
 */
export async function rotateVersions(
  file: string,
  keepLast: number,
  files: FileOperations,
  temporaryName: () => string,
): Promise<void> {
  for (let index = keepLast - 1; index >= 1; index--) {
    await replaceWithCopyOf(rotatedPath(file, index - 1), rotatedPath(file, index), temporaryName(), files);
  }
}

/**
 * Deletes numbered versions of `file` at or beyond `keepLast` (left over from a run that kept
 * more). Only names that match the scheme of {@link rotatedPath} exactly are touched.
 *
 * @example
 * await pruneVersions('run/model.ckpt', 2, nodeFileOperations); // deletes model.2.ckpt, model.3.ckpt, …
 */
export async function pruneVersions(file: string, keepLast: number, files: FileOperations): Promise<void> {
  const directory = path.dirname(file);
  const pattern = rotatedPath(path.basename(file), 987654321).split('987654321');
  const entries = await files.readdir(directory);
  for (const entry of entries) {
    if (!entry.startsWith(pattern[0]) || !entry.endsWith(pattern[1])) continue;
    const index = entry.slice(pattern[0].length, entry.length - pattern[1].length);
    if (/^[1-9][0-9]*$/.test(index) && Number(index) >= keepLast) {
      try {
        await files.unlink(path.join(directory, entry));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
  }
}
