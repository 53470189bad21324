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

/** memtest86+'s start screen under GOP is mostly blue; OVMF's own screens are mostly black. */
const MEMTEST_LIT = 0.5;

/** The share of pixels that are not black. */
export function litShare(p: Picture): number {
  let n = 0;
  for (let i = 0; i < p.rgb.length; i += 3) if (p.rgb[i] || p.rgb[i + 1] || p.rgb[i + 2]) n++;
  return n / (p.width * p.height);
}

/**
 * When memtest86+'s screen is captured. From the CD its floppy boot sector prints "Loading
 * Memtest86+...." and memtest86+ shows its start screen, prompt last: captured at the prompt.
 * From the disk the MBR that memtest86+'s image carries prints "Loading Memtest86+" and goes no
 * further, in the original too: 4 s later. Under OVMF, once OVMF started the boot option and the
 * screen is memtest86+'s blue: 3 s later (the figures drawn; whether its first test has started by
 * then varies, which sameGopScreen allows for).
 */
export function memtestWhen(w: Way): CaptureWhen {
  const onScreen = (s: string) => (c: { text: string[] }) => c.text.some(row => row.includes(s));
  if (w.firmware === 'uefi') {
    // through GOP: no text buffer; its screen is there once most of it is its blue background
    const drawn = (c: { serial: string; picture?: Picture }) =>
      c.serial.includes('BdsDxe: starting') && c.picture !== undefined && litShare(c.picture) > MEMTEST_LIT;
    return { sign: drawn, pictureSign: true, settleMs: 3_000, deadlineMs: 120_000 };
  }
  if (w.media === 'cd')
    // at once: its start screen is complete when the prompt shows, and some seconds later (4 s was
    // too late once in three runs at load 8) memtest86+ starts its first test by itself, which
    // redraws half the screen
    return { sign: onScreen('Press <F1> to configure'), settleMs: 0, deadlineMs: 120_000 };
  return { sign: onScreen('Loading Memtest86+'), settleMs: 4_000, deadlineMs: 120_000 };
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

/**
 * The share of memtest86+'s GOP screen (OVMF) whose pixels may differ between two boots of the
 * same program: its clock, cache and memory speeds, and whether its first test has started (the
 * Pass/Test percentages and bars, "Testing:", the start prompt) depend on the timing under TCG.
 * Measured: 0.12 % at load 11 (both captures at the start screen), 2.23 % on a quiet machine
 * (one capture after the first test started).
 */
export const MAX_GOP_DIFFERING = 0.1;
/** memtest86+'s font height: its title bar and its key bar are one text row of this many pixels. */
const GOP_ROW_PX = 16;

/** The share of pixels that differ between two pictures of one size (1 when the sizes differ). */
export function differingPixels(a: Picture, b: Picture): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let n = 0;
  for (let i = 0; i < a.rgb.length; i += 3)
    if (a.rgb[i] !== b.rgb[i] || a.rgb[i + 1] !== b.rgb[i + 1] || a.rgb[i + 2] !== b.rgb[i + 2]) n++;
  return n / (a.width * a.height);
}

/** The first and last pixel rows that are not all black. */
function litRows(p: Picture): [number, number] {
  const stride = p.width * 3;
  const lit = (y: number) => p.rgb.subarray(y * stride, (y + 1) * stride).some(v => v !== 0);
  let first = 0;
  while (first < p.height && !lit(first)) first++;
  let last = p.height - 1;
  while (last > first && !lit(last)) last--;
  return [first, last];
}

/**
 * memtest86+ under OVMF (GOP, no text buffer): the same program on the same screen. Its title bar
 * (the first lit text row: "Memtest86+ v6.10", the CPU's name) and its key bar (the last: "<ESC>
 * Exit <F1> Configuration …", its version) are identical pixel for pixel, and the pictures differ
 * in at most MAX_GOP_DIFFERING of their pixels. A boot that went elsewhere (OVMF's shell or boot
 * manager, another program) has no blue screen at all: memtestWhen's sign never comes.
 */
export function sameGopScreen(want: Capture, got: Capture): number {
  const a = want.picture;
  const b = got.picture;
  expect([b.width, b.height]).toEqual([a.width, a.height]);
  const [first, last] = litRows(a);
  expect(litRows(b)).toEqual([first, last]);
  const stride = a.width * 3;
  const band = (p: Picture, y: number) => p.rgb.subarray(y * stride, (y + GOP_ROW_PX) * stride);
  for (const [name, y] of [
    ['title bar', first],
    ['key bar', last + 1 - GOP_ROW_PX]
  ] as const)
    expect({ name, same: band(a, y).equals(band(b, y)) }).toEqual({ name, same: true });
  const differ = differingPixels(a, b);
  expect(differ).toBeLessThan(MAX_GOP_DIFFERING);
  return differ;
}

/** OVMF's "starting BootNNNN" lines: which boot option it ran. */
export const started = (c: Capture) => (c.serial.match(/BdsDxe: starting [^\r\n]*/g) ?? []).join('\n');
