import { copyFile, link, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';

/**
 * The file-system calls an atomic write makes, as one object: the real ones by default, a
 * wrapper in tests that makes the n-th call fail (or the process die) to prove that every
 * name stays loadable whatever step a save is interrupted at.
 */
export interface FileOperations {
  open(file: string, flags: string): Promise<FileHandle>;
  readdir(directory: string): Promise<string[]>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  link(existing: string, created: string): Promise<void>;
  copyFile(from: string, to: string): Promise<void>;
}

/** node:fs/promises. */
export const nodeFileOperations: FileOperations = {
  open: (file, flags) => open(file, flags),
  readdir: (directory) => readdir(directory),
  rename,
  unlink,
  link,
  copyFile: (from, to) => copyFile(from, to),
};
