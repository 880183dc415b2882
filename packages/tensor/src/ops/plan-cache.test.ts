import { describe, expect, it } from 'vitest';
import { PlanCache } from './plan-cache.js';

/** Looks `key` up in `cache`, storing `plan` on a miss; returns what the cache answered. */
function lookUp(cache: PlanCache<string>, key: readonly number[], plan: string): string | undefined {
  cache.begin();
  cache.addList(key);
  const found = cache.find();
  if (found === undefined) cache.store(plan);
  return found;
}

describe('PlanCache', () => {
  it('finds a plan by an equal key and only by an equal key', () => {
    const cache = new PlanCache<string>();
    expect(lookUp(cache, [2, 3], 'a')).toBeUndefined();
    expect(lookUp(cache, [2, 3], 'ignored')).toBe('a');
    expect(lookUp(cache, [2, 4], 'b')).toBeUndefined();
    expect(lookUp(cache, [2, 4], 'ignored')).toBe('b');
    expect(lookUp(cache, [2, 3], 'ignored')).toBe('a');
  });

  it('tells lists apart by their lengths: [2, 3] + [4] is not [2] + [3, 4]', () => {
    const cache = new PlanCache<string>();
    const store = (first: number[], second: number[], plan: string) => {
      cache.begin();
      cache.addList(first);
      cache.addList(second);
      return cache.find() ?? cache.store(plan);
    };
    expect(store([2, 3], [4], 'left')).toBe('left');
    expect(store([2], [3, 4], 'right')).toBe('right');
    expect(store([2, 3], [4], 'ignored')).toBe('left');
  });

  it('keeps at most capacity plans, replacing the oldest first (round robin)', () => {
    const cache = new PlanCache<string>(2);
    lookUp(cache, [1], 'one');
    lookUp(cache, [2], 'two');
    lookUp(cache, [3], 'three'); // replaces [1]
    expect(lookUp(cache, [2], 'ignored')).toBe('two');
    expect(lookUp(cache, [3], 'ignored')).toBe('three');
    expect(lookUp(cache, [1], 'one again')).toBeUndefined(); // replaces [2]
    expect(lookUp(cache, [3], 'ignored')).toBe('three');
  });

  it('never caches keys longer than its scratch space, and never matches NaN entries', () => {
    const cache = new PlanCache<string>();
    const long = Array.from({ length: 200 }, (_, index) => index);
    expect(lookUp(cache, long, 'long')).toBeUndefined();
    expect(lookUp(cache, long, 'long')).toBeUndefined();
    expect(lookUp(cache, [Number.NaN], 'nan')).toBeUndefined();
    expect(lookUp(cache, [Number.NaN], 'nan')).toBeUndefined();
  });
});
