/**
 * The MD5 that implantisomd5 writes into the PVD's application use field, checked the way
 * checkisomd5 does (rhinstaller/isomd5sum; see shared notes integrity-and-signing §3): MD5 of the
 * image from byte 0 to volume size − SKIPSECTORS×2048, with the 512-byte field read as spaces.
 */
import { createHash } from 'node:crypto';
import { SECTOR } from '../image/bytes.js';
import { PVD, VD_SET_LBA } from '../image/voldesc.js';
import type { ImplantedMd5 } from '../integrity/isomd5.js';
import type { ImageSource } from './source.js';

/** ECMA-119 8.4: the PVD is at block 16; its application use field at byte 883, 512 bytes. */
const PVD_LBA = VD_SET_LBA;

/** Recompute the implanted MD5; `volumeBlocks` from the PVD. */
export async function checkImplantedMd5(
  src: ImageSource,
  implanted: ImplantedMd5,
  volumeBlocks: number,
  signal?: AbortSignal
): Promise<{ ok: boolean; detail: string }> {
  const length = (volumeBlocks - implanted.skipSectors) * SECTOR;
  if (length <= 0 || !src.inside(0, length)) {
    return { ok: false, detail: `the implanted MD5 covers ${length} bytes, not inside the image` };
  }
  const fieldStart = PVD_LBA * SECTOR + PVD.applicationUse;
  const fieldEnd = fieldStart + PVD.applicationUseLength;
  const h = createHash('md5');
  let pos = 0;
  for await (const chunk of src.stream(0, length, 'implanted MD5', signal)) {
    const a = Math.max(fieldStart, pos);
    const b = Math.min(fieldEnd, pos + chunk.length);
    if (a < b) {
      const copy = Buffer.from(chunk);
      copy.fill(0x20, a - pos, b - pos);
      h.update(copy);
    } else h.update(chunk);
    pos += chunk.length;
  }
  const got = h.digest('hex');
  return got === implanted.md5
    ? { ok: true, detail: `implanted MD5 ${got} matches` }
    : { ok: false, detail: `implanted MD5 ${implanted.md5} but the image has ${got}` };
}
