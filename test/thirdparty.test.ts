/**
 * Third-party images rebuilt from their trees (issue 15): Debian's ipxe.iso, grub-rescue-cdrom.iso
 * and memtest86+x64.iso are extracted with xorriso, rebuilt by isoforge with the options xorriso
 * reads from the original's boot setup (test/support/as-mkisofs.ts), and original and rebuild are
 * booted the same ways in QEMU (TCG). The rebuild must reach the same point:
 * - iPXE and GRUB print text: the console text (under SeaBIOS the screen through its mirror on
 *   COM2, under OVMF COM1) from power-on to the point both must reach is the same, line by line
 *   (blank lines aside);
 * - memtest86+ draws on the screen itself: both are captured after the same time (QMP screendump
 *   and the VGA text buffer, test/support/screendump.ts) and compared as described at sameScreen.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { bootImage, type BootResult } from '../src/read/qemu.js';
import { cli } from './support/cli.js';
import { ORIGINALS, rebuild, type Rebuild } from './support/rebuild.js';
import { memtestWhen, sameGopScreen, sameScreen, started } from './support/memtest.js';
import { captureScreen, savePng } from './support/screendump.js';
import { describeWith, tempDir } from './support/tools.js';

type Way = { firmware: 'bios' | 'uefi'; media: 'cd' | 'disk' };

const ALL_WAYS: Way[] = [
  { firmware: 'bios', media: 'cd' },
  { firmware: 'bios', media: 'disk' },
  { firmware: 'uefi', media: 'cd' },
  { firmware: 'uefi', media: 'disk' }
];
const wayName = (w: Way) => `${w.firmware === 'bios' ? 'SeaBIOS' : 'OVMF'} ${w.media}`;
const TIMEOUT_MS = 90_000;
const notes: string[] = [];

/** What a person saw on the console: the SeaBIOS screen, or OVMF's COM1 without escapes and erasures. */
function consoleText(r: BootResult, w: Way): string {
  if (w.firmware === 'bios') return r.screen;
  return r.serial
    .replace(/\x1b\[[0-9;?=]*[A-Za-z]/g, '')
    .replace(/\x08 \x08/g, '')
    .replace(/\r/g, '');
}

/**
 * The console text's lines without trailing white space and without blank lines: how many blank
 * lines SeaBIOS's screen mirror shows for a screen that was cleared (GRUB's menu) depends on when
 * it looked (measured: two boots of the same grub-rescue image, 15 and 14 lines before the menu).
 */
const lines = (text: string) =>
  text
    .split('\n')
    .map(l => l.trimEnd())
    .filter(l => l !== '');

/** Boot until `marker`; the console text up to it. */
async function bootTo(image: string, w: Way, marker: string, who: string): Promise<string> {
  const r = await bootImage({ image, ...w, marker, timeoutMs: TIMEOUT_MS });
  notes.push(`${who} ${wayName(w)}: ${r.ok ? `${(r.elapsedMs / 1000).toFixed(1)} s` : r.reason}`);
  const text = consoleText(r, w);
  if (!r.ok) throw new Error(`${who} ${wayName(w)}: ${r.reason}\n--- console ---\n${text.slice(-2000)}`);
  return text.slice(0, text.indexOf(marker) + marker.length);
}

function noteSizes(name: string, original: string, b: Rebuild) {
  const kib = (f: string) => `${(statSync(f).size / 1024).toFixed(0)} KiB`;
  notes.push(`${name}: original ${kib(original)}, rebuild ${kib(b.image)}`);
}

function rebuilt(original: string, dir: string, edit?: (argv: string[]) => string[]): Promise<Rebuild> {
  return rebuild(original, dir, edit).then(b => {
    if (b.result.code !== 0)
      throw new Error(`isoforge build ${b.translation.argv.join(' ')}: ${b.result.err}`);
    return b;
  });
}

/** `isoforge verify` passes the rebuild, finding the boot entries the original has. */
function verifies(image: () => string, expected: string) {
  test(`isoforge verify --expect-boot ${expected} passes the rebuild`, async () => {
    const v = await cli(['verify', '--image', image(), '--expect-boot', expected]);
    expect({ code: v.code, err: v.err }).toEqual({ code: 0, err: '' });
  });
}

/** Text programs: the same console text, from power-on to `marker`, for each way. */
function sameConsole(name: keyof typeof ORIGINALS, ways: Way[], marker: string) {
  describe(`${path.basename(ORIGINALS[name])}`, () => {
    // made when the suite runs: a skipped suite runs no afterAll
    let t: ReturnType<typeof tempDir>;
    let b: Rebuild;
    beforeAll(async () => {
      t = tempDir(`isoforge-3p-${name}-`);
      b = await rebuilt(ORIGINALS[name], t.dir);
      noteSizes(name, ORIGINALS[name], b);
    });
    afterAll(() => t?.cleanup());
    verifies(() => b.image, ways.some(w => w.firmware === 'uefi') ? 'bios,uefi' : 'bios');
    for (const w of ways) {
      test(`${wayName(w)}: the rebuild's console reads as the original's up to "${marker}"`, async () => {
        const want = await bootTo(ORIGINALS[name], w, marker, `${name} original`);
        const got = await bootTo(b.image, w, marker, `${name} rebuild`);
        expect(lines(got)).toEqual(lines(want));
      });
    }
  });
}

function memtest() {
  const name = 'memtest';
  describe('memtest86+x64.iso', () => {
    // made when the suite runs: a skipped suite runs no afterAll
    let t: ReturnType<typeof tempDir>;
    let b: Rebuild;
    beforeAll(async () => {
      t = tempDir('isoforge-3p-memtest-');
      b = await rebuilt(ORIGINALS.memtest, t.dir);
      noteSizes(name, ORIGINALS.memtest, b);
    });
    afterAll(() => t?.cleanup());
    verifies(() => b.image, 'bios,uefi');
    for (const w of ALL_WAYS) {
      test(`${wayName(w)}: the rebuild's screen is the original's`, async () => {
        const want = await captureScreen({ image: ORIGINALS.memtest, ...w }, memtestWhen(w));
        const got = await captureScreen({ image: b.image, ...w }, memtestWhen(w));
        notes.push(
          `memtest ${wayName(w)}: there at ${want.signMs} ms (original) / ${got.signMs} ms (rebuild)`
        );
        expect({ original: want.signMs !== undefined, rebuild: got.signMs !== undefined }).toEqual({
          original: true,
          rebuild: true
        });
        const stem = path.join(t.dir, `${w.firmware}-${w.media}`);
        await savePng(want.picture, `${stem}-original.png`);
        await savePng(got.picture, `${stem}-rebuild.png`);
        if (w.firmware === 'uefi') {
          expect(started(want)).toMatch(/starting Boot/);
          expect(started(got)).toEqual(started(want));
          const differ = sameGopScreen(want, got);
          notes.push(`memtest ${wayName(w)}: ${(differ * 100).toFixed(2)} % of the pixels differ`);
        } else {
          expect(want.text.join('\n')).toMatch(/Memtest86\+/);
          sameScreen(want, got);
        }
      });
    }
  });
}

/** The comparisons tell a boot that went elsewhere (these run before branch entries merges too). */
function controls() {
  describe('controls', () => {
    let t: ReturnType<typeof tempDir>;
    beforeAll(() => (t = tempDir('isoforge-3p-control-')));
    afterAll(() => t?.cleanup());
    test('grub-rescue rebuilt without the translated --grub2-boot-info stops at "GRUB loading." from the disk', async () => {
      // boot_hybrid.img (--mbr-kind grub2) jumps to core.img, which then finds no patched address of itself
      const b = await rebuilt(ORIGINALS.grubRescue, t.dir, argv => {
        const at = argv.indexOf('--grub2-boot-info');
        return [...argv.slice(0, at), '--grub2-boot-info', 'false', ...argv.slice(at + 2)];
      });
      const w: Way = { firmware: 'bios', media: 'disk' };
      const r = await bootImage({ image: b.image, ...w, marker: 'Change the colors', timeoutMs: 30_000 });
      notes.push(`grubRescue without --grub2-boot-info ${wayName(w)}: ${r.reason}`);
      expect(r.ok).toBe(false);
      expect(r.screen.trimEnd().split('\n').pop()).toBe('GRUB loading.');
    });
    test("memtest86+'s screen: two boots from the CD compare the same, the CD and the disk do not", async () => {
      const capture = (media: Way['media']) =>
        captureScreen(
          { image: ORIGINALS.memtest, firmware: 'bios', media },
          memtestWhen({ firmware: 'bios', media })
        );
      const cd = await capture('cd');
      const again = await capture('cd');
      const disk = await capture('disk');
      notes.push(
        `memtest original SeaBIOS cd: there at ${cd.signMs} / ${again.signMs} ms, disk at ${disk.signMs} ms`
      );
      sameScreen(cd, again);
      expect(() => sameScreen(cd, disk)).toThrow();
    });
  });
}

describeWith(
  ['qemu-system-x86_64', 'xorriso'],
  'third-party images rebuilt from their trees boot as the originals do',
  () => {
    afterAll(() => console.log(`third-party rebuilds (TCG):\n  ${notes.join('\n  ')}`));
    // iPXE: ISOLINUX loads ipxe.krn (BIOS), efi.img's iPXE (UEFI); with no network it ends here
    sameConsole('ipxe', ALL_WAYS, 'No more network devices');
    // GRUB finds its grub.cfg on the ISO by the volume's UUID (its modification date) and shows
    // its menu, whose last entry is this
    sameConsole('grubRescue', ALL_WAYS.slice(0, 2), 'Change the colors');
    controls();
    memtest();
  },
  Object.values(ORIGINALS)
);
