/**
 * The screen of a QEMU guest that draws on it directly (memtest86+), captured after a fixed time
 * through QEMU's machine monitor (QMP on a unix socket): `screendump` writes the picture (PPM), and
 * `pmemsave` of the VGA text buffer gives the characters of a text-mode screen. The QEMU command
 * is src/read/qemu.ts's (same drives, firmware and memory as every boot test), with its
 * `-monitor none` replaced by the QMP socket. QEMU is killed in `finally`, whatever happened.
 */
import { spawn } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import * as path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { stop } from '../../src/read/accel.js';
import { findQemu, qemuCommand, type BootRun } from '../../src/read/qemu.js';
import { tempDir } from './tools.js';

/** The VGA colour text buffer (IBM PC: mode 3 at B800:0000), 80 x 25 cells of character + attribute. */
const VGA_TEXT_BASE = 0xb8000;
export const TEXT_COLS = 80;
export const TEXT_ROWS = 25;
const CELL_BYTES = 2;

export interface Picture {
  width: number;
  height: number;
  /** RGB, 3 bytes a pixel, rows top to bottom */
  rgb: Buffer;
}

export interface Capture {
  picture: Picture;
  /** the 25 rows of the VGA text buffer (printable ASCII, other bytes as '.') */
  text: string[];
  /** what the guest wrote on COM1 until the capture (OVMF copies its console there) */
  serial: string;
  elapsedMs: number;
  /** when the sign was seen (undefined: it never was, the capture is of the deadline) */
  signMs?: number;
  command: string[];
}

/** Netpbm P6 (what QEMU's screendump writes by default): "P6 W H MAX" then W*H RGB triples. */
export function parsePpm(b: Buffer): Picture {
  const head = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(b.subarray(0, 64).toString('latin1'));
  if (!head || head[3] !== '255') throw new Error('not an 8-bit P6 picture');
  const width = Number(head[1]);
  const height = Number(head[2]);
  const rgb = b.subarray(head[0].length, head[0].length + width * height * 3);
  if (rgb.length !== width * height * 3) throw new Error(`P6 ${width}x${height}: short data`);
  return { width, height, rgb };
}

/** The text buffer's characters, row by row. */
export function vgaText(buf: Buffer): string[] {
  const rows: string[] = [];
  for (let r = 0; r < TEXT_ROWS; r++) {
    let s = '';
    for (let c = 0; c < TEXT_COLS; c++) {
      const ch = buf[(r * TEXT_COLS + c) * CELL_BYTES];
      s += ch >= 0x20 && ch < 0x7f ? String.fromCharCode(ch) : ch === 0 ? ' ' : '.';
    }
    rows.push(s.trimEnd());
  }
  return rows;
}

/** A QMP session: send a command, get its answer (events skipped). */
class Qmp {
  private buffered = '';
  private waiting: ((line: string) => void)[] = [];
  private lines: string[] = [];
  private constructor(private readonly sock: Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (s: string) => {
      this.buffered += s;
      let i: number;
      while ((i = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, i).trim();
        this.buffered = this.buffered.slice(i + 1);
        if (!line) continue;
        const w = this.waiting.shift();
        if (w) w(line);
        else this.lines.push(line);
      }
    });
  }

  static async connect(socket: string, deadline: number): Promise<Qmp> {
    for (;;) {
      try {
        const sock = await new Promise<Socket>((resolve, reject) => {
          const s = createConnection(socket, () => resolve(s));
          s.once('error', reject);
        });
        const q = new Qmp(sock);
        await q.next(); // the greeting
        await q.call('qmp_capabilities');
        return q;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise(res => setTimeout(res, 100));
      }
    }
  }

  private next(): Promise<string> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    return new Promise(resolve => this.waiting.push(resolve));
  }

  async call(execute: string, args?: Record<string, unknown>): Promise<void> {
    this.sock.write(JSON.stringify(args ? { execute, arguments: args } : { execute }) + '\n');
    for (;;) {
      const m = JSON.parse(await this.next()) as { return?: unknown; error?: { desc: string } };
      if (m.error) throw new Error(`QMP ${execute}: ${m.error.desc}`);
      if ('return' in m) return;
    }
  }

  close(): void {
    this.sock.destroy();
  }
}

/**
 * When to capture: once `sign` holds of the screen's text or COM1 (polled every POLL_MS), then
 * `settleMs` later; if the sign has not come by `deadlineMs`, then. Host load moves a TCG guest's
 * pace by seconds, so the same point is found by what the guest shows, not by the wall clock.
 */
export interface CaptureWhen {
  sign: (s: { text: string[]; serial: string; picture?: Picture }) => boolean;
  /** the sign looks at the picture too (a screendump at every poll: graphics modes have no text) */
  pictureSign?: boolean;
  settleMs: number;
  deadlineMs: number;
}
const POLL_MS = 500;

/** Boot `r` (its marker and timeout unused), capture the screen as `when` says, kill QEMU. */
export async function captureScreen(
  r: Omit<BootRun, 'marker' | 'timeoutMs'>,
  when: CaptureWhen
): Promise<Capture> {
  const found = findQemu();
  if (!found.qemu || (r.firmware === 'uefi' && !found.ovmf)) throw new Error(found.missing.join(', '));
  const t = tempDir('isoforge-screen-');
  const socket = path.join(t.dir, 'qmp.sock');
  const files = { serial: path.join(t.dir, 'serial.log') };
  const run: BootRun = { ...r, marker: '', timeoutMs: when.deadlineMs, screen: false };
  const command = qemuCommand(run, found.qemu, found.ovmf, files);
  const monitor = command.indexOf('-monitor');
  command.splice(monitor, 2, '-qmp', `unix:${socket},server=on,wait=off`);
  const child = spawn(command[0], command.slice(1), { stdio: 'ignore', detached: true });
  const started = Date.now();
  const vga = path.join(t.dir, 'vga.bin');
  const ppm = path.join(t.dir, 'screen.ppm');
  let qmp: Qmp | undefined;
  try {
    qmp = await Qmp.connect(socket, started + 10_000);
    const q = qmp;
    const look = async () => {
      await q.call('pmemsave', {
        val: VGA_TEXT_BASE,
        size: TEXT_COLS * TEXT_ROWS * CELL_BYTES,
        filename: vga
      });
      const serial = readFileSync(files.serial, 'latin1');
      if (!when.pictureSign) return { text: vgaText(readFileSync(vga)), serial };
      await q.call('screendump', { filename: ppm });
      return { text: vgaText(readFileSync(vga)), serial, picture: parsePpm(readFileSync(ppm)) };
    };
    let signAt: number | undefined;
    const sleep = (ms: number) => new Promise(res => setTimeout(res, ms));
    while (Date.now() - started < when.deadlineMs) {
      if (signAt === undefined && when.sign(await look())) signAt = Date.now();
      if (signAt !== undefined && Date.now() - signAt >= when.settleMs) break;
      await sleep(POLL_MS);
    }
    await qmp.call('stop'); // the picture and the text from the same instant
    const elapsedMs = Date.now() - started;
    await qmp.call('screendump', { filename: ppm });
    const picture = parsePpm(readFileSync(ppm));
    const { text, serial } = await look();
    const seen = { text, serial };
    const signMs = signAt === undefined ? undefined : signAt - started;
    return { picture, ...seen, elapsedMs, signMs, command };
  } finally {
    qmp?.close();
    await stop(child);
    t.cleanup();
  }
}

/** PNG (ISO/IEC 15948): signature, then chunks of length, type, data, CRC-32 of type and data. */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_RGB8 = [8, 2, 0, 0, 0]; // IHDR after width and height: bit depth 8, colour type 2 (RGB)
const PNG_FILTER_NONE = 0;

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
  return Buffer.concat([head, data, crc]);
}

/** Save a capture's picture as PNG (for a person looking at a failure). */
export async function savePng(p: Picture, file: string): Promise<void> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(p.width, 0);
  ihdr.writeUInt32BE(p.height, 4);
  Buffer.from(PNG_RGB8).copy(ihdr, 8);
  const rows: Buffer[] = [];
  for (let y = 0; y < p.height; y++)
    rows.push(Buffer.from([PNG_FILTER_NONE]), p.rgb.subarray(y * p.width * 3, (y + 1) * p.width * 3));
  const png = [
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0))
  ];
  await fs.writeFile(file, Buffer.concat([PNG_SIGNATURE, ...png]));
}
