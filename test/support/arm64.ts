/**
 * ARM64 boots for the tests: GRUB for arm64-efi built at test time from the modules that
 * scripts/install-test-tools.sh unpacks from Debian's grub-efi-arm64-bin:arm64 (nothing binary is
 * committed), and qemu-system-aarch64 (`-machine virt`, TCG) with the AAVMF firmware of
 * qemu-efi-aarch64. AAVMF's console is the virt machine's PL011 UART, QEMU's first -serial.
 *
 * Media, as AAVMF finds them: a CD is a scsi-cd on a virtio-scsi-pci controller (the virt machine
 * has no IDE); a disk is a virtio-blk-pci device. The image is never modified (the CD read-only,
 * the disk and the firmware's variable store with throw-away snapshots).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stop } from '../../src/read/accel.js';
import { have, sh, tempDir } from './tools.js';

export const QEMU_AARCH64 = 'qemu-system-aarch64';
/** Where the install script unpacks grub-efi-arm64-bin:arm64 (ISOFORGE_GRUB_ARM64 overrides). */
export const GRUB_ARM64_ROOT = process.env.ISOFORGE_GRUB_ARM64 ?? '/opt/isoforge-test/grub-arm64';
export const GRUB_ARM64_MODULES = path.join(GRUB_ARM64_ROOT, 'usr/lib/grub/arm64-efi');
/** qemu-efi-aarch64's split firmware: code (read-only) and the variable store template. */
export const AAVMF_CODE = '/usr/share/AAVMF/AAVMF_CODE.fd';
export const AAVMF_VARS = '/usr/share/AAVMF/AAVMF_VARS.fd';
/** The removable-media loader path for AArch64 (UEFI 2.10, 3.5.1.1). */
export const BOOTAA64 = 'EFI/BOOT/BOOTAA64.EFI';

/** The file in the ISO 9660 tree that GRUB searches for and prints. */
export const ARM64_MARKER_FILE = 'arm64-marker.txt';
export const ARM64_MARKER = `isoforge-marker: grub-arm64 read /${ARM64_MARKER_FILE}`;
/** What GRUB's `probe --fs` says of the device holding the marker file. */
export const ARM64_FS_LINE = 'isoforge-fs: iso9660';
/**
 * Where GRUB says it was loaded from (`$cmdpath`, the loader's device and folder): `(cd0)` when the
 * firmware took it through El Torito (also from a disk whose GPT is gone), `(hd0,gpt2)` when from
 * the GPT's second partition.
 */
export const ARM64_CMDPATH = 'isoforge-cmdpath: ';
/** Ends of a run without the marker, each seen on the console long before any timeout. */
const DEAD_ENDS: [string, string][] = [
  // the config has run to its end (or failed) without printing the marker
  ['grub> ', 'GRUB reached its prompt without the marker'],
  // no boot option worked: AAVMF falls back to its built-in shell
  ['Shell> ', 'AAVMF found nothing to boot and started its UEFI shell']
];

/** Modules in the image (`search` asks for every file system module it lacks: harmless). */
const GRUB_MODULES = ['normal', 'search', 'search_fs_file', 'iso9660', 'fat', 'part_gpt', 'part_msdos'];

/** What an arm64 suite needs (and `tools`, more peers on PATH), each with whether it is here. */
export function arm64Parts(tools: string[] = []): { name: string; present: boolean }[] {
  return [
    ...[QEMU_AARCH64, 'grub-mkstandalone', ...tools].map(name => ({ name, present: have(name) })),
    ...[
      `${AAVMF_CODE} (qemu-efi-aarch64)`,
      `${AAVMF_VARS} (qemu-efi-aarch64)`,
      `${path.join(GRUB_ARM64_MODULES, 'moddep.lst')} (grub-efi-arm64-bin:arm64)`
    ].map(name => ({ name, present: existsSync(name.split(' ')[0]) }))
  ];
}

/**
 * `describe` when every part and tool is there; a visible skip, or under ISOFORGE_REQUIRE_TOOLS=1 a failing
 * test, otherwise (as describeWith does for tools on PATH; these parts are files too).
 */
export function describeWithArm64(tools: string[], name: string, fn: () => void): void {
  const missing = arm64Parts(tools)
    .filter(p => !p.present)
    .map(p => p.name);
  if (missing.length === 0) describe(name, fn);
  else if (process.env.ISOFORGE_REQUIRE_TOOLS === '1')
    describe(name, () => {
      test(`requires ${missing.join(', ')}`, () => {
        throw new Error(
          `missing under ISOFORGE_REQUIRE_TOOLS=1: ${missing.join(', ')} (run scripts/install-test-tools.sh)`
        );
      });
    });
  else describe.skip(`${name} [SKIPPED: missing ${missing.join(', ')}]`, fn);
}

/**
 * GRUB for arm64-efi with its config in the memdisk: find the ISO 9660 tree by the marker file,
 * say which file system held it, print the file. The marker's text is in no config, so it reaches
 * the console only through GRUB reading the file.
 */
export function buildGrubArm64(work: string): string {
  mkdirSync(work, { recursive: true });
  const cfg = path.join(work, 'grub-arm64.cfg');
  writeFileSync(
    cfg,
    [
      `echo "${ARM64_CMDPATH}$cmdpath"`,
      `search --no-floppy --file /${ARM64_MARKER_FILE} --set=root`,
      'probe --fs --set=fs $root',
      `echo "isoforge-root: $root"`,
      `echo "isoforge-fs: $fs"`,
      `cat /${ARM64_MARKER_FILE}`,
      ''
    ].join('\n')
  );
  const efi = path.join(work, 'BOOTAA64.EFI');
  sh('grub-mkstandalone', [
    '-O',
    'arm64-efi',
    '-d',
    GRUB_ARM64_MODULES,
    '-o',
    efi,
    // preloaded, so that $cmdpath names the partition GRUB was loaded from: (hd0,gpt2), not (hd0)
    '--modules=part_gpt part_msdos',
    `--install-modules=${[...GRUB_MODULES, 'probe', 'echo', 'cat', 'configfile'].join(' ')}`,
    '--fonts=',
    '--locales=',
    '--themes=',
    `boot/grub/grub.cfg=${cfg}`
  ]);
  return efi;
}

export interface Arm64Boot {
  image: string;
  media: 'cd' | 'disk';
  /** the text that ends the run successfully */
  marker: string;
  timeoutMs: number;
}

export interface Arm64Result {
  ok: boolean;
  elapsedMs: number;
  /** what the guest wrote on the PL011 UART */
  serial: string;
  reason: string;
  command: string[];
}

/** The qemu-system-aarch64 command line for a run, the console written to `serialLog`. */
export function arm64Command(r: Arm64Boot, serialLog: string): string[] {
  const q = (v: string) => v.replace(/,/g, ',,'); // QEMU option syntax: a comma in a value is doubled
  const media =
    r.media === 'cd'
      ? [
          '-device',
          'virtio-scsi-pci,id=scsi0',
          '-drive',
          `if=none,id=cd,file=${q(r.image)},format=raw,media=cdrom,readonly=on`,
          '-device',
          'scsi-cd,drive=cd,bus=scsi0.0'
        ]
      : [
          '-drive',
          `if=none,id=hd,file=${q(r.image)},format=raw,snapshot=on`,
          '-device',
          'virtio-blk-pci,drive=hd'
        ];
  return [
    QEMU_AARCH64,
    '-machine',
    'virt',
    '-cpu',
    'cortex-a57',
    '-accel',
    'tcg',
    '-m',
    '512',
    '-display',
    'none',
    '-monitor',
    'none',
    '-parallel',
    'none',
    '-net',
    'none',
    '-no-reboot',
    '-serial',
    `file:${serialLog}`,
    '-drive',
    `if=pflash,format=raw,unit=0,readonly=on,file=${q(AAVMF_CODE)}`,
    // the 64 MiB variable store is written through a snapshot: no copy, the template unchanged
    '-drive',
    `if=pflash,format=raw,unit=1,snapshot=on,file=${q(AAVMF_VARS)}`,
    ...media
  ];
}

const POLL_MS = 200;

/** How a run ended, from what is on the console so far; undefined while it goes on. */
function verdict(
  r: Arm64Boot,
  serial: string,
  elapsedMs: number,
  exited: string | undefined,
  stderr: string
): { ok: boolean; reason: string } | undefined {
  if (serial.includes(r.marker)) return { ok: true, reason: 'marker seen on the serial console' };
  const deadEnd = DEAD_ENDS.find(([text]) => serial.includes(text));
  if (deadEnd) return { ok: false, reason: deadEnd[1] };
  if (exited)
    return {
      ok: false,
      reason: `QEMU exited (${exited}) before the marker: ${stderr.trim().split('\n')[0]}`
    };
  if (elapsedMs >= r.timeoutMs)
    return { ok: false, reason: `no marker within ${Math.round(r.timeoutMs / 1000)} s (TCG)` };
  return undefined;
}

/** Boot `r.image` and wait for the marker, a dead end (DEAD_ENDS), QEMU's exit or the timeout. */
export async function bootArm64(r: Arm64Boot): Promise<Arm64Result> {
  const t = tempDir('isoforge-arm64-');
  const serialLog = path.join(t.dir, 'serial.log');
  writeFileSync(serialLog, '');
  const command = arm64Command(r, serialLog);
  const started = Date.now();
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => void (stderr.length < 16_384 && (stderr += s)));
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ? `signal ${signal}` : `code ${code}`));
  child.once('error', e => (exited = `error ${e.message}`));
  try {
    for (;;) {
      const serial = readFileSync(serialLog, 'latin1');
      const elapsedMs = Date.now() - started;
      const end = verdict(r, serial, elapsedMs, exited, stderr);
      if (end) return { ...end, elapsedMs, serial, command };
      await new Promise(res => setTimeout(res, POLL_MS));
    }
  } finally {
    // the time is to the marker; QEMU (its whole process group) and the console file go after
    await stop(child);
    t.cleanup();
  }
}
