/**
 * Layouts by name: Ubuntu's live-server ISO and archiso's (support/layouts.ts), each built from one
 * tree and one ESP by the distribution's own `xorriso -as mkisofs` line and by isoforge
 * (`--boot`, `--append-partition`, a volume id with spaces), and booted 4 ways each (SeaBIOS and
 * OVMF, CD and disk) to the marker its loader read through the ISO 9660 tree. In every image the
 * ESP's bytes appear once, where the UEFI entry points; in isoforge's the GPT is valid, its
 * partition 1 starts at the partition offset 16 (sector 64, a volume descriptor set at block 32)
 * and its partition 2 is the ESP; Ubuntu's eltorito.img and MBR carry GRUB's patched addresses.
 * */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { buildGrubImages, hashTree, type GrubImages } from './support/boottrees.js';
import { FOUR_WAYS, bootLogged, needQemu, wayName } from './support/bootlog.js';
import { cli } from './support/cli.js';
import {
  ARCHISO,
  UBUNTU,
  eltoritoEntries,
  gptRows,
  makeEsp,
  occurrences,
  u64At,
  type Layout
} from './support/layouts.js';
import { describeWith, sh, tempDir } from './support/tools.js';

const TIMEOUT_MS = 90_000;
const BLOCK = 2048;
const SECTOR = 512;
/** Ubuntu's and archiso's -partition_offset 16: partition 1 from block 16, a descriptor set at 16 + 16. */
const PARTITION_OFFSET = 16;
/** GRUB2 boot info: eltorito.img's own address ×4 + 5 at bytes 2548-2555 (grub-mkrescue's --grub2-boot-info). */
const GRUB2_BOOT_INFO = 2548;
/** boot_hybrid.img: eltorito.img's address ×4 + 4 at MBR bytes 432-439. */
const GRUB2_MBR_ADDRESS = 432;
const notes: string[] = [];

interface Built {
  iso: string;
  esp: string;
}

/** What every image of a layout must show, whoever made it. */
function checkLayout(layout: Layout, b: Built): void {
  const entries = eltoritoEntries(b.iso);
  expect(entries.map(e => e.platform)).toEqual(['BIOS', 'UEFI']);
  // the ESP is stored once, and that copy is what the UEFI entry points at
  const at = occurrences(b.iso, b.esp);
  expect(at).toEqual([entries[1].lba * BLOCK]);
  if (layout === UBUNTU) {
    const lba = BigInt(entries[0].lba);
    expect(u64At(b.iso, entries[0].lba * BLOCK + GRUB2_BOOT_INFO)).toBe(lba * 4n + 5n);
    expect(u64At(b.iso, GRUB2_MBR_ADDRESS)).toBe(lba * 4n + 4n);
  }
  const vd = sh('isoinfo', ['-d', '-i', b.iso]);
  expect(vd).toContain(`Volume id: ${layout.volumeId}\n`);
}

function bootsFourWays(layout: Layout, built: () => Built): void {
  for (const way of FOUR_WAYS) {
    test(
      `${wayName(way)}: the loader prints the marker it read through the ISO 9660 tree`,
      async () => {
        const marker = way[0] === 'bios' ? layout.markers.bios : layout.markers.uefi;
        const r = await bootLogged({ image: built().iso, marker, timeoutMs: TIMEOUT_MS }, way, notes);
        expect(r.seenOn).toBe('serial console');
      },
      TIMEOUT_MS + 10_000
    );
  }
}

describeWith(
  [
    'qemu-system-x86_64',
    'xorriso',
    'isoinfo',
    'sgdisk',
    'mkfs.fat',
    'mcopy',
    'grub-mkstandalone',
    'grub-mkimage'
  ],
  'layouts by name: Ubuntu and archiso, by their own xorriso line and by isoforge, boot 4 ways',
  () => {
    const t = tempDir('isoforge-layouts-');
    let grub: GrubImages;
    const sizes = new Map<string, number>();

    beforeAll(() => {
      needQemu();
      grub = buildGrubImages(path.join(t.dir, 'grub'));
    });
    afterAll(() => {
      t.cleanup();
      const size = [...sizes].map(([k, v]) => `${k}: ${v} bytes (${(v / 2 ** 20).toFixed(2)} MiB)`);
      console.log(`layouts by name (TCG):\n  ${[...size, ...notes].join('\n  ')}`);
    });

    for (const [key, layout] of [
      ['ubuntu', UBUNTU],
      ['archiso', ARCHISO]
    ] as const) {
      describe(layout.name, () => {
        const work = path.join(t.dir, key);
        const src = path.join(work, 'src');
        const xorriso: Built = { iso: path.join(work, `${key}-xorriso.iso`), esp: '' };
        const ours: Built = { iso: path.join(work, `${key}-isoforge.iso`), esp: '' };

        beforeAll(() => {
          layout.tree(src, grub);
          xorriso.esp = ours.esp = makeEsp(work, grub);
          sh('xorriso', layout.xorriso(src, xorriso.esp, xorriso.iso), {
            env: { SOURCE_DATE_EPOCH: '1700000000' }
          });
          sizes.set(`${key} xorriso`, statSync(xorriso.iso).size);
        });

        describe("by the distribution's xorriso line", () => {
          test('the ESP is stored once, where the UEFI entry points; GRUB/ISOLINUX addresses; the volume id', () =>
            checkLayout(layout, xorriso));
          bootsFourWays(layout, () => xorriso);
        });

        describe('by isoforge', () => {
          beforeAll(async () => {
            const before = hashTree(src);
            const r = await cli([
              'build',
              ...['--source', src, '--output', ours.iso, '--volume-id', layout.volumeId],
              ...layout.isoforge(ours.esp),
              ...['--source-date-epoch', '1700000000']
            ]);
            if (r.code !== 0) throw new Error(`isoforge build: ${r.err}`);
            expect(hashTree(src)).toBe(before);
            sizes.set(`${key} isoforge`, statSync(ours.iso).size);
          });

          test('the same checks, a valid GPT from the partition offset with the ESP as partition 2, verify passes', async () => {
            checkLayout(layout, ours);
            expect(sh('sgdisk', ['-v', ours.iso])).toContain('No problems found');
            const rows = gptRows(ours.iso);
            expect(rows.find(r => r.n === 1)?.first).toBe((PARTITION_OFFSET * BLOCK) / SECTOR);
            const esp = rows.find(r => r.n === 2);
            expect(esp?.code).toBe('EF00');
            expect(esp!.first * SECTOR).toBe(eltoritoEntries(ours.iso)[1].lba * BLOCK);
            expect(
              sh('dd', [
                `if=${ours.iso}`,
                `bs=${BLOCK}`,
                `skip=${2 * PARTITION_OFFSET}`,
                'count=1',
                'status=none'
              ]).slice(1, 6)
            ).toBe('CD001');
            // not the ESP twice: within a MiB of the distribution's own image
            expect(statSync(ours.iso).size).toBeLessThan(statSync(xorriso.iso).size + 2 ** 20);
            const v = await cli(['verify', '--image', ours.iso, '--expect-boot', 'bios,uefi']);
            expect(v.err).toBe('');
            expect(v.code).toBe(0);
          });
          bootsFourWays(layout, () => ours);
        });
      });
    }
  }
);
