/**
 * One line of a {@link LineChart}: points as `[x, y]`, drawn in `color`; a point with a
 * non-finite coordinate breaks the line there.
 *
 * @example
 * const series: ChartSeries = { label: 'validation', color: '#d2691e', points: [[1, 0.4], [2, 0.3]], dots: true };
 */
export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  /** Mark each point (for sparse series such as one point per epoch). */
  readonly dots?: boolean;
}

const margin = { left: 44, right: 10, top: 22, bottom: 24 };

/**
 * A small line chart on a canvas: x from 0 to the largest x (at least `minimumX`), y from 0 (or
 * the smallest value) to the largest, with a few ticks and a legend. Redrawn whole on every
 * {@link LineChart.draw}: a few hundred points cost well under a millisecond.
 *
 * @example
 * const chart = new LineChart(canvas, 'loss');
 * chart.draw([{ label: 'training', color: '#2f6fdb', points: [[0.1, 2.3], [0.2, 1.9]] }], 5);
 */
export class LineChart {
  private readonly context: CanvasRenderingContext2D;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly title: string,
    private readonly fixedRange: readonly [number, number] | null = null,
  ) {
    this.context = canvas.getContext('2d')!;
  }

  draw(series: readonly ChartSeries[], minimumX: number): void {
    const { context, canvas } = this;
    const width = canvas.width - margin.left - margin.right;
    const height = canvas.height - margin.top - margin.bottom;
    const all = series.flatMap((line) => line.points).filter(([, y]) => Number.isFinite(y));
    const maxX = Math.max(minimumX, ...all.map(([x]) => x));
    const [minY, maxY] = this.fixedRange ?? [0, niceCeiling(Math.max(1e-3, ...all.map(([, y]) => y)))];
    const toX = (x: number) => margin.left + (x / maxX) * width;
    const toY = (y: number) => margin.top + height - ((y - minY) / (maxY - minY)) * height;
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.font = '11px system-ui, sans-serif';
    context.fillStyle = '#1d2430';
    context.fillText(this.title, margin.left, 13);
    context.strokeStyle = '#e3e7ee';
    context.fillStyle = '#667';
    for (let tick = 0; tick <= 4; tick++) {
      const y = minY + ((maxY - minY) * tick) / 4;
      context.beginPath();
      context.moveTo(margin.left, toY(y));
      context.lineTo(margin.left + width, toY(y));
      context.stroke();
      context.fillText(formatTick(y), 4, toY(y) + 4);
    }
    for (let epoch = 0; epoch <= maxX; epoch += Math.max(1, Math.ceil(maxX / 10)))
      context.fillText(String(epoch), toX(epoch) - 3, canvas.height - 8);
    series.forEach((line, index) => {
      context.strokeStyle = line.color;
      context.fillStyle = line.color;
      context.lineWidth = 1.5;
      context.beginPath();
      // A non-finite point lifts the pen: the line continues from the next point.
      let penDown = false;
      for (const [x, y] of line.points) {
        if (!Number.isFinite(x) || !Number.isFinite(y)) penDown = false;
        else if (penDown) context.lineTo(toX(x), toY(y));
        else {
          context.moveTo(toX(x), toY(y));
          penDown = true;
        }
      }
      context.stroke();
      if (line.dots)
        for (const [x, y] of line.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)))
          context.fillRect(toX(x) - 2, toY(y) - 2, 4, 4);
      context.fillText(`— ${line.label}`, margin.left + width - 150 + index * 75, 13);
    });
    context.lineWidth = 1;
  }
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((step) => step * magnitude).find((candidate) => candidate >= value)!;
}

function formatTick(value: number): string {
  return value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(2);
}
