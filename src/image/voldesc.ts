/** ECMA-119 8: volume descriptors (primary, supplementary/Joliet, terminator), both ways. */
import {
  SECTOR,
  readBoth16,
  readBoth32,
  readPadded,
  readVolumeDate,
  writeBoth16,
  writeBoth32,
  writePadded,
  writeUcs2Padded,
  writeVolumeDate,
  decodeUtf16BE
} from './bytes.js';

/**
 * ECMA-119 6.2.1, 8.1: the system area is blocks 0-15; the volume descriptor set starts at block 16
 * (also the first descriptor's block as readers of the disc find it).
 */
export const SYSTEM_AREA_BLOCKS = 16;
export const VD_SET_LBA = SYSTEM_AREA_BLOCKS;

export const VD_TYPE_BOOT = 0;
export const VD_TYPE_PRIMARY = 1;
export const VD_TYPE_SUPPLEMENTARY = 2;
export const VD_TYPE_TERMINATOR = 255;
export const STANDARD_ID = 'CD001';
/** Joliet escape sequence for UCS-2 level 3 (what xorriso writes). */
export const JOLIET_ESCAPE = Buffer.from('%/E', 'latin1');

// ECMA-119 8.4 field offsets
export const PVD = {
  systemId: 8, // 32 a-chars
  volumeId: 40, // 32 d-chars
  volumeSpaceSize: 80, // both32
  escapeSequences: 88, // 32 bytes (SVD only)
  volumeSetSize: 120,
  volumeSequenceNumber: 124,
  logicalBlockSize: 128,
  pathTableSize: 132, // both32
  typeLPathTable: 140, // LE32
  optTypeLPathTable: 144,
  typeMPathTable: 148, // BE32
  optTypeMPathTable: 152,
  rootRecord: 156, // 34 bytes
  volumeSetId: 190, // 128
  publisherId: 318, // 128
  preparerId: 446, // 128
  applicationId: 574, // 128
  copyrightFileId: 702, // 37
  abstractFileId: 739, // 37
  bibliographicFileId: 776, // 37
  creationDate: 813, // 17
  modificationDate: 830,
  expirationDate: 847,
  effectiveDate: 864,
  fileStructureVersion: 881,
  applicationUse: 883, // 512 bytes (isomd5sum lives here)
  applicationUseLength: 512
} as const;

/**
 * ECMA-119 8.4.5, 8.4.6, 8.4.14, 8.4.20-8.4.22: bytes of each identifier field (a Joliet
 * descriptor holds half as many UCS-2 characters in the same bytes).
 */
export const ID_LENGTH = {
  systemId: 32,
  volumeId: 32,
  volumeSetId: 128,
  publisherId: 128,
  preparerId: 128,
  applicationId: 128
} as const;

export interface VolumeDescriptorFields {
  type: typeof VD_TYPE_PRIMARY | typeof VD_TYPE_SUPPLEMENTARY;
  volumeId: string;
  systemId: string;
  volumeSpaceSize: number;
  pathTableSize: number;
  lPathTable: number;
  mPathTable: number;
  /** the 34-byte root directory record */
  rootRecord: Buffer;
  volumeSetId: string;
  publisherId: string;
  preparerId: string;
  applicationId: string;
  /** seconds since 1970 */
  created: number;
  /** Joliet: UCS-2 fields; the escape sequence is written */
  joliet: boolean;
}

export function encodeVolumeDescriptor(f: VolumeDescriptorFields): Buffer {
  const b = Buffer.alloc(SECTOR);
  b[0] = f.type;
  b.write(STANDARD_ID, 1, 'latin1');
  b[6] = 1; // 8.4.3 version
  const text = (off: number, len: number, s: string) =>
    f.joliet ? writeUcs2Padded(b, off, len, s) : writePadded(b, off, len, s);
  text(PVD.systemId, ID_LENGTH.systemId, f.systemId);
  text(PVD.volumeId, ID_LENGTH.volumeId, f.volumeId);
  writeBoth32(b, PVD.volumeSpaceSize, f.volumeSpaceSize);
  if (f.joliet) JOLIET_ESCAPE.copy(b, PVD.escapeSequences);
  writeBoth16(b, PVD.volumeSetSize, 1);
  writeBoth16(b, PVD.volumeSequenceNumber, 1);
  writeBoth16(b, PVD.logicalBlockSize, SECTOR);
  writeBoth32(b, PVD.pathTableSize, f.pathTableSize);
  b.writeUInt32LE(f.lPathTable, PVD.typeLPathTable);
  b.writeUInt32BE(f.mPathTable, PVD.typeMPathTable);
  f.rootRecord.copy(b, PVD.rootRecord);
  text(PVD.volumeSetId, ID_LENGTH.volumeSetId, f.volumeSetId);
  text(PVD.publisherId, ID_LENGTH.publisherId, f.publisherId);
  text(PVD.preparerId, ID_LENGTH.preparerId, f.preparerId);
  text(PVD.applicationId, ID_LENGTH.applicationId, f.applicationId);
  text(PVD.copyrightFileId, 37, '');
  text(PVD.abstractFileId, 37, '');
  text(PVD.bibliographicFileId, 37, '');
  writeVolumeDate(b, PVD.creationDate, f.created);
  writeVolumeDate(b, PVD.modificationDate, f.created);
  writeVolumeDate(b, PVD.expirationDate, undefined);
  writeVolumeDate(b, PVD.effectiveDate, undefined);
  b[PVD.fileStructureVersion] = 1;
  b.fill(0x20, PVD.applicationUse, PVD.applicationUse + PVD.applicationUseLength);
  return b;
}

export function encodeTerminator(): Buffer {
  const b = Buffer.alloc(SECTOR);
  b[0] = VD_TYPE_TERMINATOR;
  b.write(STANDARD_ID, 1, 'latin1');
  b[6] = 1;
  return b;
}

export interface ParsedVolumeDescriptor {
  type: number;
  volumeId: string;
  systemId: string;
  volumeSpaceSize: number;
  logicalBlockSize: number;
  pathTableSize: number;
  lPathTable: number;
  mPathTable: number;
  rootRecord: Buffer;
  escape: Buffer;
  joliet: boolean;
  volumeSetId: string;
  publisherId: string;
  preparerId: string;
  applicationId: string;
  created: number | undefined;
  modified: number | undefined;
}

/** Parse a primary or supplementary descriptor sector. */
export function parseVolumeDescriptor(b: Buffer): ParsedVolumeDescriptor {
  if (b.length < SECTOR) throw new RangeError('volume descriptor shorter than a sector');
  if (b.toString('latin1', 1, 6) !== STANDARD_ID) throw new RangeError('not a volume descriptor (no CD001)');
  const escape = b.subarray(PVD.escapeSequences, PVD.escapeSequences + 32);
  const joliet =
    b[0] === VD_TYPE_SUPPLEMENTARY &&
    escape[0] === 0x25 &&
    escape[1] === 0x2f &&
    [0x40, 0x43, 0x45].includes(escape[2]);
  const text = (off: number, len: number) =>
    joliet ? decodeUtf16BE(b, off, len).replace(/[\x00 ]+$/, '') : readPadded(b, off, len);
  return {
    type: b[0],
    volumeId: text(PVD.volumeId, ID_LENGTH.volumeId),
    systemId: text(PVD.systemId, ID_LENGTH.systemId),
    volumeSpaceSize: readBoth32(b, PVD.volumeSpaceSize),
    logicalBlockSize: readBoth16(b, PVD.logicalBlockSize),
    pathTableSize: readBoth32(b, PVD.pathTableSize),
    lPathTable: b.readUInt32LE(PVD.typeLPathTable),
    mPathTable: b.readUInt32BE(PVD.typeMPathTable),
    rootRecord: b.subarray(PVD.rootRecord, PVD.rootRecord + 34),
    escape,
    joliet,
    volumeSetId: text(PVD.volumeSetId, ID_LENGTH.volumeSetId),
    publisherId: text(PVD.publisherId, ID_LENGTH.publisherId),
    preparerId: text(PVD.preparerId, ID_LENGTH.preparerId),
    applicationId: text(PVD.applicationId, ID_LENGTH.applicationId),
    created: readVolumeDate(b, PVD.creationDate),
    modified: readVolumeDate(b, PVD.modificationDate)
  };
}
