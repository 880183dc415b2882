import { link, readdir, rename, unlink, copyFile } from 'node:fs/promises';
import path from 'node:path';

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

async function ignoreMissing(operation: Promise<unknown>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

/**
 * Shifts the previous versions of `file` up by one (`.1` → `.2`, …, dropping the one that would
 * exceed `keepLast − 1`) and makes `.1` a hard link to the current `file`, which is left in place.
 * The caller then renames the new version over `file`, so `file` always names a complete
 * checkpoint, even if the process dies between any two steps (at worst two numbered files are
 * briefly the same checkpoint). Falls back to a copy on file systems without hard links.
 *
 * @example
 * await rotateVersions('run/model.ckpt', 3); // model.1.ckpt → model.2.ckpt; model.ckpt linked as model.1.ckpt
 */
export async function rotateVersions(file: string, keepLast: number): Promise<void> {
  for (let index = keepLast - 1; index >= 2; index--) {
    await ignoreMissing(rename(rotatedPath(file, index - 1), rotatedPath(file, index)));
  }
  const first = rotatedPath(file, 1);
  await ignoreMissing(unlink(first));
  try {
    await link(file, first);
  } catch (error) {
    if (isMissing(error)) return;
    // No hard links here (FAT, some network shares): copy to a temporary name, then rename.
    const copy = `${first}.copy-${process.pid}`;
    await copyFile(file, copy);
    await rename(copy, first);
  }
}

/**
 * Deletes numbered versions of `file` at or beyond `keepLast` (left over from a run that kept
 * more). Only names that match the scheme of {@link rotatedPath} exactly are touched.
 *
 * @example
 * await pruneVersions('run/model.ckpt', 2); // deletes model.2.ckpt, model.3.ckpt, …
 */
export async function pruneVersions(file: string, keepLast: number): Promise<void> {
  const directory = path.dirname(file);
  const pattern = rotatedPath(path.basename(file), 987654321).split('987654321');
  const entries = await readdir(directory);
  for (const entry of entries) {
    if (!entry.startsWith(pattern[0]) || !entry.endsWith(pattern[1])) continue;
    const index = entry.slice(pattern[0].length, entry.length - pattern[1].length);
    if (/^[1-9][0-9]*$/.test(index) && Number(index) >= keepLast) await ignoreMissing(unlink(path.join(directory, entry)));
  }
}
