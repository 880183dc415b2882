import type { KernelReport } from '../worker/protocol.js';

/**
 * Shows which kernels run in the worker, on which memory, and why; and the header badge (whose
 * `data-*` attributes the browser tests read).
 *
 * @example
 * showKernels(document, report);
 */
export function showKernels(page: Document, report: KernelReport): void {
  const badge = page.querySelector('#kernel-badge') as HTMLElement;
  badge.textContent = `kernels: ${report.name} · ${report.memory === 'typescript' ? 'typed arrays' : `${report.memory} memory`} · ${report.threads} thread${report.threads === 1 ? '' : 's'}`;
  badge.dataset.kernels = report.name;
  badge.dataset.memory = report.memory;
  badge.dataset.threads = String(report.threads);
  const facts: [string, string][] = [
    ['kernels', `${report.name} (${report.forced ? 'forced' : 'chosen automatically'})`],
    ['why', report.reason],
    ['memory', report.memory],
    ['why', report.memoryReason],
    ['isolated', report.crossOriginIsolated === true ? 'yes (COOP + COEP)' : 'no'],
    ['threads', String(report.threads)],
    ['why', report.threadsReason],
  ];
  if (report.webAssemblyBlocked)
    facts.push(['warning', 'WebAssembly is blocked by this page’s Content-Security-Policy']);
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
