#!/usr/bin/env node
/**
 * The isoforge demo boot program: a 16-bit real-mode program, emitted byte by byte from the
 * listing below (each instruction with its encoding and what it does). It prints
 * "isoforge demo: booted" on COM1 (0x3F8, 115200 8N1), the whole line, then the whole line on the
 * screen (BIOS int 10h teletype), then halts forever. Whole lines, because under
 * `qemu-system-x86_64 -nographic` SeaBIOS mirrors the screen to the same terminal as COM1: one
 * character to each in turn arrived interleaved ("siosfoofrogreg ..."). The mirror (SeaBIOS
 * sercon) holds back the last character written until its next call or timer tick, so the program
 * waits one timer tick before its serial line (SeaBIOS's "Booting from ..." is complete first) and
 * halts with interrupts on (the tick then flushes the screen line's end).
 *
 * It runs two ways from the same bytes:
 * - as an El Torito no-emulation boot image: the BIOS loads it at 0000:7C00 or 07C0:0000
 *   (both are linear 0x7C00); the far jump at byte 0 makes CS:IP 0000:7C40 either way;
 * - as MBR boot code (--mbr-template): the BIOS loads sector 0 at 0000:7C00. Everything the
 *   program uses lies before byte 432, so the hybrid writer's boot address (432-439), disk id
 *   (440-443), partition table (446-509) and signature (510-511) never overwrite it.
 * Bytes 8-63 are left zero because --boot-info-table (on by default) patches them in the image.
 *
 * Usage: node examples/demo/make-boot.mjs <output.bin> [--listing]
 */
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export const MARKER = 'isoforge demo: booted';
/** Linear address the BIOS loads the first sector to (El Torito default and MBR). */
const ORIGIN = 0x7c00;
/** Code starts after the boot info table area (El Torito boot info table: bytes 8-63). */
const CODE_START = 0x40;
/** MBR boot code must end before the isohybrid boot address field at byte 432. */
export const MBR_CODE_LIMIT = 432;
/** The file is one 512-byte sector, 0x55AA at 510 so it is also a valid MBR on its own. */
const FILE_SIZE = 512;

const COM1 = 0x3f8; // data (DLAB=0) / divisor latch low (DLAB=1)
const COM1_IER = COM1 + 1; // interrupt enable / divisor latch high (DLAB=1)
const COM1_FCR = COM1 + 2; // FIFO control
const COM1_LCR = COM1 + 3; // line control
const COM1_MCR = COM1 + 4; // modem control
const COM1_LSR = COM1 + 5; // line status; bit 5 = transmit holding register empty

const lo = v => v & 0xff;
const hi = v => (v >> 8) & 0xff;

/**
 * The program as [bytes, comment] lines; `{ label }` marks a position, `{ jz | jmp: label }` a
 * short jump resolved in the second pass, `{ addr: label }` a 16-bit absolute address.
 */
function program() {
  return [
    { org: 0 },
    [
      [0xea, lo(ORIGIN + CODE_START), hi(ORIGIN + CODE_START), 0x00, 0x00],
      'jmp 0000:7C40 ; far jump: CS=0, IP=0x7C40 whichever CS:IP the BIOS used'
    ],
    { org: CODE_START },
    [[0xfa], 'cli                 ; no interrupts while the stack moves'],
    [[0x31, 0xc0], 'xor ax, ax          ; AX = 0'],
    [[0x8e, 0xd8], 'mov ds, ax          ; DS = 0: the message is addressed from linear 0'],
    [[0x8e, 0xc0], 'mov es, ax          ; ES = 0'],
    [[0x8e, 0xd0], 'mov ss, ax          ; SS = 0'],
    [[0xbc, lo(ORIGIN), hi(ORIGIN)], 'mov sp, 0x7C00      ; stack grows down from below the program'],
    [[0xfb], 'sti                 ; interrupts back on (int 10h may need them)'],
    [[0xfc], 'cld                 ; lodsb counts upwards'],
    [[0xba, lo(COM1_IER), hi(COM1_IER)], 'mov dx, 0x3F9       ; COM1 interrupt enable register'],
    [[0x30, 0xc0], 'xor al, al          ; 0: no UART interrupts, we poll'],
    [[0xee], 'out dx, al'],
    [[0xba, lo(COM1_LCR), hi(COM1_LCR)], 'mov dx, 0x3FB       ; line control register'],
    [[0xb0, 0x80], 'mov al, 0x80        ; DLAB = 1: ports 0x3F8/0x3F9 become the baud divisor'],
    [[0xee], 'out dx, al'],
    [[0xba, lo(COM1), hi(COM1)], 'mov dx, 0x3F8       ; divisor latch low'],
    [[0xb0, 0x01], 'mov al, 1           ; divisor 1: 115200 baud (115200 / 1)'],
    [[0xee], 'out dx, al'],
    [[0x42], 'inc dx              ; 0x3F9: divisor latch high'],
    [[0x30, 0xc0], 'xor al, al          ; high byte 0'],
    [[0xee], 'out dx, al'],
    [[0xba, lo(COM1_LCR), hi(COM1_LCR)], 'mov dx, 0x3FB       ; line control register'],
    [[0xb0, 0x03], 'mov al, 0x03        ; DLAB = 0, 8 data bits, no parity, 1 stop bit (8N1)'],
    [[0xee], 'out dx, al'],
    [[0xba, lo(COM1_FCR), hi(COM1_FCR)], 'mov dx, 0x3FA       ; FIFO control register'],
    [[0xb0, 0xc7], 'mov al, 0xC7        ; enable and clear both FIFOs, 14-byte threshold'],
    [[0xee], 'out dx, al'],
    [[0xba, lo(COM1_MCR), hi(COM1_MCR)], 'mov dx, 0x3FC       ; modem control register'],
    [[0xb0, 0x03], 'mov al, 0x03        ; DTR and RTS on'],
    [[0xee], 'out dx, al'],
    [[0xf4], 'hlt                 ; wait for a timer tick (a screen mirror flushes then)'],
    [[0xbe], { addr: 'message' }, 'mov si, message     ; DS:SI = the text, first to COM1'],
    { label: 'serial' },
    [[0xac], 'lodsb               ; AL = [DS:SI], SI += 1'],
    [[0x84, 0xc0], 'test al, al         ; the terminating zero?'],
    [{ jz: 'screen' }, 'jz screen           ; the whole line is out: now the screen'],
    [[0x88, 0xc1], 'mov cl, al          ; keep the character (port reads use AL)'],
    [[0xba, lo(COM1_LSR), hi(COM1_LSR)], 'mov dx, 0x3FD       ; line status register'],
    { label: 'wait' },
    [[0xec], 'in al, dx           ; read the line status'],
    [[0xa8, 0x20], 'test al, 0x20       ; bit 5: transmit holding register empty?'],
    [{ jz: 'wait' }, 'jz wait             ; not yet: poll again'],
    [[0x88, 0xc8], 'mov al, cl          ; the character'],
    [[0xba, lo(COM1), hi(COM1)], 'mov dx, 0x3F8       ; transmit holding register'],
    [[0xee], 'out dx, al          ; send it on the serial line'],
    [{ jmp: 'serial' }, 'jmp serial'],
    { label: 'screen' },
    [[0xbe], { addr: 'message' }, 'mov si, message     ; the same text again, now to the screen'],
    { label: 'next' },
    [[0xac], 'lodsb               ; AL = [DS:SI], SI += 1'],
    [[0x84, 0xc0], 'test al, al         ; the terminating zero?'],
    [{ jz: 'done' }, 'jz done'],
    [[0xb4, 0x0e], 'mov ah, 0x0E        ; int 10h function 0Eh: teletype output of AL'],
    [[0xbb, 0x07, 0x00], 'mov bx, 0x0007      ; BH = page 0, BL = light grey (graphics modes)'],
    [[0xcd, 0x10], 'int 0x10            ; print it on the screen'],
    [{ jmp: 'next' }, 'jmp next'],
    { label: 'done' },
    [[0xfb], 'sti                 ; interrupts on: the timer lets a screen mirror flush'],
    [[0xf4], 'hlt                 ; sleep until the next interrupt'],
    [{ jmp: 'done' }, 'jmp done            ; and again, forever'],
    { label: 'message' },
    [[...Buffer.from(`${MARKER}\r\n`, 'latin1'), 0], `db "${MARKER}", 13, 10, 0`]
  ];
}

/** Assemble: pass 1 sizes and labels, pass 2 bytes. Returns the 512-byte image and a listing. */
export function makeBootProgram() {
  const lines = program();
  const labels = new Map();
  const sizeOf = parts => parts.reduce((n, p) => n + (Array.isArray(p) ? p.length : p.addr ? 2 : 2), 0);
  let pc = 0;
  for (const l of lines) {
    if (!Array.isArray(l)) {
      if ('org' in l) pc = l.org;
      else labels.set(l.label, pc);
      continue;
    }
    pc += sizeOf(l.slice(0, -1));
  }
  const out = Buffer.alloc(FILE_SIZE);
  const listing = [];
  pc = 0;
  for (const l of lines) {
    if (!Array.isArray(l)) {
      if ('org' in l) pc = l.org;
      else listing.push(`${l.label}:`);
      continue;
    }
    const comment = l[l.length - 1];
    const bytes = [];
    for (const p of l.slice(0, -1)) {
      if (Array.isArray(p)) bytes.push(...p);
      else if (p.addr !== undefined) {
        const a = ORIGIN + labels.get(p.addr);
        bytes.push(lo(a), hi(a));
      } else {
        const target = labels.get(p.jz ?? p.jmp);
        const rel = target - (pc + 2);
        if (rel < -128 || rel > 127) throw new Error(`short jump out of range at ${pc}`);
        bytes.push(p.jz !== undefined ? 0x74 : 0xeb, rel & 0xff);
      }
    }
    Buffer.from(bytes).copy(out, pc);
    const hex = bytes.map(b => b.toString(16).padStart(2, '0')).join(' ');
    listing.push(
      `  ${(ORIGIN + pc).toString(16).padStart(4, '0')}  ${hex.length > 24 ? hex.slice(0, 21) + '...' : hex.padEnd(24)}  ${comment}`
    );
    pc += bytes.length;
  }
  if (pc > MBR_CODE_LIMIT)
    throw new Error(`boot program is ${pc} bytes; MBR boot code must end before ${MBR_CODE_LIMIT}`);
  out[510] = 0x55; // MBR signature (UEFI 5.2.1), so the file is a valid MBR by itself
  out[511] = 0xaa;
  return { bytes: out, codeBytes: pc, listing: listing.join('\n') };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [outFile, flag] = process.argv.slice(2);
  const p = makeBootProgram();
  if (!outFile && flag !== '--listing') {
    process.stderr.write('usage: node examples/demo/make-boot.mjs <output.bin> [--listing]\n');
    process.exit(2);
  }
  if (outFile && outFile !== '--listing') writeFileSync(outFile, p.bytes);
  if (flag === '--listing' || outFile === '--listing') process.stdout.write(`${p.listing}\n`);
}
