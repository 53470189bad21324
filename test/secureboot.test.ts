/**
 * Secure Boot: an image whose ESP isoforge builds from a folder (`--uefi-boot EFI`, hybrid) holding
 * Debian's signed shim and GRUB boots under OVMF with Secure Boot enforced (Microsoft's keys, as a
 * real PC) to GRUB reading a file through the ISO 9660 tree, as a CD and as a disk. The same tree
 * with the unsigned build of that GRUB as BOOTX64.EFI is refused by the firmware ("Access Denied")
 * and never reaches the marker, although it does boot with Secure Boot off: the signature alone
 * decides. Behind the signed shim, the unsigned GRUB is refused by shim ("Verification failed").
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildWith } from './support/build.js';
import {
  GRUB_PROMPT,
  GRUB_SIGNED,
  GRUB_STATE,
  GRUB_UNSIGNED,
  OVMF_NOTHING_BOOTED,
  OVMF_REFUSED,
  OVMF_SECURE,
  OVMF_SECURE_OFF,
  SB_MARKER,
  SHIM_REFUSED,
  SHIM_SIGNED,
  bootSecure,
  missingSecureBootFiles,
  secureBootTree,
  type Firmware,
  type SecureBootResult
} from './support/secureboot.js';
import { describeWith, sh, tempDir } from './support/tools.js';

const TIMEOUT_MS = 90_000;
const SECTOR = 512;
const times: string[] = [];

async function boot(
  image: string,
  media: 'cd' | 'disk',
  firmware: Firmware,
  want: 'marker' | typeof OVMF_NOTHING_BOOTED | typeof SHIM_REFUSED
): Promise<SecureBootResult> {
  const r = await bootSecure({
    image,
    media,
    firmware,
    marker: SB_MARKER,
    giveUp: [OVMF_NOTHING_BOOTED, SHIM_REFUSED, GRUB_PROMPT],
    timeoutMs: TIMEOUT_MS
  });
  const wanted = want === 'marker' ? 'marker' : `gave up on ${want}`;
  const got = r.end === 'gave up' ? `gave up on ${r.gaveUpOn}` : r.end;
  times.push(`${path.basename(image)} ${firmware.name} ${media}: ${got} after ${r.elapsedMs} ms`);
  if (got !== wanted)
    throw new Error(
      `${media} boot of ${image} under ${firmware.name}: ${got}, expected ${wanted}\n` +
        `${r.command.join(' ')}\n--- serial ---\n${r.serial.slice(-3000)}`
    );
  return r;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The files of the GPT's EFI system partition, read with mtools at its offset: name → SHA-256. */
function espFiles(iso: string, dir: string): Map<string, string> {
  const esp = sh('sgdisk', ['-p', iso])
    .split('\n')
    .map(l => l.trim().split(/\s+/))
    .find(f => f[5] === 'EF00');
  expect(esp).toBeDefined();
  const fat = `${iso}@@${Number(esp![1]) * SECTOR}`;
  const env = { ...process.env, MTOOLS_SKIP_CHECK: '1' };
  const out = new Map<string, string>();
  const listing = sh('mdir', ['-i', fat, '-/', '-b', '::/'], { env });
  for (const line of listing.split('\n').filter(l => l && !l.endsWith('/'))) {
    const local = path.join(dir, `esp-${out.size}`);
    sh('mcopy', ['-i', fat, '-n', line, local], { env });
    out.set(line.replace(/^::/, ''), sha256(readFileSync(local)));
  }
  return out;
}

function missingFilesDescribe(name: string, fn: () => void): void {
  const missing = missingSecureBootFiles();
  if (missing.length === 0)
    return describeWith(['qemu-system-x86_64', 'xorriso', 'sgdisk', 'mdir', 'mcopy'], name, fn);
  if (process.env.ISOFORGE_REQUIRE_TOOLS === '1')
    return describe(name, () =>
      test(`requires ${missing.join(', ')}`, () => {
        throw new Error(
          `missing under ISOFORGE_REQUIRE_TOOLS=1: ${missing.join(', ')} (scripts/install-test-tools.sh)`
        );
      })
    );
  describe.skip(`${name} [SKIPPED: missing ${missing.join(', ')}]`, fn);
}

missingFilesDescribe('Secure Boot: shim + signed GRUB in an ESP built from a folder', () => {
  const t = tempDir('isoforge-sb-');
  const signed = { src: path.join(t.dir, 'src-signed'), iso: path.join(t.dir, 'signed.iso') };
  const unsigned = { src: path.join(t.dir, 'src-unsigned'), iso: path.join(t.dir, 'unsigned.iso') };
  const shimUnsigned = {
    src: path.join(t.dir, 'src-shim-unsigned'),
    iso: path.join(t.dir, 'shim-unsigned.iso')
  };
  const build = async (src: string, iso: string) => {
    const outcome = await buildWith({
      source: src,
      output: iso,
      'volume-id': 'ISOFORGE_SB',
      'source-date-epoch': '1700000000',
      'uefi-boot': 'EFI',
      hybrid: 'true'
    });
    expect(outcome.log.warnings).toEqual([]);
  };

  beforeAll(async () => {
    secureBootTree(signed.src, { bootx64: SHIM_SIGNED, grubx64: GRUB_SIGNED });
    secureBootTree(unsigned.src, { bootx64: GRUB_UNSIGNED });
    secureBootTree(shimUnsigned.src, { bootx64: SHIM_SIGNED, grubx64: GRUB_UNSIGNED });
    await build(signed.src, signed.iso);
    await build(unsigned.src, unsigned.iso);
    await build(shimUnsigned.src, shimUnsigned.iso);
  });
  afterAll(() => {
    t.cleanup();
    console.log(`Secure Boot boot times (TCG):\n  ${times.join('\n  ')}`);
  });

  test('the ESP holds the loaders only; GRUB config and marker are in the ISO 9660 tree', () => {
    const esp = espFiles(signed.iso, t.dir);
    expect(esp).toEqual(
      new Map([
        ['/EFI/BOOT/BOOTX64.EFI', sha256(readFileSync(SHIM_SIGNED))],
        ['/EFI/BOOT/grubx64.efi', sha256(readFileSync(GRUB_SIGNED))]
      ])
    );
    const tree = sh('xorriso', ['-indev', signed.iso, '-find', '/', '-type', 'f']);
    for (const f of ['/.disk/info', '/boot/grub/grub.cfg', '/sb-marker.txt'])
      expect(tree).toContain(`'${f}'`);
  });

  for (const media of ['cd', 'disk'] as const) {
    test(
      `signed: Secure Boot enforced, ${media}: shim starts GRUB locked down, GRUB reads the ISO tree`,
      async () => {
        const r = await boot(signed.iso, media, OVMF_SECURE, 'marker');
        const state = GRUB_STATE.exec(r.serial);
        expect(state).not.toBeNull();
        // Debian's GRUB sets both when shim verified it with Secure Boot on (lockdown, shim_lock)
        expect([state![1], state![2]]).toEqual(['y', 'y']);
        expect(state![3]).toBe(media === 'cd' ? 'cd0' : 'hd0');
        expect(r.serial).not.toMatch(OVMF_REFUSED);
      },
      TIMEOUT_MS + 15_000
    );
    test(
      `unsigned GRUB as BOOTX64.EFI, ${media}: the firmware refuses it (Access Denied), no marker`,
      async () => {
        const r = await boot(unsigned.iso, media, OVMF_SECURE, OVMF_NOTHING_BOOTED);
        expect(r.serial).toMatch(OVMF_REFUSED);
        expect(r.serial).not.toMatch(GRUB_STATE);
        expect(r.serial).not.toContain(SB_MARKER);
      },
      TIMEOUT_MS + 15_000
    );
  }

  test(
    'signed shim + unsigned GRUB, cd: the firmware starts shim, shim refuses GRUB, no marker',
    async () => {
      const r = await boot(shimUnsigned.iso, 'cd', OVMF_SECURE, SHIM_REFUSED);
      expect(r.serial).not.toMatch(OVMF_REFUSED);
      expect(r.serial).not.toMatch(GRUB_STATE);
      expect(r.serial).not.toContain(SB_MARKER);
    },
    TIMEOUT_MS + 15_000
  );

  test(
    'control: the unsigned image boots to the marker when Secure Boot is off (same SMM firmware)',
    async () => {
      const r = await boot(unsigned.iso, 'cd', OVMF_SECURE_OFF, 'marker');
      const state = GRUB_STATE.exec(r.serial);
      expect([state?.[1], state?.[2]]).toEqual(['', '']);
    },
    TIMEOUT_MS + 15_000
  );
});
