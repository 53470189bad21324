/**
 * What `extract` will write, decided before the first byte is: the chosen entries of the image's
 * tree in order (parents before children), each name checked for the host, collisions inside a
 * folder refused, hard links grouped, and the data bounded. A refused entry stops here, so a
 * hostile image leaves the output folder as it was.
 */
import { IsoforgeError, optionError } from '../errors.js';
import { collisionKey, hostNameProblem, type Platform } from '../platform.js';
import { quoted } from '../text.js';
import type { IsoImage } from './image.js';
import type { ReadNode } from './tree.js';

/** One entry to write; `parts` are its path's components below the output folder. */
export interface Step {
  node: ReadNode;
  parts: string[];
  /** the step already writing this file's data (a Rock Ridge hard link of it) */
  linkTo?: Step;
}

/**
 * File data written by one extract is at most this: distinct files never hold more than the image,
 * so more means entries share extents (a hostile image filling the disk from one extent).
 */
export function dataLimit(imageSize: number): number {
  return 2 * imageSize + 64 * 1024 * 1024;
}

/** The one-line refusal of an entry, naming its path in the image. */
export function refused(img: IsoImage, node: ReadNode, why: string): IsoforgeError {
  const at = `/${node.path}`;
  return new IsoforgeError(`image ${img.path}: refused entry ${quoted(at)}: ${why}`, {
    subject: at,
    code: 'EREFUSED'
  });
}

/** A --path value → the components of an image path ('' and '.' dropped; '..' is refused). */
export function imagePathParts(input: string): string[] {
  const parts = input.split('/').filter(p => p !== '' && p !== '.');
  if (parts.includes('..'))
    throw optionError('path', `${quoted(input)}: ".." is not allowed in an image path`);
  return parts;
}

/**
 * The nodes chosen by `paths` (all of the tree when none): 'whole' for a chosen subtree, 'way'
 * for the folders leading to one (created, their other children left out).
 */
function select(root: ReadNode, paths: readonly string[]): Map<ReadNode, 'whole' | 'way'> {
  const chosen = new Map<ReadNode, 'whole' | 'way'>();
  if (paths.length === 0) {
    chosen.set(root, 'whole');
    return chosen;
  }
  for (const input of paths) {
    let n = root;
    const way: ReadNode[] = [];
    for (const part of imagePathParts(input)) {
      if (n.kind === 'symlink')
        throw optionError(
          'path',
          `${quoted(input)} passes through the symbolic link ${quoted(`/${n.path}`)}`
        );
      const next = n.children.find(c => c.name === part);
      if (!next) throw optionError('path', `${quoted(input)} is not in the image`);
      way.push(n);
      n = next;
    }
    for (const w of way) if (!chosen.has(w)) chosen.set(w, 'way');
    chosen.set(n, 'whole');
  }
  return chosen;
}

/** Why a child of one folder may not be written as named, or undefined. */
function nameProblem(name: string, platform: Platform): string | undefined {
  // the reader refuses these already; checked again where the name becomes a path
  if (name === '' || name === '.' || name === '..') return 'the name is empty, "." or ".."';
  if (name.includes('/') || name.includes('\0')) return 'the name holds "/" or NUL';
  return hostNameProblem(name, platform);
}

/** The hard-link key of a file: Rock Ridge PX serial with more than one link, and the same data. */
function linkKey(n: ReadNode): string | undefined {
  if (n.kind !== 'file' || !n.links || n.links.count < 2 || n.links.serial === undefined) return undefined;
  return `${n.links.serial}@${n.extents.map(e => `${e.lba}+${e.size}`).join(',')}`;
}

export interface Plan {
  steps: Step[];
  /** bytes of file data to write (hard links not counted again) */
  bytes: number;
}

/** The steps of an extract of `paths` (all when empty) from `img`'s tree; throws on a refused entry. */
export function planExtract(img: IsoImage, paths: readonly string[], platform: Platform): Plan {
  const chosen = select(img.tree.root, paths);
  const steps: Step[] = [];
  const links = new Map<string, Step>();
  let bytes = 0;
  const visit = (dir: ReadNode, parts: string[], whole: boolean) => {
    const seen = new Map<string, ReadNode>();
    for (const c of dir.children) {
      const mark = whole ? 'whole' : chosen.get(c);
      if (!mark) continue;
      const problem = nameProblem(c.name, platform);
      if (problem) throw refused(img, c, problem);
      const key = collisionKey(c.name, platform);
      const other = seen.get(key);
      if (other) {
        throw refused(
          img,
          c,
          other.name === c.name
            ? 'a second entry of this name in its folder'
            : `its name and ${quoted(other.name)} are one name on this file system`
        );
      }
      seen.set(key, c);
      const step: Step = { node: c, parts: [...parts, c.name] };
      const k = linkKey(c);
      const first = k === undefined ? undefined : links.get(k);
      if (first) step.linkTo = first;
      else if (k !== undefined) links.set(k, step);
      if (c.kind === 'file' && !first) {
        bytes += c.size;
        if (bytes > dataLimit(img.size))
          throw refused(img, c, 'files overlap (more file data than the image holds)');
      }
      steps.push(step);
      if (c.kind === 'dir') visit(c, step.parts, mark === 'whole');
    }
  };
  visit(img.tree.root, [], chosen.get(img.tree.root) === 'whole');
  return { steps, bytes };
}
