/**
 * Which QEMU accelerator a boot test uses: KVM when /dev/kvm is there, ours to open, and a tiny
 * guest actually runs under it within a few seconds; TCG otherwise, saying why. A present /dev/kvm
 * is not enough: on nested hosts a KVM guest can hang in SeaBIOS forever, so the probe boots a
 * one-sector program under KVM with a hard time limit. The decision is a pure function of the
 * facts (`chooseAccel`) so that it can be tested with any of them simulated.
 */
import { spawn } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BOOT_SIGNATURE, MBR_SECTOR } from '../boot/mbr.js';

export type Accel = 'kvm' | 'tcg';

export interface AccelFacts {
  platform: NodeJS.Platform;
  arch: string;
  /** /dev/kvm: opened read-write ('ok'), not there, or there and refused (permissions) */
  device: 'ok' | 'missing' | 'denied';
  /** ISOFORGE_QEMU_ACCEL: 'kvm' or 'tcg' forces one, anything else (or unset) decides */
  request?: string;
  /** the probe's outcome, when one ran (see `needsProbe`) */
  probe?: { ok: boolean; detail: string };
}

export interface AccelChoice {
  accel: Accel;
  /** why, in a few words: shown beside the result and in a timeout's message */
  why: string;
}

/** Whether the facts so far call for the KVM probe. */
export function needsProbe(f: AccelFacts): boolean {
  if (f.request === 'tcg' || f.request === 'kvm') return false;
  return f.platform === 'linux' && f.arch === 'x64' && f.device === 'ok';
}

export function chooseAccel(f: AccelFacts): AccelChoice {
  if (f.request === 'tcg') return { accel: 'tcg', why: 'ISOFORGE_QEMU_ACCEL=tcg' };
  if (f.request === 'kvm') return { accel: 'kvm', why: 'ISOFORGE_QEMU_ACCEL=kvm' };
  if (f.platform !== 'linux') return { accel: 'tcg', why: `no KVM on ${f.platform}` };
  if (f.arch !== 'x64') return { accel: 'tcg', why: `no KVM for x86_64 guests on ${f.arch}` };
  if (f.device === 'missing') return { accel: 'tcg', why: '/dev/kvm does not exist' };
  if (f.device === 'denied')
    return { accel: 'tcg', why: '/dev/kvm is not accessible (not in the kvm group?)' };
  if (!f.probe) return { accel: 'tcg', why: 'KVM not probed' };
  if (!f.probe.ok) return { accel: 'tcg', why: `KVM probe: ${f.probe.detail}` };
  return { accel: 'kvm', why: `KVM probe: ${f.probe.detail}` };
}

const KVM_DEVICE = '/dev/kvm';

async function kvmDevice(): Promise<AccelFacts['device']> {
  try {
    await fs.access(KVM_DEVICE, constants.R_OK | constants.W_OK);
    return 'ok';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'denied';
  }
}

/** What the probe program prints on COM1. */
export const PROBE_MARKER = 'isoforge-kvm-probe-ok';
/** How long the probe may take before QEMU is killed. */
export const PROBE_MS = 6000;
/**
 * A working KVM guest is at its boot sector well within a second; one that takes longer than
 * this is on a KVM that is not healthy (seen here: 5.9 s, and the next guest hung after SeaBIOS).
 */
export const PROBE_HEALTHY_MS = 2500;
const COM1 = 0x3f8;

/**
 * The probe: one 512-byte MBR (signature 0x55AA at 510) that writes PROBE_MARKER to COM1 one
 * `mov al, c; out dx, al` at a time (QEMU's UART needs no set-up), then `cli; hlt` forever.
 */
export function probeSector(): Buffer {
  const code = [0xba, COM1 & 0xff, COM1 >> 8]; // mov dx, 0x3F8
  for (const c of Buffer.from(`${PROBE_MARKER}\r\n`, 'latin1')) code.push(0xb0, c, 0xee); // mov al, c; out dx, al
  code.push(0xfa, 0xf4, 0xeb, 0xfd); // cli; hlt; jmp $-1 (back to hlt)
  const sector = Buffer.alloc(MBR_SECTOR);
  Buffer.from(code).copy(sector);
  sector.writeUInt16LE(BOOT_SIGNATURE.value, BOOT_SIGNATURE.offset);
  return sector;
}

/**
 * Boot the probe sector under KVM and wait at most `ms` for its marker. Never hangs: QEMU is
 * killed (its whole process group) when the time is up.
 */
export async function probeKvm(qemu: string, ms = PROBE_MS): Promise<{ ok: boolean; detail: string }> {
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'isoforge-kvm-'));
  const disk = path.join(dir, 'probe.img');
  const started = Date.now();
  try {
    await fs.writeFile(disk, probeSector());
    const args = ['-accel', 'kvm', '-display', 'none', '-monitor', 'none', '-serial', 'stdio'];
    args.push('-parallel', 'none', '-net', 'none', '-no-reboot', '-m', '16');
    args.push('-drive', `file=${disk.replace(/,/g, ',,')},format=raw,if=ide,snapshot=on`);
    const child = spawn(qemu, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32'
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('latin1');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      err = (err + s).slice(-4096); // its last line says why it failed
    });
    const outcome = await new Promise<{ ok: boolean; detail: string }>(resolve => {
      const timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${ms / 1000} s` }), ms);
      const end = (r: { ok: boolean; detail: string }) => {
        clearTimeout(timer);
        resolve(r);
      };
      child.stdout.on('data', (s: string) => {
        out += s;
        if (!out.includes(PROBE_MARKER)) return;
        const took = Date.now() - started;
        if (took <= PROBE_HEALTHY_MS) end({ ok: true, detail: `guest ran in ${took} ms` });
        else
          end({
            ok: false,
            detail: `guest took ${took} ms (a working KVM answers within ${PROBE_HEALTHY_MS} ms)`
          });
      });
      child.once('error', e => end({ ok: false, detail: `cannot run ${qemu}: ${e.message}` }));
      child.once('exit', (code, signal) => {
        const why = err.trim().split('\n').pop() ?? '';
        end({ ok: false, detail: `QEMU exited (${signal ?? `code ${code}`})${why ? `: ${why}` : ''}` });
      });
    });
    await stop(child);
    return outcome;
  } finally {
    await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Kill a detached child's process group and wait (at most 5 s) for it to go. */
export async function stop(child: ReturnType<typeof spawn>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const gone = new Promise<void>(resolve => child.once('exit', () => resolve()));
  try {
    if (process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([gone, new Promise(res => (timer = setTimeout(res, 5000)))]);
  clearTimeout(timer);
}

const decided = new Map<string, Promise<AccelChoice>>();

/** The accelerator for this process' boot tests with `qemu` (probed once, then remembered). */
export function detectAccel(qemu: string, env: NodeJS.ProcessEnv = process.env): Promise<AccelChoice> {
  const key = `${qemu}\0${env.ISOFORGE_QEMU_ACCEL ?? ''}`;
  let choice = decided.get(key);
  if (choice) return choice;
  choice = (async () => {
    const facts: AccelFacts = {
      platform: process.platform,
      arch: process.arch,
      device: await kvmDevice(),
      request: env.ISOFORGE_QEMU_ACCEL
    };
    if (needsProbe(facts)) facts.probe = await probeKvm(qemu);
    return chooseAccel(facts);
  })();
  decided.set(key, choice);
  return choice;
}
