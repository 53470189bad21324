/**
 * Boot: the demo. The generated boot program fits the MBR boot code area and leaves the boot info
 * table bytes free; demo.iso built from examples/demo/ exactly as `npm run demo` builds it boots
 * under SeaBIOS as a CD and as a disk (the program is its own MBR boot code) to the marker, and
 * shows the greeting whole where people look (-nographic, -serial stdio, the screen); and
 * scripts/demo.mjs itself runs through the committed CLI bundle when there is one.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoFlags, prepareDemoTree, BOOT_PATH, MARKER } from '../examples/demo/demo-build.mjs';
import { MBR_CODE_LIMIT, makeBootProgram } from '../examples/demo/make-boot.mjs';
import { parseGpt } from '../src/boot/gpt.js';
import { parseMbr } from '../src/boot/mbr.js';
import { bootImage } from '../src/read/qemu.js';
import { buildWith } from './support/build.js';
import { runInTerminal, terminalLines } from './support/terminal.js';
import { describeWith, run, sh, tempDir } from './support/tools.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BOOT_TIMEOUT_MS = 20_000;

describe('demo boot program', () => {
  test('fits the MBR boot code area, keeps bytes 8-63 for the boot info table, is deterministic', () => {
    const p = makeBootProgram();
    expect(p.bytes.length).toBe(512);
    expect(p.codeBytes).toBeLessThanOrEqual(MBR_CODE_LIMIT);
    expect(p.bytes.subarray(p.codeBytes, 510).every(b => b === 0)).toBe(true);
    expect(p.bytes.subarray(8, 64).every(b => b === 0)).toBe(true);
    expect(p.bytes.readUInt16LE(510)).toBe(0xaa55);
    expect(p.bytes.includes(Buffer.from(MARKER, 'latin1'))).toBe(true);
    expect(p.bytes[0]).toBe(0xea); // the far jump that normalises CS:IP
    expect(makeBootProgram().bytes.equals(p.bytes)).toBe(true);
    expect(p.listing.split('\n').length).toBeGreaterThan(40);
  });
});

describeWith(['qemu-system-x86_64', 'sgdisk'], 'demo.iso boots (SeaBIOS, CD and disk)', () => {
  let t: { dir: string; cleanup: () => void };
  let demo: ReturnType<typeof prepareDemoTree>;
  beforeAll(() => {
    t = tempDir('isoforge-demo-test-');
    demo = prepareDemoTree();
  });
  afterAll(() => {
    demo.cleanup();
    t.cleanup();
  });

  const bootBoth = async (image: string) => {
    for (const media of ['cd', 'disk'] as const) {
      const r = await bootImage({
        firmware: 'bios',
        media,
        image,
        marker: MARKER,
        timeoutMs: BOOT_TIMEOUT_MS
      });
      if (!r.ok) throw new Error(`SeaBIOS ${media}: ${r.reason}\n${r.serial.slice(-1000)}`);
      expect(r.serial).toContain(MARKER);
    }
  };

  let demoIso = '';
  test('built as npm run demo builds it', async () => {
    const output = (demoIso = path.join(t.dir, 'demo.iso'));
    const before = readFileSync(demo.bootFile);
    const r = await buildWith(demoFlags(demo.source, demo.bootFile, output));
    expect(readFileSync(demo.bootFile).equals(before)).toBe(true); // boot info table: image copy only
    expect(r.image.size % 2048).toBe(0);
    expect(sh('sgdisk', ['-v', output])).toMatch(/No problems found/);
    // the MBR holds the program's code and the address of its El Torito copy
    const img = readFileSync(output);
    const lba = r.image.plan.file(BOOT_PATH)!.lba;
    expect(img.subarray(0, 432).equals(before.subarray(0, 432))).toBe(true);
    expect(img.readBigUInt64LE(432)).toBe(BigInt(lba * 4));
    expect(parseMbr(img.subarray(0, 512)).partitions.some(p => p.bootable)).toBe(true);
    expect(parseGpt((o, l) => img.subarray(o, o + l), img.length).problems).toEqual([]);
    await bootBoth(output);
  });

  // as a person boots it: the greeting arrives whole, once per place it is written
  const terminalBoot = async (args: string[], times: number) => {
    if (!demoIso) throw new Error('demo.iso was not built (the first test of this block)');
    const count = (out: string) => terminalLines(out).filter(l => l.includes('booted')).length;
    const r = await runInTerminal(['-accel', 'tcg', '-no-reboot', ...args], out => count(out) >= times, {
      timeoutMs: BOOT_TIMEOUT_MS
    });
    // what follows SeaBIOS's last "Booting from ..." (all of it where there is no mirror)
    const all = terminalLines(r.out);
    const from = all.map(l => l.startsWith('Booting from')).lastIndexOf(true);
    const lines = all.slice(from + 1).filter(l => l.trim() !== '' && !l.startsWith('qemu-system'));
    return { lines, out: r.out };
  };
  const media = (iso: string) => ({
    cd: ['-cdrom', iso],
    disk: ['-drive', `file=${iso},format=raw,snapshot=on`]
  });

  test.each(['cd', 'disk'] as const)(
    'qemu-system-x86_64 -nographic (%s): the line on COM1, then the same line mirrored from the screen',
    async m => {
      const r = await terminalBoot(['-nographic', ...media(demoIso)[m]], 2);
      // before the fix: "siosfoofrogreg ed edmeom:o :b obootoetde"
      expect(r.lines).toEqual([MARKER, MARKER]);
    }
  );

  test('qemu-system-x86_64 -display none -serial stdio: the line once', async () => {
    const r = await terminalBoot(['-display', 'none', '-serial', 'stdio', ...media(demoIso).cd], 1);
    expect(r.lines).toEqual([MARKER]);
  });

  test('a window: the line is on the screen (VGA text memory read through the monitor)', async () => {
    const dump = path.join(t.dir, 'vga.bin');
    // text mode 3: 80 x 25 cells of (character, attribute) at 0xB8000
    const rows = () => {
      if (!existsSync(dump)) return [];
      const b = readFileSync(dump);
      return Array.from({ length: 25 }, (_, y) =>
        Array.from({ length: 80 }, (_, x) => String.fromCharCode(b[(y * 80 + x) * 2]))
          .join('')
          .trimEnd()
      );
    };
    let timer: NodeJS.Timeout | undefined;
    await runInTerminal(
      ['-accel', 'tcg', '-display', 'none', '-serial', 'none', '-monitor', 'stdio', ...media(demoIso).cd],
      () => rows().includes(MARKER),
      {
        timeoutMs: BOOT_TIMEOUT_MS,
        settleMs: 0,
        onStart: stdin => (timer = setInterval(() => stdin.write(`pmemsave 0xb8000 4000 "${dump}"\n`), 300))
      }
    );
    clearInterval(timer);
    expect(rows()).toContain(MARKER);
  });

  const cli = process.env.ISOFORGE_CLI || path.join(ROOT, 'dist', 'cli', 'index.js');
  (existsSync(cli) ? test : test.skip)(`scripts/demo.mjs through ${path.relative(ROOT, cli)}`, async () => {
    const output = path.join(t.dir, 'via-cli.iso');
    const r = run(process.execPath, [path.join(ROOT, 'scripts', 'demo.mjs'), '--output', output], {
      env: { ...process.env, ISOFORGE_CLI: cli }
    });
    if (r.status !== 0)
      throw new Error(`npm run demo failed (is dist/ rebuilt with boot support?):\n${r.stderr}`);
    const manifest = JSON.parse(r.stdout) as { volumeId: string; boot?: { path: string }[] };
    expect(manifest.volumeId).toBe('ISOFORGE_DEMO');
    expect(manifest.boot?.map(b => b.path)).toEqual([BOOT_PATH]);
    await bootBoth(output);
  });
});
