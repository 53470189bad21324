/**
 * The image's end, after the volume and the appended regions: the zero padding extensions ask for
 * (libisofs's zero writer: El Torito's 300 KiB that some BIOSes read past the volume), then the
 * one tail that must be the image's last bytes (a backup GPT addresses itself from the end).
 */
import type { ImageExtension } from './extension.js';
import type { LayoutView } from './tree.js';

export interface PlacedTail {
  offset: number;
  bytes: number;
  produce(layout: LayoutView): Buffer;
}

/** Zeros: the writer fills what a piece's bytes leave out. */
const ZEROS = () => Buffer.alloc(0);

export function reserveTails(
  extensions: readonly ImageExtension[],
  sizeSoFar: number
): { tails: PlacedTail[]; imageSize: number } {
  const tails: PlacedTail[] = [];
  let size = sizeSoFar;
  for (const e of extensions) {
    if (!e.padding) continue;
    const { bytes: min, align } = e.padding;
    const bytes = Math.ceil((size + min) / align) * align - size;
    if (bytes > 0) tails.push({ offset: size, bytes, produce: ZEROS });
    size += bytes;
  }
  const last = extensions.filter(e => e.tail);
  if (last.length > 1) throw new Error(`internal: ${last.map(e => e.name).join(' and ')} both end the image`);
  const t = last[0]?.tail?.(size);
  if (t && t.bytes > 0) {
    tails.push({ offset: size, bytes: t.bytes, produce: t.produce });
    size += t.bytes;
  }
  return { tails, imageSize: size };
}
