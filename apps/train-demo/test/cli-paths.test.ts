import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './build-app.js';
import { writeMnistFolder } from './idx-fixtures.js';

const appFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let cli = '';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-train-paths-'));
const readOnly = path.join(scratch, 'read-only');
let unmount: (() => void) | null = null;

/**
 * A folder nobody may write into: a read-only tmpfs when we may mount one (root), otherwise a
 * folder without write permission (which stops anyone but root), otherwise an existing read-only mount.
 */
function makeReadOnlyFolder(): string {
  fs.mkdirSync(readOnly);
  if (process.getuid?.() === 0) {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', readOnly]).status === 0) {
      unmount = () => spawnSync('umount', [readOnly]);
      return readOnly;
    }
    const mounted = fs
      .readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .find(
        (fields) =>
          fields[3]?.split(',').includes('ro') && fs.statSync(fields[1], { throwIfNoEntry: false })?.isDirectory(),
      );
    if (mounted === undefined)
      throw new Error('no read-only folder available: root without mount permission and no read-only mount');
    return mounted[1];
  }
  fs.chmodSync(readOnly, 0o555);
  return readOnly;
}

let unwritable = '';
beforeAll(() => {
  cli = buildApp();
  writeMnistFolder(path.join(scratch, 'caller', 'digits'), 3, 1);
  unwritable = makeReadOnlyFolder();
}, 240_000);
afterAll(() => {
  unmount?.();
  fs.chmodSync(readOnly, 0o755);
  fs.rmSync(scratch, { recursive: true, force: true });
});

function run(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: options.cwd ?? scratch,
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('annet-train proves every output path before training (issue 13)', () => {
  it.each([
    [
      '--out under /proc (recursive mkdirSync spun forever there as root)',
      ['--out', '/proc/annet-x'],
      /^annet-train: --out \/proc\/annet-x: cannot create \/proc\/annet-x \((ENOENT|EACCES|EPERM)/,
    ],
    [
      '--checkpoint under /proc',
      ['--checkpoint', '/proc/annet-x/m.ckpt'],
      /^annet-train: --checkpoint \/proc\/annet-x\/m\.ckpt: cannot create \/proc\/annet-x \((ENOENT|EACCES|EPERM)/,
    ],
    [
      '--out under /sys (it failed only after training)',
      ['--out', '/sys/annet-x'],
      /^annet-train: --out \/sys\/annet-x: cannot create \/sys\/annet-x \((EPERM|EACCES|EROFS)/,
    ],
    [
      '--checkpoint in an existing /sys folder',
      ['--checkpoint', '/sys/kernel/m.ckpt'],
      /^annet-train: --checkpoint \/sys\/kernel\/m\.ckpt: cannot (write a file in|create) /,
    ],
    [
      'a missing parent that cannot be created',
      ['--out', '/sys/annet-missing/deeper/run'],
      /^annet-train: --out \/sys\/annet-missing\/deeper\/run: cannot create \/sys\/annet-missing \(/,
    ],
  ])('refuses %s at once: one line, exit 1, nothing trained or written', (_name, args, message) => {
    const result = run(['--limit', '50', '--epochs', '1', ...args]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
    // The default --out folder (runs/<timestamp>) was created by the proof, and removed again.
    expect(fs.existsSync(path.join(scratch, 'runs'))).toBe(false);
  });

  it('refuses a read-only folder for --out and --checkpoint, creating nothing', () => {
    const out = run(['--limit', '50', '--epochs', '1', '--out', path.join(unwritable, 'run')]);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(
      new RegExp(
        `^annet-train: --out ${path.join(unwritable, 'run')}: cannot create ${path.join(unwritable, 'run')} \\((EROFS|EACCES|EPERM)`,
      ),
    );
    const checkpoint = run([
      '--limit',
      '50',
      '--epochs',
      '1',
      '--out',
      path.join(scratch, 'ro-out'),
      '--checkpoint',
      path.join(unwritable, 'm.ckpt'),
    ]);
    expect(checkpoint.status).toBe(1);
    expect(checkpoint.stderr).toMatch(
      new RegExp(
        `^annet-train: --checkpoint ${path.join(unwritable, 'm.ckpt')}: cannot write a file in ${unwritable} \\((EROFS|EACCES|EPERM)`,
      ),
    );
    expect(checkpoint.stdout).toBe('');
    // --out was proven (created) first; the run failed before training, so it is gone again.
    expect(fs.existsSync(path.join(scratch, 'ro-out'))).toBe(false);
  });

  it('creates missing folders of --out and --checkpoint and leaves no probe file', () => {
    const out = path.join(scratch, 'new', 'deep', 'out');
    const checkpoint = path.join(scratch, 'new', 'ckpts', 'run.ckpt');
    const result = run(['--limit', '50', '--epochs', '1', '--out', out, '--checkpoint', checkpoint]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['curves.svg', 'metrics.json']);
    expect(fs.readdirSync(path.dirname(checkpoint))).toEqual(['run.ckpt']);
  });
});

describe('annet-train resolves paths against the folder it was run from (issue 21 item 14)', () => {
  it('under pnpm (run in its package folder, the caller in INIT_CWD) reads --data and writes --out in the caller folder', () => {
    const caller = path.join(scratch, 'caller');
    const env = { ...process.env, INIT_CWD: caller, npm_lifecycle_event: 'start' };
    const result = run(['--data', 'digits', '--epochs', '1', '--out', 'myout'], { cwd: appFolder, env });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(caller, 'myout', 'metrics.json'))).toBe(true);
    expect(fs.existsSync(path.join(appFolder, 'myout'))).toBe(false);
    // What it prints is where the file is.
    expect(result.stdout).toContain(path.join(caller, 'myout', 'metrics.json'));
    expect(result.stdout).toContain(`IDX files in ${path.join(caller, 'digits')}`);
  });
  it('through the root `pnpm demo` script (a nested pnpm resets INIT_CWD) uses the folder it passes as ANNET_TRAIN_CWD', () => {
    const caller = path.join(scratch, 'caller');
    const env = {
      ...process.env,
      INIT_CWD: path.dirname(path.dirname(appFolder)),
      ANNET_TRAIN_CWD: caller,
      npm_lifecycle_event: 'start',
    };
    const result = run(['--data', 'digits', '--epochs', '1', '--out', 'nested'], { cwd: appFolder, env });
    expect(result.stderr).toBe('');
    expect(fs.existsSync(path.join(caller, 'nested', 'metrics.json'))).toBe(true);
  });
  it('run directly, resolves against the current folder even when INIT_CWD is set by an outer pnpm', () => {
    const env = { ...process.env, INIT_CWD: path.join(scratch, 'elsewhere'), npm_lifecycle_event: 'test' };
    const result = run(['--data', 'digits', '--epochs', '1', '--out', 'direct'], {
      cwd: path.join(scratch, 'caller'),
      env,
    });
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(scratch, 'caller', 'direct', 'metrics.json'))).toBe(true);
    expect(result.stdout).toContain(path.join('direct', 'metrics.json'));
  });
});
