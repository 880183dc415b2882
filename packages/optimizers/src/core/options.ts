import type { JsonObject, JsonValue } from '@annet/layer-api';
import { formatValue } from '../annet-error.js';
import { checkLearningRate } from '../schedules/check-schedule.js';
import type { LearningRate } from '../schedules/schedule-types.js';
import { withBaseRate } from '../schedules/with-base-rate.js';
import { cycledMomentumBound } from '../schedules/learning-rate-at.js';
import { checkFields, invalid } from '../validation/fields.js';
import type { Hyperparameters } from './types.js';
import type { UpdateRule } from './update-rule.js';

/** The options that apply to one set of parameters, resolved once. */
export interface ResolvedGroup<H extends Hyperparameters> {
  /** The group's hyperparameters: the top-level ones with its overrides. */
  readonly hyperparameters: H;
  /** The group's learning rate or schedule. */
  readonly learningRate: LearningRate;
  /** Where a stateful schedule's state is kept: `learningRate` or `groups[i].learningRate`. */
  readonly scheduleKey: string;
  /** The state arrays its parameters carry, in update order. */
  readonly slotNames: readonly string[];
  /** With a momentum-cycling schedule: the rule's cycled hyperparameter and its configured value (written into `hyperparameters` each step). */
  readonly cycledMomentum: { readonly name: string; readonly configured: number } | undefined;
  /** Whether a parameter name belongs to this group. */
  matches(name: string): boolean;
  /** `[stepCount, learningRate]` of the last evaluation, so a step evaluates the schedule once per group; `[-1, 0]` when stale. */
  readonly rateCache: Float64Array;
}

/** An optimizer's options checked, as JSON and as resolved groups. */
export interface NormalizedOptions<H extends Hyperparameters> {
  /** Every option with defaults filled in; what `toJSON().config` holds. */
  readonly json: JsonObject;
  /** The top-level options, for parameters that match no group. */
  readonly base: ResolvedGroup<H>;
  /** The user's groups, in order; the first match wins. */
  readonly groups: readonly ResolvedGroup<H>[];
}

function selector(
  operation: string,
  prefix: string,
  group: Record<string, unknown>,
): { json: JsonObject; matches: (name: string) => boolean } {
  const { names, pattern } = group;
  if ((names === undefined) === (pattern === undefined)) {
    const has = names === undefined ? 'neither' : 'both';
    invalid(
      operation,
      `${prefix.slice(0, -1)} needs exactly one of names (a list of parameter names) or pattern (a regular expression string), got ${has}`,
    );
  }
  if (names !== undefined) {
    if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
      invalid(operation, `${prefix}names must be a list of parameter names, got ${formatValue(names)}`);
    }
    const set = new Set<string>(names as string[]);
    return { json: { names: [...set] }, matches: (name) => set.has(name) };
  }
  if (typeof pattern !== 'string')
    invalid(
      operation,
      `${prefix}pattern must be a regular expression string such as "\\\\.biases$", got ${formatValue(pattern)}`,
    );
  let expression: RegExp;
  try {
    expression = new RegExp(pattern);
  } catch (error) {
    return invalid(
      operation,
      `${prefix}pattern ${JSON.stringify(pattern)} is not a valid regular expression (${(error as Error).message})`,
    );
  }
  return { json: { pattern }, matches: (name) => expression.test(name) };
}

/**
 * A group's hyperparameters and slot names under its learning rate: when the schedule cycles the
 * rule's momentum, a copy whose momentum the step overwrites, and slots sized for the largest
 * momentum the cycle reaches (SGD and RMSprop need a buffer even when configured without one).
 */
function underSchedule<H extends Hyperparameters>(
  rule: UpdateRule<H>,
  hyperparameters: H,
  learningRate: LearningRate,
): Pick<ResolvedGroup<H>, 'hyperparameters' | 'slotNames' | 'cycledMomentum'> {
  const name = rule.cycledMomentum;
  const bound = cycledMomentumBound(learningRate);
  if (name === undefined || Number.isNaN(bound))
    return { hyperparameters, slotNames: rule.slotNames(hyperparameters), cycledMomentum: undefined };
  const configured = hyperparameters[name] as number;
  const cycled = { ...hyperparameters };
  const slotNames = rule.slotNames({ ...hyperparameters, [name]: Math.max(bound, configured) });
  return { hyperparameters: cycled, slotNames, cycledMomentum: { name, configured } };
}

/**
 * Checks an optimizer's options against its rule (unknown keys, every value, combinations, every
 * group) and resolves them. Throws `INVALID_ARGUMENT` errors such as
 * `Adam: groups[0].beta1 must be in [0, 1), got 1.2`.
 *
 * @example
 * const { json, base, groups } = normalizeOptions(adamRule, { learningRate: 1e-3, groups: [{ pattern: '\\.biases$', weightDecay: 0 }] });
 */
export function normalizeOptions<H extends Hyperparameters>(
  rule: UpdateRule<H>,
  options: unknown,
): NormalizedOptions<H> {
  const operation = rule.type;
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    invalid(operation, `options must be an object, got ${formatValue(options)}`);
  const {
    learningRate: rawLearningRate = rule.defaultLearningRate,
    groups: rawGroups = [],
    ...rest
  } = options as Record<string, unknown>;
  const hyperparameters = checkFields(operation, '', rest, rule.fields, ['learningRate', 'groups']) as unknown as H;
  rule.checkCombination?.(hyperparameters, operation, '');
  const learningRate = checkLearningRate(operation, 'learningRate', rawLearningRate);
  const base: ResolvedGroup<H> = {
    ...underSchedule(rule, hyperparameters, learningRate),
    learningRate,
    scheduleKey: 'learningRate',
    matches: () => true,
    rateCache: Float64Array.of(-1, 0),
  };
  if (!Array.isArray(rawGroups))
    invalid(operation, `groups must be a list of parameter groups, got ${formatValue(rawGroups)}`);
  const groups: ResolvedGroup<H>[] = [];
  const groupsJson: JsonValue[] = [];
  rawGroups.forEach((rawGroup: unknown, index) => {
    const prefix = `groups[${index}].`;
    if (typeof rawGroup !== 'object' || rawGroup === null || Array.isArray(rawGroup))
      invalid(operation, `groups[${index}] must be an object, got ${formatValue(rawGroup)}`);
    const { names, pattern, learningRate: groupRate, ...overrides } = rawGroup as Record<string, unknown>;
    const checked = checkFields(operation, prefix, overrides, rule.fields, ['names', 'pattern', 'learningRate'], true);
    const { json: selectorJson, matches } = selector(operation, prefix, { names, pattern });
    const merged = { ...hyperparameters, ...checked } as unknown as H;
    rule.checkCombination?.(merged, operation, prefix);
    const ownRate =
      groupRate === undefined ? undefined : checkLearningRate(operation, `${prefix}learningRate`, groupRate);
    // A numeric group rate under a scheduled optimizer follows the schedule from its own base rate
    // (PyTorch's schedulers scale each group's initial_lr), sharing the schedule's plateau state.
    const ownSchedule = ownRate !== undefined && typeof ownRate === 'object';
    const resolvedRate =
      ownRate === undefined ? learningRate : ownSchedule ? ownRate : withBaseRate(learningRate, ownRate);
    groups.push({
      ...underSchedule(rule, merged, resolvedRate),
      learningRate: resolvedRate,
      scheduleKey: ownSchedule ? `${prefix}learningRate` : 'learningRate',
      matches,
      rateCache: Float64Array.of(-1, 0),
    });
    groupsJson.push({
      ...selectorJson,
      ...checked,
      ...(ownRate === undefined ? {} : { learningRate: ownRate as JsonValue }),
    });
  });
  const json: JsonObject = {
    learningRate: learningRate as JsonValue,
    ...(hyperparameters as unknown as JsonObject),
    groups: groupsJson,
  };
  return { json, base, groups };
}

/**
 * The group a parameter name belongs to: the first matching group, else the top-level options.
 *
 * @example
 * groupOf(options, 'dense.biases').hyperparameters.weightDecay; // 0 with a biases group
 */
export function groupOf<H extends Hyperparameters>(options: NormalizedOptions<H>, name: string): ResolvedGroup<H> {
  for (const group of options.groups) if (group.matches(name)) return group;
  return options.base;
}

/**
 * Marks every group's cached learning rate stale (after a metric, a load or a reset).
 *
 * @example
 * forgetLearningRates(core); // after observing a metric
 */
export function forgetLearningRates<H extends Hyperparameters>(core: { readonly options: NormalizedOptions<H> }): void {
  for (const group of [core.options.base, ...core.options.groups]) group.rateCache[0] = -1;
}
