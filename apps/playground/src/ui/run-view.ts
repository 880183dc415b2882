import type { EpochLogs, FitProgress } from '@annet/model';
import { LineChart } from './line-chart.js';

const colors = { training: '#2f6fdb', validation: '#d2691e' };

/**
 * The training panel: progress bar and line, loss and accuracy curves (running training figures
 * after batches, validation figures per epoch), and the table of epochs.
 *
 * @example
 * const view = new RunView(document);
 * view.showProgress(progress);
 */
export class RunView {
  private readonly loss: LineChart;
  private readonly accuracy: LineChart;
  private trainingLoss: [number, number][] = [];
  private trainingAccuracy: [number, number][] = [];
  private validationLoss: [number, number][] = [];
  private validationAccuracy: [number, number][] = [];
  private epochs = 1;
  /** The epoch the training curves' last point belongs to. */
  private epochOfLastPoint = 0;

  constructor(private readonly page: Document) {
    this.loss = new LineChart(page.querySelector('#loss-chart')!, 'loss (softmax cross-entropy)');
    this.accuracy = new LineChart(page.querySelector('#accuracy-chart')!, 'accuracy', [0, 1]);
    this.draw();
  }

  /** Clears the curves and the table, then shows the completed epochs of `history` (a resumed run's). */
  reset(epochs: number, history: readonly EpochLogs[] = []): void {
    this.epochs = epochs;
    this.trainingLoss = [];
    this.trainingAccuracy = [];
    this.validationLoss = [];
    this.validationAccuracy = [];
    this.epochOfLastPoint = 0;
    this.page.querySelector('#epochs tbody')!.replaceChildren();
    // A checkpoint keeps epoch figures only: those are joined into one line.
    history.forEach((logs, index) => this.addEpoch(index + 1, logs, true));
    this.epochOfLastPoint = history.length + 1;
    this.draw();
  }

  showProgress(progress: FitProgress): void {
    // The end report repeats the last epoch's; the page's status says how the run ended.
    if (progress.phase === 'end') return;
    const { epoch, epochs, batch, batchesPerEpoch } = progress;
    const done = batchesPerEpoch === null ? epoch - 1 : epoch - 1 + batch / batchesPerEpoch;
    (this.page.querySelector('#progress-bar') as HTMLElement).style.width =
      `${Math.min(100, (done / epochs) * 100).toFixed(1)}%`;
    const eta = progress.etaSeconds === null ? '' : `, ${progress.etaSeconds.toFixed(0)} s left`;
    this.page.querySelector('#progress-text')!.textContent =
      `epoch ${epoch}/${epochs}, batch ${batch}/${batchesPerEpoch ?? '?'}, step ${progress.step} · loss ${format(progress.loss)} · accuracy ${format(progress.metrics.accuracy)} · ${Math.round(progress.samplesPerSecond).toLocaleString('en')} samples/s${eta}`;
    const progressElement = this.page.querySelector('#progress-text') as HTMLElement;
    progressElement.dataset.samplesPerSecond = String(progress.samplesPerSecond);
    if (progress.phase === 'batch' && progress.loss !== null) {
      // Running means restart with each epoch: each epoch's curve is drawn apart.
      if (epoch !== this.epochOfLastPoint) this.breakLines();
      this.epochOfLastPoint = epoch;
      this.trainingLoss.push([done, progress.loss]);
      if (progress.metrics.accuracy !== undefined) this.trainingAccuracy.push([done, progress.metrics.accuracy]);
    }
    if (progress.phase === 'epoch' && progress.loss !== null)
      this.addEpoch(epoch, { loss: progress.loss, ...progress.metrics, samplesPerSecond: progress.samplesPerSecond });
    this.draw();
  }

  private breakLines(): void {
    this.trainingLoss.push([Number.NaN, Number.NaN]);
    this.trainingAccuracy.push([Number.NaN, Number.NaN]);
  }

  private addEpoch(epoch: number, logs: EpochLogs, joined = false): void {
    if (!joined && epoch !== this.epochOfLastPoint) this.breakLines();
    this.epochOfLastPoint = epoch;
    this.trainingLoss.push([epoch, logs.loss]);
    if (logs.accuracy !== undefined) this.trainingAccuracy.push([epoch, logs.accuracy]);
    if (logs.validationLoss !== undefined) this.validationLoss.push([epoch, logs.validationLoss]);
    if (logs.validationAccuracy !== undefined) this.validationAccuracy.push([epoch, logs.validationAccuracy]);
    const row = this.page.createElement('tr');
    row.dataset.epoch = String(epoch);
    row.dataset.loss = String(logs.loss);
    row.dataset.validationAccuracy = String(logs.validationAccuracy);
    for (const value of [
      String(epoch),
      format(logs.loss),
      format(logs.accuracy),
      format(logs.validationLoss),
      format(logs.validationAccuracy),
      logs.samplesPerSecond === undefined ? '' : Math.round(logs.samplesPerSecond).toLocaleString('en'),
    ]) {
      const cell = this.page.createElement('td');
      cell.textContent = value;
      row.append(cell);
    }
    this.page.querySelector('#epochs tbody')!.append(row);
  }

  private draw(): void {
    this.loss.draw(
      [
        { label: 'training', color: colors.training, points: this.trainingLoss },
        { label: 'validation', color: colors.validation, points: this.validationLoss, dots: true },
      ],
      this.epochs,
    );
    this.accuracy.draw(
      [
        { label: 'training', color: colors.training, points: this.trainingAccuracy },
        { label: 'validation', color: colors.validation, points: this.validationAccuracy, dots: true },
      ],
      this.epochs,
    );
  }
}

function format(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(4);
}
