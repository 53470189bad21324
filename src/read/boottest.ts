/** verify's boot-test: each firmware × media in QEMU, passing when the marker shows on COM1. */
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../log.js';
import { bootImage, findQemu } from './qemu.js';

export interface BootTestResult {
  name: string;
  ok: boolean;
  detail: string;
  serialLog?: string;
  tail: string;
}

const TAIL_LINES = 20;

function tail(serial: string): string {
  return serial
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\r/g, '')
    .split('\n')
    .slice(-TAIL_LINES)
    .join('\n')
    .trim();
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
  timeoutSeconds: number,
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
        timeoutMs: timeoutSeconds * 1000,
        serialLog,
        signal: ctx.signal,
        qemu: found.qemu,
        ovmf: found.ovmf
      });
      const secs = (r.elapsedMs / 1000).toFixed(1);
      out.push({
        name,
        ok: r.ok,
        detail: r.ok ? `marker seen after ${secs} s` : `${r.reason} (${secs} s)`,
        serialLog,
        tail: tail(r.serial)
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
