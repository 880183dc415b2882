import type { TextEvaluation } from './text-progress.js';

/**
 * Training and validation loss (nats per character) against the step as a standalone SVG: axes,
 * ticks, grid, a legend, training in blue, validation in red.
 *
 * @example
 * fs.writeFileSync('curves.svg', renderTextCurves('baby GPT on Brown characters', evaluations));
 */
export function renderTextCurves(title: string, evaluations: readonly TextEvaluation[]): string {
  const width = 640;
  const height = 400;
  const left = 70;
  const top = 50;
  const plotWidth = 520;
  const plotHeight = 280;
  const losses = evaluations.flatMap((point) => [point.trainLoss, point.validationLoss]);
  const low = Math.floor(Math.min(...losses, 4) * 2) / 2;
  const high = Math.ceil(Math.max(...losses, 0) * 2) / 2;
  const lastStep = Math.max(1, ...evaluations.map((point) => point.step));
  const x = (step: number) => left + (step / lastStep) * plotWidth;
  const y = (loss: number) => top + plotHeight - ((loss - low) / Math.max(high - low, 0.5)) * plotHeight;
  const line = (key: 'trainLoss' | 'validationLoss', color: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${evaluations.map((point) => `${x(point.step).toFixed(1)},${y(point[key]).toFixed(1)}`).join(' ')}"/>` +
    evaluations
      .map(
        (point) => `<circle cx="${x(point.step).toFixed(1)}" cy="${y(point[key]).toFixed(1)}" r="3" fill="${color}"/>`,
      )
      .join('');
  const yTicks: string[] = [];
  for (let tick = low; tick <= high + 1e-9; tick += 0.5) {
    yTicks.push(
      `<line x1="${left}" x2="${left + plotWidth}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/><text x="${left - 8}" y="${y(tick) + 4}" text-anchor="end" font-size="12">${tick.toFixed(1)}</text>`,
    );
  }
  const xTicks = evaluations.map(
    (point) =>
      `<text x="${x(point.step)}" y="${top + plotHeight + 18}" text-anchor="middle" font-size="12">${point.step}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="28" text-anchor="middle" font-size="16">${escapeXml(title)}</text>`,
    ...yTicks,
    ...xTicks,
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotHeight}" stroke="black"/><line x1="${left}" x2="${left + plotWidth}" y1="${top + plotHeight}" y2="${top + plotHeight}" stroke="black"/>`,
    `<text x="${left + plotWidth / 2}" y="${height - 20}" text-anchor="middle" font-size="13">iteration</text>`,
    `<text x="18" y="${top + plotHeight / 2}" text-anchor="middle" font-size="13" transform="rotate(-90 18 ${top + plotHeight / 2})">loss (nats per character)</text>`,
    line('trainLoss', '#1f77b4'),
    line('validationLoss', '#d62728'),
    `<rect x="${left + plotWidth - 150}" y="${top + 8}" width="140" height="44" fill="white" stroke="#999"/>`,
    `<line x1="${left + plotWidth - 140}" x2="${left + plotWidth - 115}" y1="${top + 22}" y2="${top + 22}" stroke="#1f77b4" stroke-width="2"/><text x="${left + plotWidth - 108}" y="${top + 26}" font-size="12">training</text>`,
    `<line x1="${left + plotWidth - 140}" x2="${left + plotWidth - 115}" y1="${top + 40}" y2="${top + 40}" stroke="#d62728" stroke-width="2"/><text x="${left + plotWidth - 108}" y="${top + 44}" font-size="12">validation</text>`,
    '</svg>',
    '',
  ].join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
