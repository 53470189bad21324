/** The manifest of an image as read back: the same schema the builder writes (src/manifest.ts). */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { SECTOR } from '../image/bytes.js';
import { S_IFDIR, S_IFREG } from '../image/tree.js';
import { compareNames } from '../image/tree.js';
import { MANIFEST_SCHEMA, modeString, type Manifest, type ManifestEntry } from '../manifest.js';
import { VERSION } from '../version.js';
import { forEachNode, type IsoImage } from './image.js';
import { extentKey, fileDataLimit } from './image-pass.js';
import { quoted } from '../text.js';
import type { ReadNode } from './tree.js';

/** Modes shown when the image has no Rock Ridge (what Linux shows for plain ISO 9660). */
const DEFAULT_DIR_MODE = S_IFDIR | 0o555;
const DEFAULT_FILE_MODE = S_IFREG | 0o444;

/** SHA-256 of a file's data, extent by extent. */
export async function hashNode(img: IsoImage, n: ReadNode, signal?: AbortSignal): Promise<string> {
  const h = createHash('sha256');
  for (const e of n.extents) {
    if (e.size === 0) continue;
    for await (const chunk of img.source.stream(
      e.lba * SECTOR,
      e.size,
      `file ${quoted(`/${n.path}`)}`,
      signal
    )) {
      h.update(chunk);
    }
  }
  return h.digest('hex');
}

export interface ReadManifestOptions {
  /** compute sha256 of every file (default true) */
  hash?: boolean;
  signal?: AbortSignal;
  /** files' SHA-256 already made, by extentKey (hashImageOnce); the others are hashed here */
  digests?: ReadonlyMap<string, string>;
}

export async function readManifest(img: IsoImage, opts: ReadManifestOptions = {}): Promise<Manifest> {
  const nodes: ReadNode[] = [];
  forEachNode(img.tree.root, n => {
    if (n !== img.tree.root) nodes.push(n);
  });
  const cache = new Map<string, string>();
  // distinct files never hold more data than the image; overlapping extents are hostile
  const limit = fileDataLimit(img);
  let hashed = 0;
  const entries: ManifestEntry[] = [];
  for (const n of nodes) {
    const mode = n.mode ?? (n.kind === 'dir' ? DEFAULT_DIR_MODE : DEFAULT_FILE_MODE);
    const e: ManifestEntry = {
      path: n.path,
      type: n.kind,
      size: n.kind === 'file' ? n.size : 0,
      mode: modeString(mode)
    };
    if (n.kind === 'symlink') e.target = n.target ?? '';
    if (n.kind === 'file') {
      if (opts.hash !== false) {
        const key = extentKey(n);
        let digest = opts.digests?.get(key) ?? cache.get(key);
        if (digest === undefined) {
          hashed += n.size;
          if (hashed > limit) {
            throw img.source.fail(
              `file ${quoted(`/${n.path}`)}: files overlap (more file data than the image holds)`
            );
          }
          digest = await hashNode(img, n, opts.signal);
          cache.set(key, digest);
        }
        e.sha256 = digest;
      }
      if (n.size > 0) e.lba = n.extents[0].lba;
    }
    entries.push(e);
  }
  entries.sort((a, b) => compareNames(a.path, b.path));
  return {
    schema: MANIFEST_SCHEMA,
    tool: { name: 'isoforge', version: VERSION },
    volumeId: img.pvd.volumeId,
    ids: {
      systemId: img.pvd.systemId,
      volumeSetId: img.pvd.volumeSetId,
      publisherId: img.pvd.publisherId,
      preparerId: img.pvd.preparerId,
      applicationId: img.pvd.applicationId
    },
    epoch: img.pvd.created ?? 0,
    image: {
      name: path.basename(img.path),
      size: img.size,
      ...(img.md5 ? { md5Implanted: true } : {})
    },
    boot: (img.boot?.entries ?? []).map(({ bootable: _b, inside: _i, ...rest }) => rest),
    partitions: img.partitions,
    entries
  };
}
