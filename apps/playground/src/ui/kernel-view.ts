import type { KernelReport } from '../worker/protocol.js';

/**
 * Shows which kernels run in the worker, on which memory, and why; and the header badge.
 *
 * @example
 * showKernels(document, report);
 */
export function showKernels(page: Document, report: KernelReport): void {
  const badge = page.querySelector('#kernel-badge') as HTMLElement;
  badge.textContent = `kernels: ${report.name} · ${report.sharedMemory ? 'shared memory' : 'copied memory'}`;
  badge.dataset.kernels = report.name;
  badge.dataset.sharedMemory = String(report.sharedMemory);
  const facts: [string, string][] = [
    ['kernels', report.name],
    ['chosen', report.choice === 'auto' ? 'automatically' : 'by hand'],
    ['memory', report.sharedMemory ? 'shared WebAssembly memory' : report.name === 'js' ? 'typed arrays' : 'copied per product'],
    ['isolated', report.crossOriginIsolated ? 'yes (COOP + COEP)' : 'no'],
    ['threads', String(report.threads)],
    ['why', report.reason],
  ];
  page.querySelector('#kernel-facts')!.replaceChildren(
    ...facts.flatMap(([term, value]) => {
      const dt = page.createElement('dt');
      dt.textContent = term;
      const dd = page.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }),
  );
}
