/**
 * A small cache of per-call bookkeeping (broadcast shapes, coalesced row iterators, matmul
 * layouts) keyed by the numbers that determine it: the operands' shapes and strides and the
 * op's options. A training loop calls each op with the same layouts every step, so after the
 * first step an op finds its plan here and allocates nothing.
 *
 * The key is written into a scratch array (`begin`, `add`, `addList`), then `find` compares it
 * with the stored keys; `store` copies it, the only allocation, on a miss. At most `capacity`
 * plans are kept, replaced in round-robin order. Plans must not depend on anything outside the
 * key (offsets and data arrays are passed at run time).
 *
 * @example
 * const plans = new PlanCache<number[]>();
 * plans.begin(); plans.addList(a.shape); plans.addList(b.shape);
 * const shape = plans.find() ?? plans.store(broadcastShapes(a.shape, b.shape, 'add'));
 */
export class PlanCache<P> {
  private readonly keys: Float64Array[] = [];
  private readonly plans: P[] = [];
  private readonly scratch = new Float64Array(128);
  private length = 0;
  private replace = 0;

  constructor(private readonly capacity = 32) {}

  /** Starts a new key. */
  begin(): void {
    this.length = 0;
  }

  /** Appends one number to the key (keys longer than the scratch array are never cached). */
  add(value: number): void {
    if (this.length < this.scratch.length) this.scratch[this.length] = value;
    this.length++;
  }

  /** Appends a list and its length (so [2, 3] + [4] and [2] + [3, 4] differ). */
  addList(values: readonly number[]): void {
    this.add(values.length);
    for (let index = 0; index < values.length; index++) this.add(values[index]);
  }

  /** The plan stored under the current key, if any. */
  find(): P | undefined {
    const length = this.length;
    if (length > this.scratch.length) return undefined;
    const scratch = this.scratch;
    for (let entry = 0; entry < this.keys.length; entry++) {
      const key = this.keys[entry];
      if (key.length !== length) continue;
      let index = 0;
      while (index < length && key[index] === scratch[index]) index++;
      if (index === length) return this.plans[entry];
    }
    return undefined;
  }

  /** Stores `plan` under the current key (when it fits) and returns it. */
  store(plan: P): P {
    if (this.length > this.scratch.length) return plan;
    const key = this.scratch.slice(0, this.length);
    if (this.keys.length < this.capacity) {
      this.keys.push(key);
      this.plans.push(plan);
    } else {
      this.keys[this.replace] = key;
      this.plans[this.replace] = plan;
      this.replace = (this.replace + 1) % this.capacity;
    }
    return plan;
  }
}
