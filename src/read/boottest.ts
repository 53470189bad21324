/**
 * verify's boot-test: each firmware × media in QEMU, passing when the marker shows on COM1 or (under
 * SeaBIOS) on the screen; KVM when a probe shows it works, TCG otherwise (see accel.ts).
 */
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../log.js';
import { detectAccel, type Accel } from './accel.js';
import { accelLabel, bootImage, findQemu, type BootResult } from './qemu.js';

export interface BootTestResult {
  name: string;
  ok: boolean;
  detail: string;
  /** the kept log: the serial console, then the screen's text under SeaBIOS */
  serialLog?: string;
  tail: string;
  accel?: Accel;
}

const TAIL_LINES = 20;
const SCREEN_TAIL_LINES = 10;
/** Where the screen's text starts in a kept log and in the tail. */
export const SCREEN_HEADER = '--- screen (text mirrored by SeaBIOS) ---';

function lastLines(text: string, n: number): string {
  return text
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\r/g, '')
    .split('\n')
    .filter((l, i, all) => l.trim() !== '' || (i > 0 && all[i - 1].trim() !== ''))
    .slice(-n)
    .join('\n')
    .trim();
}

/** The report's tail: the serial console's last lines, then the screen's. */
function tail(r: BootResult): string {
  const serial = lastLines(r.serial, TAIL_LINES);
  const screen = lastLines(r.screen, SCREEN_TAIL_LINES);
  return screen ? `${serial}${serial ? '\n' : ''}${SCREEN_HEADER}\n${screen}` : serial;
}

/** On Linux, install QEMU and OVMF with apt when we may (root or passwordless sudo). */
function tryInstall(log: Logger): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !root && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!root && !sudo) return 'not root and no passwordless sudo';
  const pre = root ? [] : ['sudo', '-n'];
  const cmd = (args: string[]) => {
    const all = [...pre, ...args];
    log.info(`boot-test: running ${all.join(' ')}`);
    return spawnSync(all[0], all.slice(1), {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 15 * 60 * 1000
    }).status;
  };
  cmd(['apt-get', 'update']);
  if (cmd(['apt-get', 'install', '-y', 'qemu-system-x86', 'ovmf']) !== 0) return 'apt-get install failed';
  return undefined;
}

export async function runBootTests(
  image: string,
  firmwares: ('bios' | 'uefi')[],
  media: ('cd' | 'disk')[],
  marker: string,
  limits: { timeoutSeconds: number; memoryMiB: number },
  ctx: { log: Logger; signal?: AbortSignal }
): Promise<BootTestResult[]> {
  let found = findQemu();
  const needed = (f: { qemu?: string; ovmf?: string }) => !f.qemu || (firmwares.includes('uefi') && !f.ovmf);
  if (needed(found)) {
    const why = tryInstall(ctx.log);
    found = findQemu();
    if (needed(found)) {
      const missing = found.missing.join(' and ');
      return firmwares.flatMap(f =>
        media.map(m => ({
          name: `boot-test ${f} ${m}`,
          ok: false,
          detail: `${missing} missing (could not install: ${why ?? 'still not found after apt-get'})`,
          tail: ''
        }))
      );
    }
  }
  let accel = await detectAccel(found.qemu!);
  ctx.log.info(`boot-test: QEMU accelerator ${accelLabel(accel.accel, accel.why)}`);
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'isoforge-serial-'));
  const out: BootTestResult[] = [];
  for (const f of firmwares) {
    for (const m of media) {
      ctx.signal?.throwIfAborted();
      const name = `boot-test ${f} ${m}`;
      const serialLog = path.join(dir, `${path.basename(image)}.${f}-${m}.serial.log`);
      const r = await bootImage({
        firmware: f,
        media: m,
        image,
        marker,
        timeoutMs: limits.timeoutSeconds * 1000,
        memoryMiB: limits.memoryMiB,
        serialLog,
        signal: ctx.signal,
        qemu: found.qemu,
        ovmf: found.ovmf,
        accel: accel.accel,
        accelWhy: accel.why
      });
      // the kept log holds what was seen: COM1, then the screen
      if (r.screen) await fs.appendFile(serialLog, `\n${SCREEN_HEADER}\n${r.screen}`);
      const secs = (r.elapsedMs / 1000).toFixed(1);
      const how = accelLabel(r.accel, r.accelWhy);
      // a KVM run that stalled and went on under TCG: the next ones start under TCG
      if (r.accel !== accel.accel && r.accelWhy) accel = { accel: r.accel, why: r.accelWhy };
      out.push({
        name,
        ok: r.ok,
        detail: r.ok ? `marker seen after ${secs} s on the ${r.seenOn} (${how})` : `${r.reason} (${secs} s)`,
        serialLog,
        tail: tail(r),
        accel: r.accel
      });
    }
  }
  // the full serial logs are kept for a failure (the CLI prints where, the action uploads them);
  // when every boot passed, the last lines in the report are enough and nothing is left in /tmp
  if (out.every(r => r.ok)) {
    await fs.rm(dir, { recursive: true, force: true });
    for (const r of out) r.serialLog = undefined;
  }
  return out;
}
