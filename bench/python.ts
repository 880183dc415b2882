import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { settings } from './options.js';

/** One BLAS/OpenMP thread for every reference: the comparison is one thread against annet's one (or its kernel threads). */
const oneThread = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/**
 * glibc's malloc told to keep freed memory instead of handing large blocks back to the OS at every
 * free. PyTorch and NumPy allocate their temporaries anew every step, and each block glibc unmaps
 * costs page faults when it comes back: measured here, PyTorch's tagger step (AdamW over 1.8M
 * values) took 40-55 ms instead of 13 ms, at random, with the default. annet reuses its buffers,
 * so the retained allocator is the fair comparison (PyTorch's CPU tuning guide recommends jemalloc
 * or tcmalloc for the same reason); the default runs too, so both figures show.
 */
const retainedMalloc = { MALLOC_MMAP_THRESHOLD_: '4294967296', MALLOC_TRIM_THRESHOLD_: '4294967296' };

/** The primary allocator setting: the one ratios divide by. */
export const primaryMalloc = (): string => settings.referenceMalloc[0] ?? 'retain';

function runOnce(file: string, arguments_: readonly string[], malloc: 'retain' | 'default') {
  const env = { ...process.env, ...oneThread, ...(malloc === 'retain' ? retainedMalloc : {}) };
  const runWith = (python: string) => spawnSync(python, [file, ...arguments_], { encoding: 'utf8', env });
  const result = runWith('python3');
  if ((result.error !== undefined || result.status !== 0) && fs.existsSync('/usr/bin/python3'))
    return runWith('/usr/bin/python3');
  return result;
}

/**
 * Runs `bench/<script>` with `arguments_` under python3 with one BLAS thread, once per
 * --reference-malloc setting, and returns its JSON lines, each with `malloc` (`retain` or
 * `default`; the backend of a non-primary one says so), or one `{ model, backend, skipped }`
 * line when it cannot run. When the first python3 on PATH fails (a pyenv python without torch,
 * say) and Debian's /usr/bin/python3 exists (python3-torch, python3-numpy), it is retried there.
 *
 * @example
 * const lines = runPythonScript('torch_gpt.py', [file, '85', '30', '3', '1'], 'gpt', 'pytorch');
 */
export function runPythonScript(
  script: string,
  arguments_: readonly string[],
  model: string,
  backend: string,
): Array<Record<string, unknown>> {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), script);
  return settings.referenceMalloc.flatMap((malloc) => {
    const result = runOnce(file, arguments_, malloc);
    if (result.error !== undefined)
      return [{ model, backend, malloc, skipped: `python3 not runnable (${result.error.message})` }];
    if (result.status !== 0)
      return [
        { model, backend, malloc, skipped: `${script} failed: ${(result.stderr ?? '').trim().split('\n').pop()}` },
      ];
    return result.stdout
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .map((line) =>
        malloc === primaryMalloc()
          ? { ...line, malloc }
          : { ...line, backend: `${String(line.backend)}, malloc ${malloc}`, malloc },
      );
  });
}

/**
 * Writes `arrays` (little-endian bytes, as the typed arrays hold them on x86 and ARM) into a
 * fresh temporary folder, runs `body` with the folder's path, and removes the folder.
 *
 * @example
 * withDataFiles({ 'tokens.i32': tokens }, (folder) => runPythonScript('torch_gpt.py', [`${folder}/tokens.i32`], 'gpt', 'pytorch'));
 */
export function withDataFiles<T>(arrays: Record<string, Float32Array | Int32Array>, body: (folder: string) => T): T {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-bench-'));
  try {
    for (const [name, array] of Object.entries(arrays))
      fs.writeFileSync(path.join(folder, name), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    return body(folder);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
