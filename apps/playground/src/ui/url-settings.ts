import type { TrainingSettings } from '../training/settings.js';
import type { KernelKind } from '@annet/tensor';

const kernelKinds: readonly KernelKind[] = ['auto', 'relaxed-simd', 'simd', 'typescript'];

/**
 * Settings given in the page's URL (`?task=cnn&epochs=3&kernels=simd&threads=2&pauseAfterEpoch=2`),
 * over `defaults`: a run can be shared as a link, and the browser tests open one. Values are
 * checked when training starts, not here.
 *
 * @example
 * settingsFromQuery(new URLSearchParams('epochs=3'), defaultSettings).settings.epochs; // 3
 */
export function settingsFromQuery(
  query: URLSearchParams,
  defaults: TrainingSettings,
): { settings: TrainingSettings; kernels: KernelKind; threads: number; pauseAfterEpoch: number | null } {
  const settings: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(defaults)) {
    const given = query.get(key);
    if (given !== null) settings[key] = typeof value === 'number' ? Number(given) : given;
  }
  const kernels = query.get('kernels') as KernelKind | null;
  const pause = query.get('pauseAfterEpoch');
  return {
    settings: settings as unknown as TrainingSettings,
    kernels: kernels !== null && kernelKinds.includes(kernels) ? kernels : 'auto',
    threads: Math.max(1, Math.min(8, Math.floor(Number(query.get('threads') ?? 1)) || 1)),
    pauseAfterEpoch: pause === null || pause === '' ? null : Number(pause),
  };
}
