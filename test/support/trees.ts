/** Generated source trees holding the cases a writer must get right, and a way to compare trees. */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import * as path from 'node:path';

export const LONG_70 = 'a-name-that-is-longer-than-sixty-four-characters-for-joliet-0123456789.txt';
export const LONG_103 = 'L'.repeat(99) + '.txt';

/** Deterministic pseudo-random bytes. */
export function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}

export interface TreeOptions {
  /** create entries in reverse order (different inode order, same content) */
  reverse?: boolean;
  /** include symlinks (7-Zip/Joliet comparisons leave them out) */
  symlinks?: boolean;
  /** include a hard link */
  hardlinks?: boolean;
}

/** The Foundation issue's cases: unicode/astral, long, case-only, `;` and spaces, deep, links, sizes, modes, 300 files. */
export function makeTree(root: string, o: TreeOptions = {}): void {
  const steps: (() => void)[] = [];
  const file = (rel: string, content: Buffer | string, mode = 0o644) =>
    steps.push(() => {
      const p = path.join(root, rel);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, content);
      chmodSync(p, mode);
    });
  const dir = (rel: string, mode = 0o755) =>
    steps.push(() => {
      mkdirSync(path.join(root, rel), { recursive: true });
      chmodSync(path.join(root, rel), mode);
    });
  file('README.txt', 'hello from isoforge\n');
  file('naïve-файл-日本語.txt', 'unicode\n');
  file('astral-😀-𝄞.txt', 'astral\n');
  file(LONG_70, 'long name\n');
  file(LONG_103, 'longest joliet name\n');
  file('Case.txt', 'upper\n');
  file('case.TXT', 'lower\n');
  file('semi;colon and spaces.txt', 'semicolon\n');
  file('.hidden', 'hidden file\n');
  file('empty.bin', Buffer.alloc(0));
  file('sizes/2048.bin', bytes(2048, 1));
  file('sizes/2049.bin', bytes(2049, 2));
  file('sizes/1MiB+1.bin', bytes(1024 * 1024 + 1, 3));
  file('modes/run.sh', '#!/bin/sh\necho hi\n', 0o755);
  file('modes/readonly.txt', 'read only\n', 0o444);
  file('modes/private.key', 'not really\n', 0o600);
  dir('empty-dir');
  let deep = 'deep';
  for (let i = 1; i <= 12; i++) deep += `/level${i}`;
  file(`${deep}/bottom.txt`, 'twelve levels down\n');
  for (let i = 0; i < 300; i++) file(`many/file-${String(i).padStart(3, '0')}.dat`, `file ${i}\n`);
  if (o.symlinks !== false) {
    steps.push(() => {
      mkdirSync(path.join(root, 'links'), { recursive: true });
      symlinkSync('../README.txt', path.join(root, 'links/relative'));
      symlinkSync('/etc/hostname', path.join(root, 'links/absolute'));
      symlinkSync('does/not/exist', path.join(root, 'links/dangling'));
      symlinkSync('../../outside-the-source', path.join(root, 'links/outside'));
      symlinkSync('../many', path.join(root, 'links/to-dir'));
      symlinkSync('.', path.join(root, 'links/dot'));
      symlinkSync('x'.repeat(200) + '/' + 'y'.repeat(250) + '/z', path.join(root, 'links/very-long-target'));
    });
  }
  if (o.hardlinks) {
    file('hard/one.txt', 'shared bytes\n');
    steps.push(() => linkSync(path.join(root, 'hard/one.txt'), path.join(root, 'hard/two.txt')));
  }
  mkdirSync(root, { recursive: true });
  const ordered = o.reverse ? [...steps].reverse() : steps;
  // directories must exist before links and files in reverse order too: each step creates its parents
  for (const s of ordered) {
    try {
      s();
    } catch (e) {
      if (!o.reverse) throw e;
    }
  }
  if (o.reverse)
    for (const s of steps) {
      try {
        s();
      } catch {
        /* already made */
      }
    }
}

export interface Entry {
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  sha256?: string;
  size?: number;
  target?: string;
}

/** A comparable description of a tree on disk: path → type, permission bits, content hash, link target. */
export function describeTree(
  root: string,
  opts: { modes?: boolean; symlinks?: boolean } = {}
): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const visit = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const p = path.join(root, r);
      const st = lstatSync(p);
      const mode = opts.modes === false ? 0 : st.mode & 0o7777;
      if (st.isSymbolicLink()) {
        if (opts.symlinks !== false) out.set(r, { type: 'symlink', mode: 0, target: readlinkSync(p) });
      } else if (st.isDirectory()) {
        out.set(r, { type: 'dir', mode });
        visit(r);
      } else {
        const data = readFileSync(p);
        out.set(r, {
          type: 'file',
          mode,
          size: data.length,
          sha256: createHash('sha256').update(data).digest('hex')
        });
      }
    }
  };
  visit('');
  return out;
}

/** What differs between two described trees: `missing`, `extra` and `differs` lines (none: equal). */
export function diffTrees(a: Map<string, Entry>, b: Map<string, Entry>): string[] {
  const out: string[] = [];
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w) out.push(`missing ${k}`);
    else if (JSON.stringify(v) !== JSON.stringify(w))
      out.push(`differs ${k}: ${JSON.stringify(v)} vs ${JSON.stringify(w)}`);
  }
  for (const k of b.keys()) if (!a.has(k)) out.push(`extra ${k}`);
  return out;
}
