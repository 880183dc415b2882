import type { TrainingSettings } from '../training/settings.js';
import type { KernelChoice } from '../worker/protocol.js';

const kernelChoices: readonly KernelChoice[] = ['auto', 'wasm-relaxed-simd', 'wasm-simd', 'js'];

/**
 * Settings given in the page's URL (`?task=cnn&epochs=3&kernels=wasm-simd&pauseAfterEpoch=2`),
 * over `defaults`: a run can be shared as a link, and the browser tests open one. Values are
 * checked when training starts, not here.
 *
 * @example
 * settingsFromQuery(new URLSearchParams('epochs=3'), defaultSettings).settings.epochs; // 3
 */
export function settingsFromQuery(query: URLSearchParams, defaults: TrainingSettings): { settings: TrainingSettings; kernels: KernelChoice; pauseAfterEpoch: number | null } {
  const settings: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(defaults)) {
    const given = query.get(key);
    if (given !== null) settings[key] = typeof value === 'number' ? Number(given) : given;
  }
  const kernels = query.get('kernels') as KernelChoice | null;
  const pause = query.get('pauseAfterEpoch');
  return {
    settings: settings as unknown as TrainingSettings,
    kernels: kernels !== null && kernelChoices.includes(kernels) ? kernels : 'auto',
    pauseAfterEpoch: pause === null || pause === '' ? null : Number(pause),
  };
}
