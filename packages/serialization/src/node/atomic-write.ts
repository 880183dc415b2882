import path from 'node:path';
import { AnnetError } from '@annet/tensor';
import { nodeFileOperations, type FileOperations } from './file-operations.js';
import { pruneVersions, rotateVersions } from './rotation.js';

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /**
   * How many versions to keep, the new one included (default 1: no rotation). With 3, saving
   * `model.ckpt` keeps the two before it as `model.1.ckpt` (newest) and `model.2.ckpt`.
   */
  readonly keepLast?: number;
  /** The operation named in errors (default `writeFileAtomic`). */
  readonly operation?: string;
}

let temporaryCounter = 0;

function temporaryPrefix(file: string): string {
  return `.${path.basename(file)}.`;
}

/** `.model.ckpt.<pid>-<counter>.tmp`, hidden, in the target's folder so the rename stays on one file system. */
function temporaryPath(file: string): string {
  temporaryCounter += 1;
  return path.join(path.dirname(file), `${temporaryPrefix(file)}${process.pid}-${temporaryCounter}.tmp`);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary files (new versions being written, rotation links) that a process killed
 * mid-save left behind (their writer is gone).
 */
async function removeAbandonedTemporaries(file: string, files: FileOperations): Promise<void> {
  const prefix = temporaryPrefix(file);
  for (const entry of await files.readdir(path.dirname(file))) {
    const match = entry.startsWith(prefix) ? /^(\d+)-\d+\.tmp$/.exec(entry.slice(prefix.length)) : null;
    if (match === null) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && !processIsAlive(pid))
      await files.unlink(path.join(path.dirname(file), entry)).catch(() => undefined);
  }
}

/** fsync of a folder makes a rename in it durable; Windows cannot open folders, and needs no such step. */
async function syncDirectory(directory: string, files: FileOperations): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await files.open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `bytes` to `file` so that `file` is always either the old content or the new, never a
 * mixture, whenever the process dies: a temporary file in the same folder is written, fsynced and
 * closed, then renamed over `file`, and the folder is fsynced so the rename survives a power
 * loss. With `keepLast > 1` the previous versions rotate first (see `rotatedPath`), each kept
 * name replaced atomically, so no kept name is ever missing or partial, wherever the process
 * dies. Temporary files left by killed processes are cleaned up on the next write.
 *
 * @example
 * await writeFileAtomic('run/model.ckpt', bytes, { keepLast: 3 });
 */
export async function writeFileAtomic(
  file: string,
  bytes: Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  await writeFileAtomicWith(file, bytes, options, nodeFileOperations);
}

/**
 * {@link writeFileAtomic} over the given file operations: the real ones, or (in tests) ones that
 * fail or kill the process at a chosen call. The new version is complete and fsynced under a
 * temporary name before any kept name changes; then rotation replaces each kept name
 * atomically (see `rotateVersions`), and the rename of the new version over `file` comes last.
 *
 * @example
 * await writeFileAtomicWith('run/model.ckpt', bytes, { keepLast: 3 }, nodeFileOperations);
 */
export async function writeFileAtomicWith(
  file: string,
  bytes: Uint8Array,
  options: AtomicWriteOptions,
  files: FileOperations,
): Promise<void> {
  const operation = options.operation ?? 'writeFileAtomic';
  const keepLast = options.keepLast ?? 1;
  if (!Number.isSafeInteger(keepLast) || keepLast < 1) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `keepLast must be a positive integer, got ${String(keepLast)}`);
  }
  const temporary = temporaryPath(file);
  const rotationTemporaries: string[] = [];
  const rotationTemporary = () => {
    const name = temporaryPath(file);
    rotationTemporaries.push(name);
    return name;
  };
  try {
    await removeAbandonedTemporaries(file, files);
    const handle = await files.open(temporary, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (keepLast > 1) await rotateVersions(file, keepLast, files, rotationTemporary);
    await files.rename(temporary, file);
    await syncDirectory(path.dirname(file), files);
    if (keepLast > 1) await pruneVersions(file, keepLast, files);
  } catch (error) {
    for (const name of [temporary, ...rotationTemporaries]) await files.unlink(name).catch(() => undefined);
    if (error instanceof AnnetError) throw error;
    throw new AnnetError('IO_ERROR', operation, `${file}: ${(error as Error).message}`, { cause: error });
  }
}
