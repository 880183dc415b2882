const nanText = /^\s*[+-]?nan\s*$/i;
const infinityText = /^\s*([+-]?)inf(inity)?\s*$/i;
const digit = /[0-9]/;

/**
 * The number a CSV field holds, `NaN` for a literal NaN (`NaN`, `nan`), or `undefined` when the
 * text is not a number. Accepts what `Number` accepts (decimal, exponent, hex) plus `inf`
 * spellings; rejects blank text, which `Number` would read as 0.
 */
export function parseNumber(text: string): number | undefined {
  const value = +text;
  if (value === value) {
    // `+''` and `+'  '` are 0: a zero must come from a digit.
    if (value === 0 && text !== '0' && !digit.test(text)) return undefined;
    return value;
  }
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
