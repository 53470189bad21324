/**
 * memtest86+'s screen in a test: when to capture it (memtestWhen) and how two captures compare
 * (sameScreen). Used by the rebuild (thirdparty.test.ts) and the remaster (remaster-boot.test.ts).
 */
import { expect } from '@jest/globals';
import { TEXT_ROWS, type Capture, type CaptureWhen, type Picture } from './screendump.js';

export interface Way {
  firmware: 'bios' | 'uefi';
  media: 'cd' | 'disk';
}

/**
 * When memtest86+'s screen is captured: a few seconds after the sign that it got there. From the
 * CD its floppy boot sector prints "Loading Memtest86+...." and memtest86+ then shows its start
 * screen, waiting for a key; from the disk the MBR that memtest86+'s image carries prints
 * "Loading Memtest86+" and goes no further, in the original too; under OVMF, once OVMF starts the
 * boot option.
 */
/** memtest86+'s start screen under GOP is mostly blue; OVMF's own screens are mostly black. */
const MEMTEST_LIT = 0.5;

/** The share of pixels that are not black. */
export function litShare(p: Picture): number {
  let n = 0;
  for (let i = 0; i < p.rgb.length; i += 3) if (p.rgb[i] || p.rgb[i + 1] || p.rgb[i + 2]) n++;
  return n / (p.width * p.height);
}

export function memtestWhen(w: Way): CaptureWhen {
  const onScreen = (s: string) => (c: { text: string[] }) => c.text.some(row => row.includes(s));
  if (w.firmware === 'uefi') {
    // through GOP: no text buffer; its screen is there once most of it is its blue background
    const drawn = (c: { serial: string; picture?: Picture }) =>
      c.serial.includes('BdsDxe: starting') && c.picture !== undefined && litShare(c.picture) > MEMTEST_LIT;
    return { sign: drawn, pictureSign: true, settleMs: 3_000, deadlineMs: 120_000 };
  }
  const sign = onScreen(w.media === 'cd' ? 'Press <F1> to configure' : 'Loading Memtest86+');
  return { sign, settleMs: 4_000, deadlineMs: 120_000 };
}
/**
 * memtest86+ under SeaBIOS uses VGA text mode (720x400, 9x16 cells): the text buffer says what
 * is on the screen exactly. What changes from boot to boot under TCG is measured — clock, cache
 * and memory speeds, timers — and is all numbers, so the 25 rows must be equal with every number
 * masked with its width and unit (4.88 GB/s in one boot, 381 MB/s in the next), and the picture's pixel rows of the text rows holding no digit must be identical (the
 * same mode, font, colours and layout). Under OVMF memtest86+ draws through GOP (640x480, no text buffer), once
 * OVMF starts the boot option; at load it can take a minute: the capture waits for its blue
 * screen, and the pictures may differ only in its figures.
 */
export function sameScreen(want: Capture, got: Capture): void {
  // a number with its unit and the spaces that right-align it: "  4.88 GB/s" and "   381 MB/s" alike
  // and the spinner after "Status: Testing" (- \ | /), which turns while a test runs
  const mask = (rows: string[]) =>
    rows.map(r =>
      r.replace(/ *[0-9][0-9.]* ?(?:[KMGT]B\/s|[KMGT]B|MHz)?/g, ' #').replace(/(Testing +)[-\\|/]/, '$1*')
    );
  expect(mask(got.text)).toEqual(mask(want.text));
  expect([got.picture.width, got.picture.height]).toEqual([want.picture.width, want.picture.height]);
  const { width, height } = want.picture;
  const rowPx = height / TEXT_ROWS;
  const stride = width * 3;
  let compared = 0;
  for (let row = 0; row < TEXT_ROWS; row++) {
    if (/[0-9]/.test(want.text[row] + got.text[row])) continue;
    const a = want.picture.rgb.subarray(row * rowPx * stride, (row + 1) * rowPx * stride);
    const b = got.picture.rgb.subarray(row * rowPx * stride, (row + 1) * rowPx * stride);
    expect({ row, same: a.equals(b) }).toEqual({ row, same: true });
    compared++;
  }
  expect(compared).toBeGreaterThan(TEXT_ROWS / 2);
}

/** OVMF's "starting BootNNNN" lines: which boot option it ran. */
export const started = (c: Capture) => (c.serial.match(/BdsDxe: starting [^\r\n]*/g) ?? []).join('\n');
