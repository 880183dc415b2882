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
      timeout: 90_000, // a watchdog that failed would otherwise hang this test too: spawnSync kills at 90 s
    });
    const seconds = (Date.now() - started) / 1000;
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.error, 'spawnSync had to kill vitest: the watchdog did not').toBeUndefined();
    expect(run.status).not.toBe(0);
    expect(output).toContain('[test watchdog] STUCK: stuck.fixture.ts > a scratch test that loops forever has run for');
    // A 2 s limit, polled every 0.25 s, plus starting vitest (a few seconds on a loaded machine).
    expect(seconds).toBeLessThan(60);
    process.stdout.write(`the stuck test was killed and vitest exited ${run.status} after ${seconds.toFixed(1)} s\n`);
  }, 120_000);
});
