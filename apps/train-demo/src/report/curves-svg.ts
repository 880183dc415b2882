import { epochTicks, formatTick, niceTicks } from './ticks.js';

/**
 * One epoch's figures, as they go into `metrics.json`.
 *
 * @example
 * const point: EpochCurvePoint = { epoch: 1, loss: 0.42, accuracy: 0.88, validationLoss: 0.3, validationAccuracy: 0.91 };
 */
export interface EpochCurvePoint {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly validationLoss?: number;
  readonly validationAccuracy?: number;
}

/**
 * What {@link renderCurvesSvg} draws.
 *
 * @example
 * renderCurvesSvg({ title: 'CNN on MNIST', epochs, validationLabel: 'test (t10k)' });
 */
export interface CurvesInput {
  readonly title: string;
  readonly epochs: readonly EpochCurvePoint[];
  /** Test accuracy, drawn as a dashed horizontal line on the accuracy panel when given. */
  readonly testAccuracy?: number;
  /** What the second series is called in the legend; default `validation`. */
  readonly validationLabel?: string;
}

const width = 980;
const height = 440;
const panelWidth = 390;
const panelHeight = 280;
const top = 70;
const lefts = [80, 560];
const colors = { train: '#1f77b4', validation: '#d62728', test: '#2ca02c' };

/**
 * Renders loss and accuracy per epoch as a standalone SVG: two panels (loss on the left,
 * accuracy on the right) with axes, nice ticks, grid lines, axis labels, a legend and a title,
 * training in blue, validation in red.
 *
 * @example
 * fs.writeFileSync('curves.svg', renderCurvesSvg({ title: 'MLP on MNIST', epochs: history }));
 */
export function renderCurvesSvg(input: CurvesInput): string {
  const count = input.epochs.length;
  const validationLabel = escapeXml(input.validationLabel ?? 'validation');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="28" text-anchor="middle" font-size="17" font-weight="bold">${escapeXml(input.title)}</text>`,
  ];
  const series = (key: keyof EpochCurvePoint) =>
    input.epochs.map((point) => [point.epoch, point[key] as number | undefined] as const);
  parts.push(
    panel(lefts[0], 'Loss (cross-entropy)', 'loss', count, [
      { label: 'training', color: colors.train, points: series('loss') },
      { label: validationLabel, color: colors.validation, points: series('validationLoss') },
    ]),
  );
  const accuracy = [
    { label: 'training', color: colors.train, points: series('accuracy') },
    { label: validationLabel, color: colors.validation, points: series('validationAccuracy') },
  ];
  parts.push(panel(lefts[1], 'Accuracy', 'accuracy', count, accuracy, input.testAccuracy));
  parts.push(legend(validationLabel, input.testAccuracy !== undefined));
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

interface Series {
  readonly label: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number | undefined])[];
}

function panel(
  left: number,
  title: string,
  yLabel: string,
  epochs: number,
  series: readonly Series[],
  reference?: number,
): string {
  const values = series
    .flatMap((line) => line.points.map(([, value]) => value))
    .filter((value): value is number => value !== undefined && Number.isFinite(value));
  if (reference !== undefined && Number.isFinite(reference)) values.push(reference);
  const yTicks = niceTicks(values.length ? Math.min(...values) : 0, values.length ? Math.max(...values) : 1, 5);
  const yMin = yTicks[0];
  const yMax = yTicks[yTicks.length - 1];
  const xTicks = epochTicks(Math.max(epochs, 1));
  const xMax = Math.max(epochs, 2);
  const x = (epoch: number) => left + ((epoch - 1) / (xMax - 1)) * panelWidth;
  const y = (value: number) => top + panelHeight - ((value - yMin) / (yMax - yMin)) * panelHeight;
  const out: string[] = [
    `<g>`,
    `<text x="${left + panelWidth / 2}" y="${top - 14}" text-anchor="middle" font-size="14" font-weight="bold">${title}</text>`,
  ];
  for (const tick of yTicks) {
    out.push(
      `<line x1="${left}" x2="${left + panelWidth}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#e5e5e5"/>`,
    );
    out.push(`<text x="${left - 8}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${formatTick(tick)}</text>`);
  }
  for (const tick of xTicks) {
    out.push(
      `<line x1="${x(tick).toFixed(1)}" x2="${x(tick).toFixed(1)}" y1="${top + panelHeight}" y2="${top + panelHeight + 5}" stroke="#333"/>`,
    );
    out.push(`<text x="${x(tick).toFixed(1)}" y="${top + panelHeight + 19}" text-anchor="middle">${tick}</text>`);
  }
  out.push(`<rect x="${left}" y="${top}" width="${panelWidth}" height="${panelHeight}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${left + panelWidth / 2}" y="${top + panelHeight + 40}" text-anchor="middle">epoch</text>`);
  out.push(
    `<text transform="translate(${left - 52},${top + panelHeight / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text>`,
  );
  if (reference !== undefined && Number.isFinite(reference)) {
    out.push(
      `<line x1="${left}" x2="${left + panelWidth}" y1="${y(reference).toFixed(1)}" y2="${y(reference).toFixed(1)}" stroke="${colors.test}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    );
  }
  for (const line of series) {
    const points = line.points.filter(
      (point): point is readonly [number, number] => point[1] !== undefined && Number.isFinite(point[1]),
    );
    if (points.length === 0) continue;
    const path = points.map(([epoch, value]) => `${x(epoch).toFixed(1)},${y(value).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${path}" fill="none" stroke="${line.color}" stroke-width="2"/>`);
    for (const [epoch, value] of points)
      out.push(`<circle cx="${x(epoch).toFixed(1)}" cy="${y(value).toFixed(1)}" r="3" fill="${line.color}"/>`);
  }
  out.push('</g>');
  return out.join('\n');
}

function legend(validationLabel: string, withTest: boolean): string {
  const entries = [
    ['training', colors.train, ''],
    [validationLabel, colors.validation, ''],
    ...(withTest ? [['test (t10k)', colors.test, ' stroke-dasharray="6 4"']] : []),
  ];
  const y = height - 14;
  let x = width / 2 - (entries.length * 120) / 2;
  const out: string[] = [];
  for (const [label, color, dash] of entries) {
    out.push(`<line x1="${x}" x2="${x + 28}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${x + 34}" y="${y + 4}">${label}</text>`);
    x += 120;
  }
  return out.join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
