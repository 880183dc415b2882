/**
 * Decimal number syntax, as NumPy's `loadtxt`/pandas' `read_csv` read it: an optional sign,
 * digits with an optional fraction (`5.` and `.5` included, as in Python, NumPy and pandas), an
 * optional exponent, and optional ASCII spaces around it. No hex, binary or octal prefixes, no
 * underscores, no tabs or other whitespace (JavaScript's `Number` accepts all of these).
 */
const decimalText = /^ *[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)? *$/;
const nanText = /^ *[+-]?nan *$/i;
const infinityText = /^ *([+-]?)inf(inity)? *$/i;

/** Exact powers of ten: every `10^k` with `k <= 22` is a double without rounding. */
const powersOfTen = Array.from({ length: 23 }, (_, exponent) => 10 ** exponent);

/**
 * Clinger's fast path for plain decimals (`-12.345`): with at most 15 digits the digits form an
 * integer `m < 2^53` held exactly, and `m / 10^k` is one correctly rounded division, so the
 * result is bit for bit what `Number(text)` gives. Anything else (exponents, hex, spaces, long
 * digit strings) returns `undefined` for the general path.
 */
function parsePlainDecimal(text: string): number | undefined {
  const length = text.length;
  let index = 0;
  let negative = false;
  let code = text.charCodeAt(0);
  if (code === 0x2d || code === 0x2b) {
    negative = code === 0x2d;
    index = 1;
  }
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = -1;
  for (; index < length; index++) {
    code = text.charCodeAt(index);
    if (code >= 0x30 && code <= 0x39) {
      mantissa = mantissa * 10 + (code - 0x30);
      digits++;
      if (fractionDigits >= 0) fractionDigits++;
    } else if (code === 0x2e && fractionDigits < 0) fractionDigits = 0;
    else return undefined;
  }
  if (digits === 0 || digits > 15) return undefined;
  const value = fractionDigits > 0 ? mantissa / powersOfTen[fractionDigits] : mantissa;
  return negative ? -value : value;
}

/**
 * The number a CSV field holds, `NaN` for a literal NaN (`NaN`, `nan`), ±Infinity for `inf`
 * spellings and for decimals beyond the float64 range (`1e400`), or `undefined` when the text is
 * not a decimal number (see `decimalText`: `0x10`, `0b1`, `1_000`, `\t7` and blanks are not).
 * Decimal text gives exactly what `Number` gives.
 *
 * @example
 * parseNumber('-1.5e3'); // -1500
 * parseNumber('0x10');   // undefined
 */
export function parseNumber(text: string): number | undefined {
  const fast = parsePlainDecimal(text);
  if (fast !== undefined) return fast;
  if (decimalText.test(text)) return +text;
  if (nanText.test(text)) return Number.NaN;
  const infinity = infinityText.exec(text);
  if (infinity) return infinity[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

/**
 * Codes of category (or class) names: fixed from a given list, or growing in first-seen order
 * and renumbered by sorted name at the end (`sortedRemap`), so whole-file codes do not depend
 * on the row order.
 */
export class CategoryCodes {
  private readonly codes = new Map<string, number>();
  private readonly names: string[] = [];

  constructor(readonly fixed: readonly string[] | undefined) {
    if (fixed) fixed.forEach((name, code) => this.codes.set(name, code));
    if (fixed) this.names.push(...fixed);
  }

  /** The code of `name`, or -1 when the list is fixed and does not hold it. */
  code(name: string): number {
    let code = this.codes.get(name);
    if (code === undefined) {
      if (this.fixed) return -1;
      code = this.names.length;
      this.codes.set(name, code);
      this.names.push(name);
    }
    return code;
  }

  /** The names in final code order. */
  get classes(): string[] {
    return this.fixed ? this.names.slice() : this.names.slice().sort();
  }

  /** For a growing list: the final (sorted) code of each first-seen code; `undefined` when fixed. */
  sortedRemap(): Int32Array | undefined {
    if (this.fixed) return undefined;
    const sorted = this.classes;
    const remap = new Int32Array(this.names.length);
    sorted.forEach((name, code) => (remap[this.codes.get(name)!] = code));
    return remap;
  }
}
