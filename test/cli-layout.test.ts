/** The CLI's modules: no import circle among them, and main.ts only dispatches to one file per command. */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const DIR = 'src/cli';

/** The local modules each file of src/cli imports (`./x.js` → `x.ts`), type-only imports included. */
function localImports(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of readdirSync(DIR).filter(n => n.endsWith('.ts'))) {
    const text = readFileSync(path.join(DIR, f), 'utf8');
    const deps = [...text.matchAll(/from '\.\/([\w-]+)\.js'/g)].map(m => `${m[1]}.ts`);
    graph.set(f, deps);
  }
  return graph;
}

/** A path of files that leads from a file back to itself, or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): string[] | undefined => {
    if (state.get(f) === 'done') return undefined;
    if (state.get(f) === 'open') return [...stack.slice(stack.indexOf(f)), f];
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(f, 'done');
    return undefined;
  };
  for (const f of graph.keys()) {
    const c = visit(f);
    if (c) return c;
  }
  return undefined;
}

test('src/cli has no import circle', () => {
  const graph = localImports();
  expect(graph.size).toBeGreaterThan(3);
  expect(findCycle(graph)).toBeUndefined();
});

test('main.ts dispatches to one module per command and imports no library stage', () => {
  const graph = localImports();
  for (const c of ['build', 'verify', 'inspect']) expect(graph.get('main.ts')).toContain(`${c}.ts`);
  const main = readFileSync(path.join(DIR, 'main.ts'), 'utf8');
  const library = [...main.matchAll(/from '\.\.\/([\w/-]+)\.js'/g)].map(m => m[1]).sort();
  // cross-cutting, not stages: the error type, the version, and which signal interrupted the process
  expect(library).toEqual(['errors', 'interrupt', 'version']);
});
