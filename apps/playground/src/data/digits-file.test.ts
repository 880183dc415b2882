import { describe, expect, it } from 'vitest';
import { decodeDigits, encodeDigits, type Digits } from './digits-file.js';
import { readMnistPackage } from './mnist-package.js';

const two: Digits = {
  count: 2,
  rows: 2,
  columns: 3,
  labels: Uint8Array.of(7, 1),
  pixels: Uint8Array.of(0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255),
};

describe('the digits file', () => {
  it('writes "ANMD", count, rows, columns (uint32 little-endian), labels, pixels; and reads them back', () => {
    const bytes = encodeDigits(two);
    expect(Array.from(bytes.subarray(0, 16))).toEqual([0x41, 0x4e, 0x4d, 0x44, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]);
    expect(Array.from(bytes.subarray(16, 18))).toEqual([7, 1]);
    const read = decodeDigits(bytes);
    expect({ ...read, labels: Array.from(read.labels), pixels: Array.from(read.pixels) }).toEqual({
      ...two,
      labels: [7, 1],
      pixels: Array.from(two.pixels),
    });
  });

  it('refuses another file, a cut-off one and a label above 9, saying which', () => {
    const bytes = encodeDigits(two);
    expect(() => decodeDigits(bytes.subarray(0, bytes.length - 1))).toThrow(
      'a file of 2 digits of 2×3 holds 30 bytes, got 29',
    );
    expect(() => decodeDigits(Uint8Array.of(1, 2, 3))).toThrow(
      'expected a digits file starting with "ANMD", got 3 bytes',
    );
    const badLabel = bytes.slice();
    badLabel[17] = 10;
    expect(() => decodeDigits(badLabel)).toThrow('label 1 is 10, expected 0-9');
  });

  it('holds the 10,000 digits of the mnist package, grouped by digit, every byte recovered from its three decimals', () => {
    const digits = readMnistPackage();
    expect([digits.count, digits.rows, digits.columns, digits.pixels.length]).toEqual([10000, 28, 28, 7840000]);
    const perDigit = new Array<number>(10).fill(0);
    for (const label of digits.labels) perDigit[label]++;
    expect(perDigit.reduce((total, count) => total + count, 0)).toBe(10000);
    expect(digits.labels[0]).toBe(0);
    expect(digits.labels[9999]).toBe(9);
    // Some pixel of the first digit is fully inked (255), as MNIST digits are.
    expect(Math.max(...digits.pixels.subarray(0, 784))).toBe(255);
  });
});
