/**
 * pycdlib (Debian's python3-pycdlib), a strict reader beside the tolerant ones: it opens an image
 * and walks its three namespaces (ISO 9660, Joliet, Rock Ridge), and its own name checks and a
 * path-table check (ECMA-119 6.9.1, 9.4) report what the other readers let pass.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './tools.js';
import type { Entry } from './trees.js';

/** pycdlib's tool, the tests' test for it being installed (describeWith). */
export const PYCDLIB = 'pycdlib-explorer';
/** Debian's interpreter, where python3-pycdlib installs (a python3 earlier on PATH may lack it). */
const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pycdlib-walk.py');

interface RawEntry {
  path: string;
  type: Entry['type'];
  size?: number;
  sha256?: string;
  target?: string;
  mode?: number;
  rrName?: string;
}

export interface PycdlibView {
  /** ISO 9660 paths (without ";1") → entry, each with the Rock Ridge name of its last component */
  iso: Map<string, Entry & { rrName?: string }>;
  joliet?: Map<string, Entry>;
  rr?: Map<string, Entry>;
  /** what pycdlib's checks reject: names that are not d-characters, path tables out of order */
  problems: string[];
  /** the descriptors' texts by pycdlib's names (volume_identifier…), their padding kept */
  labels: { pvd: Record<string, string>; joliet?: Record<string, string> };
}

const toMap = <T extends Entry>(list: RawEntry[], keep: (e: RawEntry) => T) =>
  new Map(list.map(e => [e.path, keep(e)]));

/** An entry as describeTree gives it (mode 0 where the namespace has none). */
const asEntry = (e: RawEntry, modes: boolean): Entry => {
  const out: Entry = { type: e.type, mode: modes && e.type !== 'symlink' ? (e.mode ?? 0) : 0 };
  if (e.type === 'file') {
    out.size = e.size;
    out.sha256 = e.sha256;
  }
  if (e.type === 'symlink') out.target = e.target;
  return out;
};

/** Open `iso` with pycdlib and describe it; throws with pycdlib's message when it cannot open it. */
export function pycdlibWalk(iso: string): PycdlibView {
  const r = run(PYTHON, [SCRIPT, iso], { timeout: 120_000 });
  if (r.status !== 0) throw new Error(`pycdlib: ${r.stderr.trim() || `exit ${r.status}`}`);
  const raw = JSON.parse(r.stdout) as {
    iso: RawEntry[];
    joliet?: RawEntry[];
    rr?: RawEntry[];
    problems: string[];
    labels: PycdlibView['labels'];
  };
  return {
    iso: toMap(raw.iso, e => ({ ...asEntry(e, false), rrName: e.rrName })),
    joliet: raw.joliet && toMap(raw.joliet, e => asEntry(e, false)),
    rr: raw.rr && toMap(raw.rr, e => asEntry(e, true)),
    problems: raw.problems,
    labels: raw.labels
  };
}

/**
 * The ISO 9660 namespace seen through the Rock Ridge names its records carry: the path each
 * ISO 9660 entry has in the Rock Ridge tree, so it can be compared with the source.
 */
export function isoByRockRidgeName(v: PycdlibView): Map<string, Entry> {
  const rrPath = new Map<string, string>();
  const out = new Map<string, Entry>();
  for (const [p, e] of v.iso) {
    const slash = p.lastIndexOf('/');
    const parent = slash < 0 ? '' : rrPath.get(p.slice(0, slash));
    if (parent === undefined || e.rrName === undefined) continue;
    const q = parent ? `${parent}/${e.rrName}` : e.rrName;
    rrPath.set(p, q);
    const entry: Entry & { rrName?: string } = { ...e };
    delete entry.rrName;
    out.set(q, entry);
  }
  return out;
}
