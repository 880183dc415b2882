/** Runs `body` repeatedly for about `milliseconds` per round and returns the best rounds' seconds per call. */
export function secondsPerCall(body: () => void, milliseconds = 250, rounds = 4): number {
  body();
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < milliseconds || calls < 2) {
      body();
      calls++;
      now = performance.now();
    }
    best = Math.min(best, (now - start) / 1000 / calls);
  }
  return best;
}

/** Prints rows as a Markdown table with the given headers. */
export function printTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  console.log(line(headers));
  console.log(`| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`);
  for (const row of rows) console.log(line(row));
}

/**
 * Like {@link secondsPerCall}, but counts the process's CPU time (user + system) instead of
 * wall-clock time, so that time spent descheduled on a shared machine does not count. The
 * process's other threads (V8's compiler and GC helpers) are included, which errs on the slow side.
 */
export function cpuSecondsPerCall(body: () => void, milliseconds = 250, rounds = 4): number {
  body();
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    let calls = 0;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    while (performance.now() - start < milliseconds || calls < 2) {
      body();
      calls++;
    }
    const used = process.cpuUsage(cpuStart);
    best = Math.min(best, (used.user + used.system) / 1e6 / calls);
  }
  return best;
}
