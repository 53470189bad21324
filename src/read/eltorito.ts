/** The El Torito part of the reader: boot record → catalog → entries, each checked against the image. */
import { SECTOR } from '../image/bytes.js';
import type { BootEntryInfo } from '../image/extension.js';
import {
  MEDIA_NAMES,
  PLATFORM_EFI,
  PLATFORM_X86,
  VIRTUAL_SECTOR,
  parseBootCatalog
} from '../boot/eltorito.js';
import type { ImageSource } from './source.js';

export interface BootRead {
  catalogLba: number;
  entries: (BootEntryInfo & { bootable: boolean; inside: boolean })[];
  problems: string[];
}

export function platformName(id: number): string {
  if (id === PLATFORM_X86) return 'bios';
  if (id === PLATFORM_EFI) return 'uefi';
  return `0x${id.toString(16).padStart(2, '0')}`;
}

/**
 * Read the catalog at `catalogLba`. `pathOf` names the file whose data starts at a block.
 * Never throws for a bad catalog: it reports problems (the structure check fails on them).
 */
export async function readElTorito(
  src: ImageSource,
  catalogLba: number,
  pathOf: (lba: number) => string | undefined
): Promise<BootRead> {
  const out: BootRead = { catalogLba, entries: [], problems: [] };
  if (!src.inside(catalogLba * SECTOR, SECTOR)) {
    out.problems.push(`El Torito: the boot catalog at block ${catalogLba} lies past the end of the image`);
    return out;
  }
  const buf = await src.read(catalogLba * SECTOR, SECTOR, 'El Torito boot catalog');
  let catalog;
  try {
    catalog = parseBootCatalog(buf);
  } catch (e) {
    out.problems.push(`El Torito: ${e instanceof Error ? e.message : String(e)}`);
    return out;
  }
  if (!catalog.validation.checksumOk) out.problems.push('El Torito: the validation entry checksum is wrong');
  catalog.entries.forEach((e, i) => {
    const platform = platformName(e.platform);
    // a UEFI entry with count 0 means "to the end of the medium" (UEFI spec, El Torito section)
    const bytes = Math.max(1, e.sectorCount) * VIRTUAL_SECTOR;
    const inside = src.inside(e.lba * SECTOR, bytes);
    if (!inside) {
      out.problems.push(
        `El Torito: boot entry ${i + 1} (${platform}) at block ${e.lba} (${e.sectorCount} sectors) lies past the end of the image`
      );
    }
    out.entries.push({
      platform,
      path: pathOf(e.lba) ?? `lba:${e.lba}`,
      emulation: MEDIA_NAMES[e.media] ?? `media-${e.media}`,
      loadSize: e.sectorCount,
      lba: e.lba,
      bootable: e.bootable,
      inside
    });
  });
  return out;
}
