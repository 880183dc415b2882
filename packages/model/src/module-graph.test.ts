import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const sourceFolder = path.dirname(fileURLToPath(import.meta.url));

/** Every non-test source file of the package and the package files it imports (type imports included). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const text = fs.readFileSync(full, 'utf8');
        const targets = [...text.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g)].map((match) =>
          path.relative(sourceFolder, path.resolve(folder, match[1].replace(/\.js$/, '.ts'))),
        );
        graph.set(path.relative(sourceFolder, full), targets);
      }
    }
  };
  visit(sourceFolder);
  return graph;
}

/** One import cycle as a list of files, or `null` when there is none (depth-first search). */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const search = (file: string): string[] | null => {
    state.set(file, 'open');
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === 'open') return [...stack.slice(stack.indexOf(target)), target];
      if (state.get(target) === undefined && graph.has(target)) {
        const cycle = search(target);
        if (cycle !== null) return cycle;
      }
    }
    stack.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of graph.keys()) {
    if (state.get(file) !== undefined) continue;
    const cycle = search(file);
    if (cycle !== null) return cycle;
  }
  return null;
}

describe('the module graph of @annet/model', () => {
  it('has no import cycle: the training loop depends on the TrainableModel interface, not on Sequential', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(40);
    expect(findCycle(graph)).toBeNull();
  });
  it('finds a cycle when there is one (the checker itself works)', () => {
    expect(
      findCycle(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', ['c.ts']],
          ['c.ts', ['a.ts']],
        ]),
      ),
    ).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  });
});
