/**
 * Boot: turns the boot options into image extensions (El Torito, hybrid MBR/GPT, EFI FAT image).
 * PLACEHOLDER until the Boot: issue lands; the pipeline calls only this function.
 */
import type { BuildConfig } from '../config.js';
import { IsoforgeError } from '../errors.js';
import type { ImageExtension } from '../image/extension.js';
import type { Logger } from '../log.js';

export async function createBootExtensions(config: BuildConfig, _log: Logger): Promise<ImageExtension[]> {
  if (config.biosBoot.length || config.uefiBoot.length) {
    throw new IsoforgeError('--bios-boot/--uefi-boot: boot images are not supported yet', {
      subject: '--bios-boot'
    });
  }
  return [];
}
