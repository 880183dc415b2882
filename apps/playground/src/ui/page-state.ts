/**
 * What the page is doing, shown in the status badge (`data-state`, which the browser tests read).
 *
 * @example
 * const state: PageState = 'training';
 */
export type PageState = 'loading' | 'ready' | 'training' | 'paused' | 'done' | 'error';

/**
 * Which buttons are usable in each state, given whether a checkpoint is loaded.
 *
 * @example
 * buttonsFor('paused', false).resume; // true
 */
export function buttonsFor(
  state: PageState,
  loaded: boolean,
): Record<'train' | 'pause' | 'resume' | 'stop' | 'save' | 'continue', boolean> {
  const idle = state === 'ready' || state === 'done';
  return {
    train: idle,
    pause: state === 'training',
    resume: state === 'paused',
    stop: state === 'training' || state === 'paused',
    save: state === 'paused' || state === 'done' || (state === 'ready' && loaded),
    continue: idle && loaded,
  };
}
