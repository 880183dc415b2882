import { describe, expect, it } from 'vitest';
import { mnistPixelsOf } from './digit-image.js';

/** A `side × side` ink field with one filled rectangle. */
function rectangle(side: number, top: number, left: number, height: number, width: number): Float32Array {
  const ink = new Float32Array(side * side);
  for (let row = top; row < top + height; row++) ink.fill(1, row * side + left, row * side + left + width);
  return ink;
}

describe('mnistPixelsOf', () => {
  it('returns null for an empty drawing', () => {
    expect(mnistPixelsOf(new Float32Array(280 * 280), 280)).toBeNull();
  });

  it('scales a tall stroke to 20 pixels high and centres its mass on the field', () => {
    // A 200×40 bar anywhere on the pad: scale 20/200 = 0.1 gives a 20×4 bar; its centre of mass
    // (9.5, 1.5) moves to about (14, 14), so rows 4-23 and columns 12-15 are inked.
    const pixels = mnistPixelsOf(rectangle(280, 30, 200, 200, 40), 280)!;
    const inked: [number, number][] = [];
    pixels.forEach((value, index) => value > 0 && inked.push([Math.floor(index / 28), index % 28]));
    expect(inked.length).toBe(80);
    expect(Math.min(...inked.map(([row]) => row))).toBe(4);
    expect(Math.max(...inked.map(([row]) => row))).toBe(23);
    expect(Math.min(...inked.map(([, column]) => column))).toBe(12);
    expect(Math.max(...inked.map(([, column]) => column))).toBe(15);
    expect(pixels.every((value) => value === 0 || value === 1)).toBe(true);
  });
});
