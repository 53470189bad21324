/**
 * Boot an image headless in QEMU (TCG, no KVM needed) with SeaBIOS or OVMF, as a CD or as a disk,
 * and wait for a marker on the serial console. Used by the boot tests and `verify --boot-test`.
 * The image is never modified (CD read-only, disk with a throw-away snapshot).
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

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
}

export interface BootResult {
  ok: boolean;
  elapsedMs: number;
  serial: string;
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

/** The QEMU command line for a run (serial output to `serialFile`). */
export function qemuCommand(
  r: BootRun,
  qemu: string,
  ovmf: string | undefined,
  serialFile: string
): string[] {
  const file = r.image.replace(/,/g, ',,'); // QEMU option syntax: a comma in a value is doubled
  const drive =
    r.media === 'cd'
      ? `file=${file},format=raw,media=cdrom,readonly=on,if=ide`
      : `file=${file},format=raw,if=ide,snapshot=on`;
  const cmd = [
    qemu,
    '-accel',
    'tcg',
    '-display',
    'none',
    '-serial',
    `file:${serialFile}`,
    '-monitor',
    'none',
    '-parallel',
    'none',
    '-no-reboot',
    '-net',
    'none',
    '-m',
    '256',
    '-drive',
    drive
  ];
  if (r.firmware === 'uefi') cmd.push('-bios', ovmf!);
  return cmd;
}

export async function bootImage(r: BootRun): Promise<BootResult> {
  const started = Date.now();
  const found = r.qemu && (r.firmware === 'bios' || r.ovmf) ? undefined : findQemu();
  const qemu = r.qemu ?? found?.qemu;
  const ovmf = r.ovmf ?? found?.ovmf;
  const fail = (reason: string, command: string[] = []): BootResult => ({
    ok: false,
    elapsedMs: Date.now() - started,
    serial: '',
    reason,
    command
  });
  if (!qemu) return fail(`${QEMU} not found (install qemu-system-x86)`);
  if (r.firmware === 'uefi' && !ovmf) return fail('OVMF firmware not found (install ovmf)');
  if (!existsSync(r.image)) return fail(`${r.image}: does not exist`);

  const tmp = r.serialLog ? undefined : await fs.mkdtemp(path.join(tmpdir(), 'isoforge-qemu-'));
  const serialFile = r.serialLog ?? path.join(tmp!, 'serial.log');
  await fs.writeFile(serialFile, '');
  const command = qemuCommand(r, qemu, ovmf, serialFile);
  const child = spawn(command[0], command.slice(1), {
    stdio: ['ignore', 'ignore', 'pipe'],
    // own process group so that everything QEMU started goes with it
    detached: process.platform !== 'win32'
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    if (stderr.length < 64 * 1024) stderr += s;
  });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exitPromise = new Promise<void>(resolve => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
    child.once('error', e => {
      spawnError = e;
      resolve();
    });
  });
  const kill = () => {
    if (exited || spawnError || child.pid === undefined) return;
    try {
      if (process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const onAbort = () => kill();
  r.signal?.addEventListener('abort', onAbort, { once: true });

  let serial = '';
  let offset = 0;
  let reason: string;
  let ok = false;
  let elapsedMs: number;
  const readMore = async () => {
    const fh = await fs.open(serialFile, 'r');
    try {
      for (;;) {
        const b = Buffer.alloc(64 * 1024);
        const { bytesRead } = await fh.read(b, 0, b.length, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        serial += b.toString('latin1', 0, bytesRead);
        if (serial.length > 2 * MAX_SERIAL) serial = serial.slice(-MAX_SERIAL);
      }
    } finally {
      await fh.close();
    }
  };
  try {
    for (;;) {
      await readMore();
      if (serial.includes(r.marker)) {
        ok = true;
        reason = 'marker seen';
        break;
      }
      if (spawnError) {
        reason = `cannot run ${qemu}: ${spawnError.message}`;
        break;
      }
      if (exited) {
        const how = exited.signal ? `signal ${exited.signal}` : `code ${exited.code}`;
        reason = `QEMU exited (${how}) before the marker${stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : ''}`;
        break;
      }
      if (r.signal?.aborted) {
        reason = 'aborted';
        break;
      }
      if (Date.now() - started >= r.timeoutMs) {
        reason = `no "${r.marker}" on the serial console within ${Math.round(r.timeoutMs / 1000)} s`;
        break;
      }
      await new Promise(res => setTimeout(res, POLL_MS));
    }
  } finally {
    // the time to the marker, not to the process' end
    elapsedMs = Date.now() - started;
    kill();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exitPromise, new Promise(res => (timer = setTimeout(res, 5000)))]);
    clearTimeout(timer);
    r.signal?.removeEventListener('abort', onAbort);
    if (tmp) await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
  return {
    ok,
    elapsedMs,
    serial: serial.slice(-MAX_SERIAL),
    reason,
    command
  };
}
