/**
 * memtest86+'s screen in a test: when to capture it (memtestWhen) and how two captures compare
 * (sameScreen). Used by the rebuild (thirdparty.test.ts) and the remaster (remaster-boot.test.ts).
 */
import { expect } from '@jest/globals';
import { TEXT_ROWS, type Capture, type CaptureWhen } from './screendump.js';

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
export function memtestWhen(w: Way): CaptureWhen {
  const onScreen = (s: string) => (c: { text: string[] }) => c.text.some(row => row.includes(s));
  const sign =
    w.firmware === 'uefi'
      ? (c: { serial: string }) => c.serial.includes('BdsDxe: starting')
      : onScreen(w.media === 'cd' ? 'Press <F1> to configure' : 'Loading Memtest86+');
  return { sign, settleMs: w.firmware === 'uefi' ? 15_000 : 4_000, deadlineMs: 120_000 };
}
/**
 * memtest86+ under SeaBIOS uses VGA text mode (720x400, 9x16 cells): the text buffer says what
 * is on the screen exactly. What changes from boot to boot under TCG is measured — clock, cache
 * and memory speeds, timers — and is all numbers, so the 25 rows must be equal with every number
 * masked with its width and unit (4.88 GB/s in one boot, 381 MB/s in the next), and the picture's pixel rows of the text rows holding no digit must be identical (the
 * same mode, font, colours and layout). Under OVMF memtest86+ 6.10 draws nothing here within
 * the capture (all black, both): there the pictures must be identical and both consoles must
 * show OVMF starting the same boot option.
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
