import type { Tensor } from '@annet/tensor';

/**
 * Remembers the last view made of a tensor, so that reshaping the same tensor object again
 * returns the same view and allocates nothing (Flatten and Reshape run every step, usually on
 * the previous layer's reused output buffer).
 *
 * @example
 * const views = new ViewCache();
 * const flat = views.lookup(x) ?? views.store(x, x.reshape([32, 784]));
 */
export class ViewCache {
  private source: Tensor | undefined;
  private result: Tensor | undefined;

  /** The view stored for this very tensor object, if any. */
  lookup(source: Tensor): Tensor | undefined {
    return source === this.source ? this.result : undefined;
  }

  /** Remembers `result` as the view of `source` and returns it. */
  store(source: Tensor, result: Tensor): Tensor {
    this.source = source;
    this.result = result;
    return result;
  }
}
