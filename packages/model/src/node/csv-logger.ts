import fs from 'node:fs';
import path from 'node:path';
import type { JsonObject } from '@annet/layer-api';
import type { Callback, EpochLogs } from '../callbacks/callback.js';
import type { TrainingContext } from '../training/training-context.js';
import { createFolders } from './create-folders.js';

/**
 * Options of {@link CSVLogger}.
 *
 * @example
 * new CSVLogger('runs/a/log.csv', { append: true, separator: ';' });
 */
export interface CSVLoggerOptions {
  /** Keep the rows already in the file. Default false: the first epoch starts a new file. */
  readonly append?: boolean;
  /** Column separator; default `,`. */
  readonly separator?: string;
}

/**
 * Writes one CSV row per epoch: `epoch` (one-based) then every log key, in the order of the first
 * epoch's logs. Checkpointable: a fit resumed from a checkpoint keeps the rows of the epochs the
 * checkpoint covers, drops any written after it (by a run that went on and crashed), and continues.
 *
 * @example
 * await model.fit(train, { optimizer, loss, epochs: 10, callbacks: [new CSVLogger('runs/a/log.csv')] });
 */
export class CSVLogger implements Callback {
  readonly name = 'csvLogger';
  readonly file: string;
  private readonly separator: string;
  private append: boolean;
  private columns: string[] | null = null;
  private rows = 0;
  private started = false;

  constructor(file: string, options: CSVLoggerOptions = {}) {
    this.file = file;
    this.append = options.append ?? false;
    this.separator = options.separator ?? ',';
  }

  onTrainBegin(): void {
    this.columns = null;
    this.rows = 0;
    this.started = false;
  }

  onEpochEnd(logs: EpochLogs, context: TrainingContext): void {
    if (!this.started) this.start();
    if (this.columns === null) this.columns = Object.keys(logs);
    let text = '';
    if (this.rows === 0 && fileSize(this.file) === 0) text += `${['epoch', ...this.columns].join(this.separator)}\n`;
    text += `${[String(context.epoch + 1), ...this.columns.map((key) => (logs[key] === undefined ? '' : String(logs[key])))].join(this.separator)}\n`;
    fs.appendFileSync(this.file, text);
    this.rows++;
  }

  getState(): JsonObject {
    return { columns: this.columns, rows: this.rows };
  }

  /** Continues the file of a resumed run: its columns, and its first `rows` rows. */
  setState(state: JsonObject): void {
    this.columns = Array.isArray(state.columns) ? state.columns.map(String) : null;
    this.rows = typeof state.rows === 'number' ? state.rows : 0;
    this.append = true;
    if (fs.existsSync(this.file)) {
      const lines = fs
        .readFileSync(this.file, 'utf8')
        .split('\n')
        .filter((line) => line !== '');
      const kept = lines.slice(0, this.rows + (lines.length > 0 ? 1 : 0));
      fs.writeFileSync(this.file, kept.length > 0 ? `${kept.join('\n')}\n` : '');
      if (kept.length === 0) this.rows = 0;
    } else {
      this.rows = 0;
    }
    this.started = true;
  }

  private start(): void {
    createFolders(path.dirname(this.file), 'CSVLogger');
    if (!this.append || !fs.existsSync(this.file)) fs.writeFileSync(this.file, '');
    this.started = true;
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
