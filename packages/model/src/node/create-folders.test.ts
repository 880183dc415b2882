import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnnetError } from '@annet/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { createFolders, removeFolders } from './create-folders.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-create-folders-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('createFolders', () => {
  it('creates the missing levels one at a time and returns them, outermost first', () => {
    const target = path.join(scratch, 'a', 'b', 'c');
    expect(createFolders(target)).toEqual([path.join(scratch, 'a'), path.join(scratch, 'a', 'b'), target]);
    expect(fs.statSync(target).isDirectory()).toBe(true);
    expect(createFolders(target)).toEqual([]);
  });
  it('fails at once under /proc (where recursive mkdirSync spins as root), naming the level', () => {
    const attempt = () => createFolders('/proc/annet-no-such/run', 'test');
    expect(attempt).toThrow(AnnetError);
    expect(attempt).toThrow(
      /^test: \/proc\/annet-no-such\/run: cannot create \/proc\/annet-no-such \((ENOENT|EACCES|EPERM)/,
    );
  });
  it('refuses a file in the way', () => {
    const file = path.join(scratch, 'plain-file');
    fs.writeFileSync(file, 'x');
    expect(() => createFolders(path.join(file, 'run'))).toThrow(/cannot create .*plain-file\/run \(ENOTDIR/);
  });
  it('removes the levels it created when a deeper one fails, leaving nothing behind', () => {
    const first = path.join(scratch, 'partial');
    expect(() => createFolders(path.join(first, 'x'.repeat(300)))).toThrow(/ENAMETOOLONG/);
    expect(fs.existsSync(first)).toBe(false);
  });
  it('removeFolders keeps a folder that is no longer empty', () => {
    const created = createFolders(path.join(scratch, 'kept', 'inner'));
    fs.writeFileSync(path.join(scratch, 'kept', 'file'), 'x');
    removeFolders(created);
    expect(fs.existsSync(path.join(scratch, 'kept', 'inner'))).toBe(false);
    expect(fs.existsSync(path.join(scratch, 'kept', 'file'))).toBe(true);
  });
});
