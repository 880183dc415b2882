import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('the suite cannot hang', () => {
  it('a test stuck in a synchronous loop is killed within bounded time, and the run fails naming it', () => {
    const started = Date.now();
    const run = spawnSync('pnpm', ['exec', 'vitest', 'run', '--config', 'tests/hang/fixtures/vitest.config.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ANNET_TEST_HANG_LIMIT_MS: '2000', CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' },
      timeout: 240_000, // a watchdog that failed would otherwise hang this test too: spawnSync kills at 240 s
    });
    const seconds = (Date.now() - started) / 1000;
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.error, 'spawnSync had to kill vitest: the watchdog did not').toBeUndefined();
    expect(run.status).not.toBe(0);
    const report =
      /\[test watchdog\] STUCK: stuck\.fixture\.ts > a scratch test that loops forever has run for ([\d.]+) s/.exec(
        output,
      );
    expect(report, output).not.toBeNull();
    // The limit is 2 s and the watchdog looks every 0.25 s: the loop is killed soon after 2 s of running,
    // however long vitest took to start (tens of seconds on a machine shared by many runs).
    expect(Number(report![1])).toBeGreaterThanOrEqual(2);
    expect(Number(report![1])).toBeLessThan(10);
    process.stdout.write(
      `the stuck test was killed after ${report![1]} s of looping; vitest exited ${run.status} after ${seconds.toFixed(1)} s in all\n`,
    );
  }, 300_000);
});
