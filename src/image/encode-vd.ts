/**
 * A volume descriptor set (ECMA-119 8): the primary descriptor, the extensions' descriptors (the
 * El Torito boot record), the Joliet supplementary descriptor, the terminator; as one copy of the
 * trees (TreeSet) addresses its structures.
 */
import type { NamespaceBlocks, TreeSet } from './allocate.js';
import { FLAG_DIRECTORY, encodeDirRecord } from './dirrec.js';
import type { DirPlan } from './dirplan.js';
import type { VolumeLabels } from './labels.js';
import type { NamespaceKey } from './namespace.js';
import {
  VD_TYPE_PRIMARY,
  VD_TYPE_SUPPLEMENTARY,
  encodeTerminator,
  encodeVolumeDescriptor
} from './voldesc.js';

/**
 * What every descriptor of the set says about the volume. The Joliet descriptor holds the same
 * texts in UCS-2, cut to its fields' half as many characters (labels.ts).
 */
export interface VolumeFacts {
  labels: VolumeLabels;
  /** seconds */
  epoch: number;
  /** the volume's blocks as the main tree counts them */
  volumeBlocks: number;
}

function rootRecord(root: DirPlan, key: NamespaceKey, blocks: NamespaceBlocks, bias: number): Buffer {
  return encodeDirRecord({
    extent: blocks.dirLba[root.index] - bias,
    size: root[key].size,
    date: root.node.mtime,
    flags: FLAG_DIRECTORY,
    fileId: Buffer.from([0]),
    systemUse: Buffer.alloc(0)
  });
}

export function encodeVdSet(
  ts: TreeSet,
  root: DirPlan,
  facts: VolumeFacts,
  ptSize: Readonly<Record<string, number>>,
  extensionVds: readonly Buffer[]
): Buffer {
  const { bias } = ts;
  const common = {
    ...facts.labels,
    volumeSpaceSize: facts.volumeBlocks - bias,
    created: facts.epoch
  };
  const namespaceVd = (key: NamespaceKey, blocks: NamespaceBlocks) => ({
    ...common,
    joliet: key === 'jol',
    pathTableSize: ptSize[key],
    lPathTable: blocks.ptL - bias,
    mPathTable: blocks.ptM - bias,
    rootRecord: rootRecord(root, key, blocks, bias)
  });
  const vds = [
    encodeVolumeDescriptor({
      ...namespaceVd('iso', ts.iso),
      type: VD_TYPE_PRIMARY
    }),
    ...extensionVds
  ];
  if (ts.jol)
    vds.push(encodeVolumeDescriptor({ ...namespaceVd('jol', ts.jol), type: VD_TYPE_SUPPLEMENTARY }));
  vds.push(encodeTerminator());
  return Buffer.concat(vds);
}
