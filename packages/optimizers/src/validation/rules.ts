import { formatValue } from '../annet-error.js';

/**
 * Checks one option value: `undefined` when it is valid, otherwise the end of an error message
 * that says what was expected and what came, e.g. `must be in [0, 1), got 1.2`.
 */
export type ValueRule = (value: unknown) => string | undefined;

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * A finite number in an interval; `lowOpen`/`highOpen` exclude the ends.
 *
 * @example
 * numberIn(0, 1, { highOpen: true })(1.2); // 'must be in [0, 1), got 1.2'
 */
export function numberIn(low: number, high: number, ends: { lowOpen?: boolean; highOpen?: boolean } = {}): ValueRule {
  const text = `${ends.lowOpen ? '(' : '['}${low}, ${high}${ends.highOpen ? ')' : ']'}`;
  return (value) => {
    const inside =
      isNumber(value) && (ends.lowOpen ? value > low : value >= low) && (ends.highOpen ? value < high : value <= high);
    return inside ? undefined : `must be in ${text}, got ${formatValue(value)}`;
  };
}

/**
 * A finite number at least `minimum` (or above it when `open`).
 *
 * @example
 * atLeast(0)(-1); // 'must be a number >= 0, got -1'
 */
export function atLeast(minimum: number, open = false): ValueRule {
  return (value) =>
    isNumber(value) && (open ? value > minimum : value >= minimum)
      ? undefined
      : `must be a number ${open ? '>' : '>='} ${minimum}, got ${formatValue(value)}`;
}

/**
 * An integer at least `minimum`.
 *
 * @example
 * integerAtLeast(1)(0.5); // 'must be an integer >= 1, got 0.5'
 */
export function integerAtLeast(minimum: number): ValueRule {
  return (value) =>
    Number.isSafeInteger(value) && (value as number) >= minimum
      ? undefined
      : `must be an integer >= ${minimum}, got ${formatValue(value)}`;
}

/**
 * `true` or `false`.
 *
 * @example
 * isBoolean('yes'); // 'must be true or false, got "yes"'
 */
export const isBoolean: ValueRule = (value) =>
  typeof value === 'boolean' ? undefined : `must be true or false, got ${formatValue(value)}`;

/**
 * One of a few strings.
 *
 * @example
 * oneOf(['min', 'max'])('low'); // 'must be one of "min", "max", got "low"'
 */
export function oneOf(choices: readonly string[]): ValueRule {
  return (value) =>
    typeof value === 'string' && choices.includes(value)
      ? undefined
      : `must be one of ${choices.map((choice) => JSON.stringify(choice)).join(', ')}, got ${formatValue(value)}`;
}

/**
 * A list of integers >= 1, strictly increasing, such as milestones.
 *
 * @example
 * increasingSteps([30, 10]); // 'must be a strictly increasing list of integers >= 1, got [30,10]'
 */
export const increasingSteps: ValueRule = (value) => {
  const ok =
    Array.isArray(value) &&
    value.every((item, index) => Number.isSafeInteger(item) && item >= 1 && (index === 0 || item > value[index - 1]));
  return ok ? undefined : `must be a strictly increasing list of integers >= 1, got ${formatValue(value)}`;
};
