/**
 * A watchdog for stuck tests, loaded by the shared vitest setup (see `vitest.shared.ts`).
 *
 * vitest's `testTimeout` is a timer on the test's own event loop, so a synchronous loop that never
 * returns is never interrupted, and the run hangs until CI's limit. Here a separate thread (whose
 * event loop the stuck test cannot block) watches what the test worker is doing through shared
 * memory: when one test (or the loading of one test file, or its hooks) has run for longer than
 * `ANNET_TEST_HANG_LIMIT_MS` (default 300 s: well above the largest `testTimeout`, 120 s, so whatever
 * vitest can time out itself is reported by vitest), it writes the file and the test's name to
 * stderr and kills the test process. vitest then reports the worker as crashed and the run fails.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';

/** How long one test may run before the watchdog kills its process, unless `ANNET_TEST_HANG_LIMIT_MS` says otherwise. */
export const DEFAULT_HANG_LIMIT_MS = 300_000;

const NAME_BYTES = 4096;
// Shared layout: [0] phase (0 idle, 1 running), [1] name length; then the start time (ms) as float64; then the name (UTF-8).
interface Heartbeat {
  readonly state: Int32Array;
  readonly started: Float64Array;
  readonly name: Uint8Array;
}

const key = Symbol.for('annet.test-setup.watchdog');
const registry = globalThis as typeof globalThis & { [key]?: Heartbeat };

function hangLimit(): number {
  const requested = process.env.ANNET_TEST_HANG_LIMIT_MS;
  if (requested === undefined || requested.trim() === '') return DEFAULT_HANG_LIMIT_MS;
  const limit = Number(requested);
  if (!Number.isFinite(limit) || limit <= 0)
    throw new Error(
      `ANNET_TEST_HANG_LIMIT_MS: got ${JSON.stringify(requested)}, expected a positive number of milliseconds`,
    );
  return limit;
}

// The watchdog thread. It writes with fs.writeSync because a thread's process.stderr is relayed
// through its parent's event loop, which is the one that is stuck.
const WATCHDOG = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { buffer, limit } = workerData;
const state = new Int32Array(buffer, 0, 2);
const started = new Float64Array(buffer, 8, 1);
const name = new Uint8Array(buffer, 16);
setInterval(() => {
  if (Atomics.load(state, 0) !== 1) return;
  const elapsed = Date.now() - started[0];
  if (elapsed < limit) return;
  const label = Buffer.from(name.slice(0, Atomics.load(state, 1))).toString('utf8');
  fs.writeSync(2, '\\n[test watchdog] STUCK: ' + label + ' has run for ' + (elapsed / 1000).toFixed(1) + ' s (limit ' + limit / 1000 + ' s, ANNET_TEST_HANG_LIMIT_MS): killing its test process (pid ' + process.pid + ')\\n');
  process.kill(process.pid, 'SIGKILL');
}, Math.min(250, limit / 4));
`;

function startWatchdog(): Heartbeat {
  const buffer = new SharedArrayBuffer(16 + NAME_BYTES);
  const heartbeat = {
    state: new Int32Array(buffer, 0, 2),
    started: new Float64Array(buffer, 8, 1),
    name: new Uint8Array(buffer, 16),
  };
  const worker = new Worker(WATCHDOG, { eval: true, workerData: { buffer, limit: hangLimit() } });
  worker.unref();
  return heartbeat;
}

function mark(heartbeat: Heartbeat, label: string | undefined): void {
  if (label === undefined) {
    Atomics.store(heartbeat.state, 0, 0);
    return;
  }
  const bytes = new TextEncoder().encode(label).subarray(0, NAME_BYTES);
  heartbeat.name.set(bytes);
  heartbeat.started[0] = Date.now();
  Atomics.store(heartbeat.state, 1, bytes.length);
  Atomics.store(heartbeat.state, 0, 1);
}

/** `file > suite > test`, as vitest names a test. */
function fullName(task: {
  name: string;
  suite?: { name: string; suite?: unknown } | undefined;
  file?: { name: string };
}): string {
  const names: string[] = [task.name];
  for (
    let suite = task.suite as { name: string; suite?: unknown } | undefined;
    suite !== undefined && suite.name !== '';
    suite = suite.suite as typeof suite
  )
    names.unshift(suite.name);
  return `${task.file?.name ?? 'unknown file'} > ${names.join(' > ')}`;
}

const heartbeat = (registry[key] ??= startWatchdog());
const file = expect.getState().testPath ?? 'a test file';
mark(heartbeat, `loading ${file}`);
beforeEach((context) => mark(heartbeat, fullName(context.task)));
afterEach((context) => mark(heartbeat, `the hooks after ${fullName(context.task)}`));
afterAll(() => mark(heartbeat, undefined));
