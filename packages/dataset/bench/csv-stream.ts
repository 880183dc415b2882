// Peak memory (RSS) while streaming a 1 GB CSV generated on the fly through streamCsv.
// Target: under 200 MB. ANNET_CSV_BYTES sets another size (e.g. 100000000 for a quick run).
import { createRng } from '@annet/tensor';
import { streamCsv } from '../src/readers/csv/stream-csv.js';
import { formatNumber, printTable } from './report.js';

const totalBytes = Number(process.env.ANNET_CSV_BYTES ?? 1_000_000_000);
const pieceBytes = 1 << 16;
const columns = 10;

/** Four different ~1 MiB blocks of whole rows: 10 numeric features and an integer label, some fields quoted. */
function rowBlocks(): Uint8Array[] {
  const rng = createRng(5);
  return [0, 1, 2, 3].map(() => {
    const lines: string[] = [];
    let size = 0;
    while (size < 1 << 20) {
      const fields = Array.from({ length: columns }, (_, column) => {
        const value = (rng.normal() * 100).toFixed(column % 3 === 0 ? 4 : 2);
        return column === 5 ? `"${value}"` : value;
      });
      const line = `${fields.join(',')},${rng.randint(0, 10)}\n`;
      lines.push(line);
      size += line.length;
    }
    return new TextEncoder().encode(lines.join(''));
  });
}

let sent = 0;

/**
 * The header, then the blocks cycled (whole blocks, so the file ends with a whole row), cut into
 * 64 KiB pieces wherever the cut falls, as file reads do.
 */
async function* generatedCsv(): AsyncGenerator<Uint8Array> {
  const blocks = rowBlocks();
  const header = Array.from({ length: columns }, (_, column) => `f${column}`).join(',') + ',label\n';
  yield new TextEncoder().encode(header);
  sent = header.length;
  for (let block = 0; sent < totalBytes; block++) {
    const bytes = blocks[block % blocks.length];
    for (let start = 0; start < bytes.length; start += pieceBytes) {
      const piece = bytes.subarray(start, Math.min(start + pieceBytes, bytes.length));
      sent += piece.length;
      yield piece;
    }
    // Let the event loop breathe so the runtime can collect between blocks, as real I/O would.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const megabyte = 1024 * 1024;
const baseline = process.memoryUsage().rss;
let peak = baseline;
let rows = 0;
let checksum = 0;
const start = performance.now();
let chunks = 0;
for await (const chunk of streamCsv(generatedCsv(), { label: 'label', numClasses: 10, chunkRows: 4096 })) {
  rows += chunk.rows;
  checksum += chunk.inputs.data[0] + chunk.targets!.data[chunk.rows - 1];
  if (++chunks % 8 === 0) peak = Math.max(peak, process.memoryUsage().rss);
}
peak = Math.max(peak, process.memoryUsage().rss);
const seconds = (performance.now() - start) / 1000;
console.log(
  `\nstreamCsv: ${formatNumber(sent / 1e6)} MB generated on the fly in 64 KiB pieces, ${columns} features + label, chunkRows 4096 (target: peak RSS < 200 MB)\n`,
);
printTable(
  ['bytes', 'rows', 'seconds', 'MB/s', 'rows/s', 'RSS before (MiB)', 'peak RSS (MiB)', 'checksum'],
  [
    [
      formatNumber(sent),
      formatNumber(rows),
      formatNumber(seconds, 1),
      formatNumber(sent / 1e6 / seconds, 1),
      formatNumber(rows / seconds),
      formatNumber(baseline / megabyte, 1),
      formatNumber(peak / megabyte, 1),
      String(Math.round(checksum) % 1000),
    ],
  ],
);
