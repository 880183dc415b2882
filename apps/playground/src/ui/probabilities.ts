/**
 * Shows ten class probabilities as bars, the most likely digit highlighted; `null` shows the
 * empty state.
 *
 * @example
 * showProbabilities(document.querySelector('#probabilities')!, probabilities);
 */
export function showProbabilities(container: HTMLElement, probabilities: Float32Array | null): void {
  if (probabilities === null) {
    container.textContent = 'Draw a digit above to see what the model thinks it is.';
    return;
  }
  let best = 0;
  probabilities.forEach((value, digit) => value > probabilities[best] && (best = digit));
  container.replaceChildren(
    ...Array.from(probabilities, (value, digit) => {
      const row = document.createElement('div');
      row.className = digit === best ? 'probability best' : 'probability';
      row.dataset.digit = String(digit);
      const label = document.createElement('span');
      label.textContent = String(digit);
      const track = document.createElement('div');
      const bar = document.createElement('div');
      bar.className = 'bar';
      bar.style.width = `${(value * 100).toFixed(1)}%`;
      track.append(bar);
      const percent = document.createElement('span');
      percent.textContent = `${(value * 100).toFixed(1)} %`;
      row.append(label, track, percent);
      return row;
    }),
  );
}
