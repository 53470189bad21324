/**
 * Secure Boot in QEMU for the tests: OVMF's SMM build with Debian's Microsoft-enrolled variables
 * (package `ovmf`, /usr/share/doc/ovmf/README.Debian), and the boot tree of a Debian CD's ESP
 * (packages `shim-signed`, `grub-efi-amd64-signed`; the unsigned twin of the same GRUB build from
 * `grub-efi-amd64-bin`). src/read/qemu.ts runs one combined OVMF.fd through `-bios`; Secure Boot
 * needs code and variables as two pflash drives, SMM and a secure flash, so this runner is its own.
 */
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { stop } from '../../src/read/accel.js';

/** A firmware: read-only code and a variable-store template (copied per run: OVMF writes to it). */
export interface Firmware {
  name: string;
  code: string;
  vars: string;
}

/** Secure Boot enforced: the SMM build with PK/KEK and Microsoft's db keys, Secure Boot on. */
export const OVMF_SECURE: Firmware = {
  name: 'OVMF Secure Boot (MS keys)',
  code: '/usr/share/OVMF/OVMF_CODE_4M.secboot.fd',
  vars: '/usr/share/OVMF/OVMF_VARS_4M.ms.fd'
};
/** The same SMM build with the empty variable store: no keys, Secure Boot off (the control). */
export const OVMF_SECURE_OFF: Firmware = {
  name: 'OVMF SMM, no keys',
  code: '/usr/share/OVMF/OVMF_CODE_4M.secboot.fd',
  vars: '/usr/share/OVMF/OVMF_VARS_4M.fd'
};

export const SHIM_SIGNED = '/usr/lib/shim/shimx64.efi.signed';
/** Debian's monolithic GRUB for installed systems, signed by Debian's key (which shim trusts). */
export const GRUB_SIGNED = '/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed';
/** The same build unsigned (grub-efi-amd64-bin). */
export const GRUB_UNSIGNED = '/usr/lib/grub/x86_64-efi/monolithic/grubx64.efi';

/** Every file above that is not installed. */
export function missingSecureBootFiles(): string[] {
  const files = [
    OVMF_SECURE.code,
    OVMF_SECURE.vars,
    OVMF_SECURE_OFF.vars,
    SHIM_SIGNED,
    GRUB_SIGNED,
    GRUB_UNSIGNED
  ];
  return [...new Set(files)].filter(f => !existsSync(f));
}

/**
 * OVMF's boot manager (BdsDxe) on COM1: a refused image's line ends in this status (EFI_ACCESS_DENIED
 * from the image verification), and this line ends the boot manager's attempts.
 */
export const OVMF_REFUSED = /BdsDxe: failed to load Boot\d{4} "[^"]*" from [^\n]*: Access Denied/;
export const OVMF_NOTHING_BOOTED = 'BdsDxe: No bootable option or device was found.';
/** shim's dialog when the second stage fails its check against db and shim's built-in Debian key. */
export const SHIM_REFUSED = 'Verification failed: (0x1A) Security Violation';
/** What the tree's grub.cfg prints first: Debian GRUB's lockdown and shim_lock variables. */
export const GRUB_STATE = /isoforge-sb: lockdown=(\S*) shim_lock=(\S*) root=(\S+)/;
export const SB_MARKER = 'isoforge-marker: secure-boot grub read /sb-marker.txt';
/** GRUB's prompt: its config has ended (without the marker when this comes first). */
export const GRUB_PROMPT = 'grub> ';

/**
 * The tree of a Secure Boot CD. Debian's signed GRUB carries a memdisk whose grub.cfg sets
 * $prefix to ($root)/boot/grub after `search --file /.disk/info` when the built-in /EFI/debian is
 * not on the ESP, then sources $prefix/grub.cfg: so .disk/info, boot/grub/grub.cfg and the marker
 * live in the ISO 9660 tree only, and the ESP (built from EFI/) holds just the loaders.
 * `bootx64` is what the firmware starts; `grubx64` (beside it, started by shim) is left out when
 * undefined.
 */
export function secureBootTree(root: string, loaders: { bootx64: string; grubx64?: string }): void {
  const put = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  mkdirSync(path.join(root, 'EFI/BOOT'), { recursive: true });
  copyFileSync(loaders.bootx64, path.join(root, 'EFI/BOOT/BOOTX64.EFI'));
  // shim's default second stage: \EFI\BOOT\grubx64.efi beside it (no fbx64.efi: shim would run it)
  if (loaders.grubx64) copyFileSync(loaders.grubx64, path.join(root, 'EFI/BOOT/grubx64.efi'));
  put('.disk/info', 'isoforge Secure Boot test\n');
  put('sb-marker.txt', `${SB_MARKER}\n`);
  put(
    'boot/grub/grub.cfg',
    [
      'serial --unit=0 --speed=115200',
      'terminal_input serial',
      // serial only: OVMF also copies its console to COM1, which would print every character twice
      'terminal_output serial',
      'echo "isoforge-sb: lockdown=$lockdown shim_lock=$shim_lock root=$root"',
      'search --no-floppy --file /sb-marker.txt --set=root',
      'cat /sb-marker.txt',
      ''
    ].join('\n')
  );
}

export interface SecureBootRun {
  image: string;
  media: 'cd' | 'disk';
  firmware: Firmware;
  /** stop when COM1 shows this */
  marker: string;
  /** or one of these (a boot that cannot reach the marker any more) */
  giveUp?: string[];
  timeoutMs: number;
}

export interface SecureBootResult {
  /** how the run ended */
  end: 'marker' | 'gave up' | 'timeout' | 'exited';
  /** the give-up text seen */
  gaveUpOn?: string;
  elapsedMs: number;
  /** COM1, escape sequences and carriage returns removed */
  serial: string;
  command: string[];
}

/** The QEMU command line: q35 with SMM, a secure pflash for the code, a writable copy of the vars. */
export function secureBootCommand(r: SecureBootRun, vars: string, serial: string): string[] {
  const q = (v: string) => v.replace(/,/g, ',,'); // QEMU option syntax: a comma in a value is doubled
  const drive =
    r.media === 'cd'
      ? `file=${q(r.image)},format=raw,media=cdrom,readonly=on,if=ide`
      : `file=${q(r.image)},format=raw,if=ide,snapshot=on`;
  return [
    'qemu-system-x86_64',
    '-accel',
    'tcg',
    // the SMM build refuses to start without SMM; only SMM code may write the secure flash
    '-machine',
    'q35,smm=on',
    '-global',
    'driver=cfi.pflash01,property=secure,value=on',
    '-drive',
    `if=pflash,format=raw,unit=0,readonly=on,file=${q(r.firmware.code)}`,
    '-drive',
    `if=pflash,format=raw,unit=1,file=${q(vars)}`,
    '-m',
    '512',
    '-display',
    'none',
    '-serial',
    `file:${serial}`,
    '-monitor',
    'none',
    '-parallel',
    'none',
    '-no-reboot',
    '-net',
    'none',
    '-drive',
    drive
  ];
}

const POLL_MS = 100;
const clean = (s: string) => s.replace(/\x1b\[[0-9;?=]*[A-Za-z]/g, '').replace(/\r/g, '');

/** Poll COM1 until the run ends, and say how. */
async function watch(
  r: SecureBootRun,
  serialFile: string,
  started: number,
  exited: () => boolean
): Promise<Pick<SecureBootResult, 'end' | 'gaveUpOn'>> {
  for (;;) {
    const serial = clean(readFileSync(serialFile, 'latin1'));
    if (serial.includes(r.marker)) return { end: 'marker' };
    const gaveUpOn = r.giveUp?.find(g => serial.includes(g));
    if (gaveUpOn) return { end: 'gave up', gaveUpOn };
    if (exited()) return { end: 'exited' };
    if (Date.now() - started >= r.timeoutMs) return { end: 'timeout' };
    await new Promise(res => setTimeout(res, POLL_MS));
  }
}

/** Boot `r.image` under `r.firmware` until the marker, the give-up text, QEMU's exit or the timeout. */
export async function bootSecure(r: SecureBootRun): Promise<SecureBootResult> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'isoforge-sb-'));
  try {
    const vars = path.join(tmp, 'vars.fd');
    const serialFile = path.join(tmp, 'serial.log');
    copyFileSync(r.firmware.vars, vars);
    writeFileSync(serialFile, '');
    const command = secureBootCommand(r, vars, serialFile);
    const started = Date.now();
    // own process group, so that stop() takes everything QEMU started
    const child = spawn(command[0], command.slice(1), {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      if (stderr.length < 4096) stderr += s;
    });
    let exited = false;
    child.once('exit', () => (exited = true));
    let end: Pick<SecureBootResult, 'end' | 'gaveUpOn'>;
    let elapsedMs: number;
    try {
      end = await watch(r, serialFile, started, () => exited);
    } finally {
      // the time to the marker (or to the end), not to the process' exit
      elapsedMs = Date.now() - started;
      await stop(child);
    }
    let serial = clean(readFileSync(serialFile, 'latin1'));
    if (end.end === 'exited') serial += `\n--- QEMU stderr ---\n${stderr}`;
    return { ...end, elapsedMs, serial, command };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
