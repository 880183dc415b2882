import { describe, expect, it } from 'vitest';
import { renderCurvesSvg } from './curves-svg.js';
import { epochTicks, niceTicks } from './ticks.js';

describe('niceTicks', () => {
  it('covers the range with steps of 1, 2 or 5 times a power of ten (hand-derived)', () => {
    // Range 0.94 / 5 = 0.188 per interval, rounded up to 0.2.
    expect(niceTicks(0.03, 0.97, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    // Range 0.09 / 5 = 0.018, rounded up to 0.02: from floor(0.9/0.02)·0.02 to ceil(0.99/0.02)·0.02.
    expect(niceTicks(0.9, 0.99, 5)).toEqual([0.9, 0.92, 0.94, 0.96, 0.98, 1]);
    expect(epochTicks(12)).toEqual([1, 2, 4, 6, 8, 10, 12]);
  });
});

describe('renderCurvesSvg', () => {
  const epochs = [1, 2, 3].map((epoch) => ({
    epoch,
    loss: 1 / epoch,
    accuracy: 0.8 + epoch / 100,
    validationLoss: 1.1 / epoch,
    validationAccuracy: 0.79 + epoch / 100,
  }));
  const svg = renderCurvesSvg({ title: 'MLP <test> & co', epochs, testAccuracy: 0.815 });
  it('draws two panels with titles, axis labels, ticks, a legend and one line per series', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('MLP &lt;test&gt; &amp; co');
    for (const text of [
      'Loss (cross-entropy)',
      'Accuracy',
      '>epoch<',
      '>loss<',
      '>accuracy<',
      '>training<',
      '>validation<',
      '>test (t10k)<',
    ])
      expect(svg).toContain(text);
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg.match(/<circle /g)).toHaveLength(12);
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
  it('leaves out missing and non-finite points instead of drawing NaN', () => {
    const partial = renderCurvesSvg({ title: 't', epochs: [{ epoch: 1, loss: Number.NaN, accuracy: 0.5 }] });
    expect(partial).not.toContain('NaN');
    expect(partial.match(/<polyline /g)).toHaveLength(1);
  });
});
