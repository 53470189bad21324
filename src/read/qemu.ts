/**
 * Boot an image headless in QEMU with SeaBIOS or OVMF, as a CD or as a disk, under KVM or TCG,
 * and wait for a marker on the serial console or, under SeaBIOS, on the screen. Used by the boot
 * tests and `verify --boot-test`. The image is never modified (CD read-only, disk with a
 * throw-away snapshot).
 *
 * The screen: boot loaders print menus and messages (ISOLINUX's SAY, menu titles) on the screen
 * only. SeaBIOS can mirror the screen's text to a serial port (its "sercon", src/sercon.c), turned
 * on by the fw_cfg file `etc/sercon-port` holding the port's I/O address as a little-endian
 * integer (QEMU's -nographic makes SeaBIOS add it for COM1 itself, src/fw/paravirt.c). We point it
 * at COM2, a second serial port written to a file of its own, so that COM1 stays exactly what the
 * guest wrote there (no interleaving of the two) and the screen is searched separately. OVMF
 * copies its console to COM1 already.
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { stop, type Accel } from './accel.js';
import { defaultValue } from '../options.js';
import { screenText } from './screen.js';

export interface BootRun {
  firmware: 'bios' | 'uefi';
  media: 'cd' | 'disk';
  image: string;
  marker: string;
  timeoutMs: number;
  /** keep the serial output in this file (default: a temporary file, removed afterwards) */
  serialLog?: string;
  signal?: AbortSignal;
  /** qemu-system-x86_64 to run (default: findQemu()) */
  qemu?: string;
  /** OVMF firmware image (default: findQemu()) */
  ovmf?: string;
  /** search the screen too (SeaBIOS's mirror; default true); false: COM1 only */
  screen?: boolean;
  /** the accelerator (default TCG; `detectAccel` decides for verify) and why, for the messages */
  accel?: Accel;
  accelWhy?: string;
  /** guest memory in MiB (default: the schema's boot-memory) */
  memoryMiB?: number;
}

export interface BootResult {
  ok: boolean;
  elapsedMs: number;
  /** what the guest wrote on COM1 */
  serial: string;
  /** the screen's text as SeaBIOS mirrored it (escape sequences resolved to lines; '' under OVMF) */
  screen: string;
  /** where the marker was seen */
  seenOn?: 'serial console' | 'screen';
  /** the accelerator of the run that decided (TCG when a KVM run stalled), and why */
  accel: Accel;
  accelWhy?: string;
  reason: string;
  command: string[];
}

const QEMU = 'qemu-system-x86_64';
/** Where distributions install the combined OVMF image (code and variables in one file). */
export const OVMF_CANDIDATES = [
  '/usr/share/ovmf/OVMF.fd',
  '/usr/share/OVMF/OVMF.fd',
  '/usr/share/qemu/OVMF.fd',
  '/usr/share/edk2/ovmf/OVMF.fd',
  '/usr/share/edk2-ovmf/x64/OVMF.fd',
  '/usr/share/edk2/x64/OVMF.fd',
  '/opt/homebrew/share/qemu/edk2-x86_64-code.fd',
  '/usr/local/share/qemu/edk2-x86_64-code.fd'
];
const POLL_MS = 100;
/** SeaBIOS's fw_cfg file naming the port its screen mirror writes to (SeaBIOS src/sercon.c). */
const SERCON_FW_CFG = 'etc/sercon-port';
/**
 * A KVM run that shows no sign of life this long is given up and run again under TCG: on nested
 * hosts a KVM guest can hang in SeaBIOS even after the probe ran. The sign of life is SeaBIOS's
 * "Booting from" on the screen, or under OVMF any output on COM1.
 */
export const KVM_STALL_MS = 6000;
const SEABIOS_BOOTING = 'Booting from';
/** COM2's I/O address: QEMU's second -serial is the second ISA serial port (PC/AT map). */
const COM2 = 0x2f8;
/** Serial output kept in the result at most (the marker is searched in all of it). */
const MAX_SERIAL = 1024 * 1024;

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const d of dirs)
    for (const e of exts) if (existsSync(path.join(d, name + e))) return path.join(d, name + e);
  return undefined;
}

/** Find QEMU and OVMF (ISOFORGE_QEMU / ISOFORGE_OVMF override); `missing` names what is not there. */
export function findQemu(env: NodeJS.ProcessEnv = process.env): {
  qemu?: string;
  ovmf?: string;
  missing: string[];
} {
  const missing: string[] = [];
  const qemu = env.ISOFORGE_QEMU && existsSync(env.ISOFORGE_QEMU) ? env.ISOFORGE_QEMU : onPath(QEMU, env);
  if (!qemu) missing.push(QEMU);
  const ovmf = [env.ISOFORGE_OVMF, ...OVMF_CANDIDATES].find(
    (p): p is string => typeof p === 'string' && p !== '' && existsSync(p)
  );
  if (!ovmf) missing.push('OVMF (ovmf package: OVMF.fd)');
  return { qemu, ovmf, missing };
}

/** Where a run's consoles go: COM1, and under SeaBIOS the screen mirror (COM2) and its fw_cfg file. */
export interface ConsoleFiles {
  serial: string;
  screen?: string;
  sercon?: string;
}

/** The QEMU command line for a run. */
export function qemuCommand(
  r: BootRun,
  qemu: string,
  ovmf: string | undefined,
  files: ConsoleFiles
): string[] {
  const q = (v: string) => v.replace(/,/g, ',,'); // QEMU option syntax: a comma in a value is doubled
  const drive =
    r.media === 'cd'
      ? `file=${q(r.image)},format=raw,media=cdrom,readonly=on,if=ide`
      : `file=${q(r.image)},format=raw,if=ide,snapshot=on`;
  const cmd = [qemu, '-accel', r.accel ?? 'tcg', '-display', 'none', '-serial', `file:${files.serial}`];
  if (r.firmware === 'bios' && files.screen && files.sercon)
    cmd.push('-serial', `file:${files.screen}`, '-fw_cfg', `name=${SERCON_FW_CFG},file=${q(files.sercon)}`);
  cmd.push(
    '-monitor',
    'none',
    '-parallel',
    'none',
    '-no-reboot',
    '-net',
    'none',
    '-m',
    String(r.memoryMiB ?? defaultValue('verify', 'boot-memory')),
    '-drive',
    drive
  );
  if (r.firmware === 'uefi') cmd.push('-bios', ovmf!);
  return cmd;
}

/**
 * A file QEMU appends to, read as it grows (the last MAX_SERIAL characters kept). A character
 * whose bytes QEMU has not all written yet waits in the decoder for the next read.
 */
export class GrowingFile {
  text = '';
  private offset = 0;
  private readonly decoder: StringDecoder;
  constructor(
    readonly file: string,
    encoding: BufferEncoding
  ) {
    this.decoder = new StringDecoder(encoding);
  }
  async read(): Promise<void> {
    const fh = await fs.open(this.file, 'r');
    try {
      for (;;) {
        const b = Buffer.alloc(64 * 1024);
        const { bytesRead } = await fh.read(b, 0, b.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        this.text += this.decoder.write(b.subarray(0, bytesRead));
        if (this.text.length > 2 * MAX_SERIAL) this.text = this.text.slice(-MAX_SERIAL);
      }
    } finally {
      await fh.close();
    }
  }
}

/** "TCG" or "KVM", with why when known: a timeout names it, so a slow TCG boot is told from a hang. */
export function accelLabel(accel: Accel, why?: string): string {
  return `${accel.toUpperCase()}${why ? `; ${why}` : ''}`;
}

/** QEMU started in its own process group, with what it said on stderr and how it ended. */
function startQemu(command: string[]) {
  const child = spawn(command[0], command.slice(1), {
    stdio: ['ignore', 'ignore', 'pipe'],
    // own process group so that everything QEMU started goes with it
    detached: process.platform !== 'win32'
  });
  const state: {
    stderr: string;
    exited?: { code: number | null; signal: NodeJS.Signals | null };
    spawnError?: Error;
  } = { stderr: '' };
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    if (state.stderr.length < 64 * 1024) state.stderr += s;
  });
  child.once('exit', (code, signal) => (state.exited = { code, signal }));
  child.once('error', e => (state.spawnError = e));
  return { child, state };
}

/** The first line of QEMU's stderr that is not a warning (QEMU warns about the fw_cfg name). */
function firstError(stderr: string): string {
  const lines = stderr.trim().split('\n').filter(Boolean);
  return lines.find(l => !/: warning: /.test(l)) ?? lines[0] ?? '';
}

/** The console files of a run in `tmp` (COM1 at `serialLog` when given), created empty. */
async function consoleFiles(r: BootRun, tmp: string): Promise<ConsoleFiles> {
  const files: ConsoleFiles = { serial: r.serialLog ?? path.join(tmp, 'serial.log') };
  if (r.firmware === 'bios' && r.screen !== false) {
    files.screen = path.join(tmp, 'screen.log');
    files.sercon = path.join(tmp, 'sercon-port');
    const port = Buffer.alloc(2);
    port.writeUInt16LE(COM2); // SeaBIOS romfile_loadint: a 1, 2, 4 or 8-byte little-endian integer
    await fs.writeFile(files.sercon, port);
    await fs.writeFile(files.screen, '');
  }
  await fs.writeFile(files.serial, '');
  return files;
}

interface Watch {
  r: BootRun;
  accel: Accel;
  started: number;
  serial: GrowingFile;
  screen?: GrowingFile;
  state: ReturnType<typeof startQemu>['state'];
}

/** After each read of the consoles: how the run ended, or undefined while it goes on. */
function verdict(w: Watch): { reason: string; seenOn?: BootResult['seenOn']; stalled?: true } | undefined {
  const { r, accel, serial, screen, state } = w;
  if (serial.text.includes(r.marker))
    return { reason: 'marker seen on the serial console', seenOn: 'serial console' };
  if (screen && screenText(screen.text).includes(r.marker))
    return { reason: 'marker seen on the screen', seenOn: 'screen' };
  if (state.spawnError) return { reason: `cannot run ${r.qemu ?? QEMU}: ${state.spawnError.message}` };
  if (state.exited) {
    const how = state.exited.signal ? `signal ${state.exited.signal}` : `code ${state.exited.code}`;
    const err = firstError(state.stderr);
    // QEMU can abort under a broken KVM (kvm_buf_set_msrs): TCG decides
    if (accel === 'kvm')
      return { reason: `QEMU (KVM) exited (${how})${err ? `: ${err}` : ''}`, stalled: true };
    return {
      reason: `QEMU (${accelLabel(accel)}) exited (${how}) before the marker${err ? `: ${err}` : ''}`
    };
  }
  if (r.signal?.aborted) return { reason: 'aborted' };
  const elapsed = Date.now() - w.started;
  const alive = screen ? screen.text.includes(SEABIOS_BOOTING) : serial.text.length > 0;
  if (accel === 'kvm' && !alive && elapsed >= KVM_STALL_MS) {
    const sign = screen ? `"${SEABIOS_BOOTING}"` : 'output';
    return { reason: `KVM stalled: no ${sign} within ${KVM_STALL_MS / 1000} s`, stalled: true };
  }
  if (elapsed >= r.timeoutMs) {
    const where = screen ? 'on the serial console or the screen' : 'on the serial console';
    const secs = Math.round(r.timeoutMs / 1000);
    // a guest can also hang under KVM after SeaBIOS (seen on nested hosts): a KVM run that found
    // no marker is run again under TCG, so a broken KVM never fails an image that boots
    if (accel === 'kvm') return { reason: `KVM run found no marker within ${secs} s`, stalled: true };
    return { reason: `no "${r.marker}" ${where} within ${secs} s (${accelLabel(accel, r.accelWhy)})` };
  }
  return undefined;
}

export async function bootImage(r: BootRun): Promise<BootResult> {
  const started = Date.now();
  const accel = r.accel ?? 'tcg';
  const found = r.qemu && (r.firmware === 'bios' || r.ovmf) ? undefined : findQemu();
  const qemu = r.qemu ?? found?.qemu;
  const ovmf = r.ovmf ?? found?.ovmf;
  const fail = (reason: string): BootResult => ({
    ok: false,
    elapsedMs: Date.now() - started,
    serial: '',
    screen: '',
    accel,
    reason,
    command: []
  });
  if (!qemu) return fail(`${QEMU} not found (install qemu-system-x86)`);
  if (r.firmware === 'uefi' && !ovmf) return fail('OVMF firmware not found (install ovmf)');
  if (!existsSync(r.image)) return fail(`${r.image}: does not exist`);

  const tmp = await fs.mkdtemp(path.join(tmpdir(), 'isoforge-qemu-'));
  const files = await consoleFiles(r, tmp);
  const command = qemuCommand(r, qemu, ovmf, files);
  const { child, state } = startQemu(command);
  const onAbort = () => void stop(child);
  r.signal?.addEventListener('abort', onAbort, { once: true });
  const w: Watch = {
    r: { ...r, qemu },
    accel,
    started,
    serial: new GrowingFile(files.serial, 'latin1'),
    // SeaBIOS's mirror writes code page 437 as UTF-8
    screen: files.screen ? new GrowingFile(files.screen, 'utf8') : undefined,
    state
  };
  let end: NonNullable<ReturnType<typeof verdict>>;
  let elapsedMs: number;
  try {
    for (;;) {
      await w.serial.read();
      await w.screen?.read();
      const v = verdict(w);
      if (v) {
        end = v;
        break;
      }
      await new Promise(res => setTimeout(res, POLL_MS));
    }
  } finally {
    // the time to the marker, not to the process' end
    elapsedMs = Date.now() - started;
    await stop(child);
    r.signal?.removeEventListener('abort', onAbort);
  }
  try {
    // what QEMU wrote before it went
    await w.serial.read();
    await w.screen?.read();
  } finally {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
  if (end.stalled) return bootImage({ ...r, accel: 'tcg', accelWhy: end.reason });
  return {
    ok: end.seenOn !== undefined,
    elapsedMs,
    serial: w.serial.text.slice(-MAX_SERIAL),
    screen: w.screen ? screenText(w.screen.text).slice(-MAX_SERIAL) : '',
    seenOn: end.seenOn,
    accel,
    accelWhy: r.accelWhy,
    reason: end.reason,
    command
  };
}
