/**
 * A Linux live tree assembled at test time from Debian's packages (linux-image-amd64,
 * busybox-static, cpio, isolinux, syslinux-common, grub-efi-amd64-bin): the kernel at
 * /live/vmlinuz, an initramfs at /live/initrd.img whose /init checks the boot medium with the
 * kernel's iso9660 driver against a list made from the source before the build (LIVE_INIT says
 * how), ISOLINUX for BIOS and GRUB (EFI/BOOT/BOOTX64.EFI) for UEFI. Nothing binary is committed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { BOOT_INFO_TABLE } from '../../src/boot/bootinfo.js';
import { describeTree } from './trees.js';
import { ISOLINUX_DIR, SYSLINUX_BIOS_MODULES } from './boottrees.js';
import { sh } from './tools.js';

/** The init prints this (with the counts and the device) only when all three namespaces match. */
export const LIVE_OK = 'isoforge-live-ok:';
/** The init's first-mismatch line. */
export const LIVE_FAIL = 'isoforge-live FAIL';
/** The initramfs's path in the tree: the list cannot carry its own digest (see LIVE_INIT). */
export const INITRD = 'live/initrd.img';
export const VMLINUZ = 'live/vmlinuz';
/**
 * The image's volume id, as live systems find their medium (dracut's CDLABEL=): spaces, lower
 * case, longer than Joliet's 16 characters. busybox's findfs (volume_id) takes the Joliet label
 * unless its 16 characters equal the PVD label's first 16, so finding the whole label also says
 * the two descriptors agree.
 */
export const LIVE_LABEL = 'ISOFORGE Live 24.04 amd64';
const INITRD_MODE = 0o644;
/** A digest of a file's bytes from the boot info table's end on (mkisofs -boot-info-table patches 8-63). */
const TAIL_PREFIX = `@${BOOT_INFO_TABLE.end}:`;
/** Made by the build, not in the source (isoforge's default --boot-catalog). */
export const BOOT_CATALOG = 'boot.catalog';
const BUSYBOX = '/bin/busybox';
/** The kernel line of both loaders: the serial console; a failed init ends QEMU (-no-reboot). */
const CMDLINE = 'console=ttyS0 panic=-1 loglevel=4';
/**
 * What the medium needs under QEMU's default machine (i440FX: PIIX IDE for the CD and the disk):
 * the IDE controller, the CD (sr_mod) and disk (sd_mod) drivers, and the iso9660 driver. None is
 * built into Debian's kernel; their dependencies come from modules.dep.
 */
const MODULE_ROOTS = ['ata_piix', 'sr_mod', 'sd_mod', 'isofs'];

export interface Kernel {
  vmlinuz: string;
  modules: string;
}

/** The installed Debian kernel (the newest /boot/vmlinuz-* with its /lib/modules folder). */
export function findKernel(): Kernel {
  const versions = readdirSync('/boot')
    .filter(f => f.startsWith('vmlinuz-'))
    .map(f => f.slice('vmlinuz-'.length))
    .filter(v => readdirSync('/lib/modules').includes(v))
    .sort();
  const v = versions.at(-1);
  if (!v) throw new Error('no /boot/vmlinuz-* with /lib/modules (install linux-image-amd64)');
  return { vmlinuz: `/boot/vmlinuz-${v}`, modules: `/lib/modules/${v}` };
}

/** The .ko files of MODULE_ROOTS, dependencies first (each module's own modules.dep line). */
export function moduleOrder(modulesDir: string): string[] {
  const deps = new Map<string, string[]>();
  for (const line of readFileSync(path.join(modulesDir, 'modules.dep'), 'utf8').split('\n')) {
    const [ko, rest] = line.split(':');
    if (ko && rest !== undefined) deps.set(ko, rest.trim().split(/\s+/).filter(Boolean));
  }
  const byName = (name: string) =>
    [...deps.keys()].find(k => path.basename(k).replace(/\.ko(\.\w+)?$/, '') === name);
  const out: string[] = [];
  const visit = (ko: string) => {
    if (out.includes(ko)) return;
    for (const d of deps.get(ko) ?? []) visit(d);
    out.push(ko);
  };
  for (const m of MODULE_ROOTS) {
    const ko = byName(m);
    if (!ko) throw new Error(`${m}: not in ${modulesDir}/modules.dep`);
    if (!ko.endsWith('.ko')) throw new Error(`${ko}: compressed modules are not handled here`);
    visit(ko);
  }
  return out;
}

/**
 * The list the init checks the Rock Ridge view against, one line an entry, tab-separated:
 * path, type (file, dir, symlink), permission bits in octal (`-` for a link), SHA-256 (`-` but for
 * files), link target (`-` but for links). `*` matches anything: the initramfs (it holds this list,
 * so not its own digest) and the boot catalog (made by the build). A boot image whose boot info
 * table the build patches into the image's copy (`patched`) is listed by the digest of its bytes
 * from the table's end on, as `@64:` and that digest.
 */
export function makeList(source: string, patched: readonly string[] = []): string {
  const lines: string[] = [];
  for (const [p, e] of describeTree(source)) {
    const sha = patched.includes(p)
      ? `${TAIL_PREFIX}${createHash('sha256')
          .update(readFileSync(path.join(source, p)).subarray(BOOT_INFO_TABLE.end))
          .digest('hex')}`
      : (e.sha256 ?? '-');
    const mode = e.type === 'symlink' ? '-' : e.mode.toString(8);
    lines.push([p, e.type, mode, sha, e.target ?? '-'].join('\t'));
  }
  // made after this list, into the tree: its mode is set by makeInitramfs
  lines.push([INITRD, 'file', INITRD_MODE.toString(8), '*', '-'].join('\t'));
  lines.push([BOOT_CATALOG, 'file', '*', '*', '-'].join('\t'));
  return lines.join('\n') + '\n';
}

/**
 * /init (busybox sh). Loads the modules, waits for a block device that holds /live/vmlinuz
 * (/dev/sr0 for a CD, /dev/sda1 or /dev/sda for the disk: it says which), then mounts it three ways:
 * - Rock Ridge (`-o ro`): every path, type, mode, SHA-256 and link target equals the list, both
 *   ways (nothing missing, nothing extra), `*` fields excepted.
 * - Joliet (`-o ro,norock,check=s`): exactly the Rock Ridge view's paths, types and SHA-256 less
 *   its symbolic links (Joliet has none); every name of the tree fits Joliet's 103 UCS-2 units and
 *   none holds a character Joliet replaces, so each maps to itself. `check=s`: Linux looks Joliet
 *   names up case-insensitively by default, so `case.TXT` would open `Case.txt`.
 * - plain ISO 9660 (`-o ro,norock,nojoliet`): names are mangled (level 3, lowercased by Linux), so
 *   the check is the multiset of (type, SHA-256) of the Rock Ridge view, each symbolic link being
 *   the empty file its record is without Rock Ridge. Modes carry nowhere but Rock Ridge.
 * A boot image listed by its bytes after the boot info table (makeList's `patched`) is digested
 * the same way in every view.
 * Before those, `findfs LABEL=<LIVE_LABEL>` must name a device (`label on <device>`).
 * Prints LIVE_OK with the counts and the device when all match, else LIVE_FAIL with the namespace
 * and the first differing lines (expected `-`, seen `+`), then powers off.
 */
export const LIVE_INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mkdir -p /proc /sys /dev /m /t
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for ko in $(cat /modules.order); do insmod /modules/$ko || echo "isoforge-live: insmod $ko failed"; done
fail() { echo "${LIVE_FAIL} $*"; poweroff -f; }
# one line per entry of the tree mounted on /m: path type mode sha256 target (tab-separated)
listing() {
  (cd /m && find . -mindepth 1) | sed 's|^\\./||' | while IFS= read -r p; do
    f="/m/$p"
    if [ -L "$f" ]; then printf '%s\\tsymlink\\t-\\t-\\t%s\\n' "$p" "$(readlink "$f")"
    elif [ -d "$f" ]; then printf '%s\\tdir\\t%s\\t-\\t-\\n' "$p" "$(stat -c %a "$f")"
    else
      case "$nl$tails$nl" in
        *"$nl$p$nl"*) sha="${TAIL_PREFIX}$(tail -c +${BOOT_INFO_TABLE.end + 1} "$f" | sha256sum | cut -d' ' -f1)" ;;
        *) sha=$(sha256sum < "$f" | cut -d' ' -f1) ;;
      esac
      printf '%s\\tfile\\t%s\\t%s\\t-\\n' "$p" "$(stat -c %a "$f")" "$sha"
    fi
  done
}
# compare two listings after sorting; the first differing lines on failure
same() {
  sort "$2" > /t/e; sort "$3" > /t/a
  cmp -s /t/e /t/a && return 0
  fail "$1: $(diff /t/e /t/a | grep '^[-+][^-+]' | head -n 2 | tr '\\t\\n' ' |')"
}
nl='
'
# the boot images listed by the digest of their bytes after the boot info table
tails=$(awk -F'\\t' '$4 ~ /^${TAIL_PREFIX}/ { print $1 }' /list)
dev=
for i in $(seq 1 100); do
  for d in /dev/sr0 /dev/sr1 /dev/sda1 /dev/sda; do
    [ -b $d ] || continue
    if mount -t iso9660 -o ro $d /m 2>/dev/null; then
      if [ -f /m/${VMLINUZ} ]; then dev=$d; break 2; fi
      umount /m
    fi
  done
  sleep 0.1
done
echo "isoforge-live: partitions: $(tail -n +3 /proc/partitions | tr -s ' \\n' ' |')"
[ -n "$dev" ] || fail "no block device holds /${VMLINUZ}"
lab=$(findfs "LABEL=${LIVE_LABEL}") || fail "label: no device is LABEL=${LIVE_LABEL}"
listing > /t/rr
# the list's '*' fields are not compared: mask them in what was seen
awk -F'\\t' -v OFS='\\t' 'NR==FNR { if ($3 == "*") m[$1] = 1; if ($4 == "*") s[$1] = 1; next }
  ($1 in m) { $3 = "*" } ($1 in s) { $4 = "*" } { print }' /list /t/rr > /t/rr-masked
same rock-ridge /list /t/rr-masked
umount /m
mount -t iso9660 -o ro,norock,check=s $dev /m || fail "joliet: mount -o norock failed"
listing | cut -f1,2,4 > /t/j
awk -F'\\t' -v OFS='\\t' '$2 != "symlink" { print $1, $2, $4 }' /t/rr > /t/j-exp
same joliet /t/j-exp /t/j
umount /m
mount -t iso9660 -o ro,norock,nojoliet $dev /m || fail "iso9660: mount -o norock,nojoliet failed"
listing | cut -f2,4 > /t/p
empty=$(sha256sum < /dev/null | cut -d' ' -f1)
awk -F'\\t' -v OFS='\\t' -v e=$empty '{ if ($2 == "symlink") print "file", e; else print $2, $4 }' /t/rr > /t/p-exp
same iso9660 /t/p-exp /t/p
umount /m
# the kernel's messages go to ttyS0 too and may cut this line in two (once in CI, OVMF disk): none now
dmesg -n 1
echo "${LIVE_OK} rock-ridge $(wc -l < /t/rr), joliet $(wc -l < /t/j), iso9660 $(wc -l < /t/p) entries match on $dev, label on $lab"
poweroff -f
`;

/** The initramfs (cpio newc, uncompressed): /init, busybox, the modules in order, /list. */
export function makeInitramfs(work: string, kernel: Kernel, list: string, out: string): void {
  const root = path.join(work, 'initramfs');
  mkdirSync(path.join(root, 'bin'), { recursive: true });
  mkdirSync(path.join(root, 'modules'), { recursive: true });
  copyFileSync(BUSYBOX, path.join(root, 'bin/busybox'));
  const order = moduleOrder(kernel.modules);
  for (const ko of order)
    copyFileSync(path.join(kernel.modules, ko), path.join(root, 'modules', path.basename(ko)));
  writeFileSync(path.join(root, 'modules.order'), order.map(k => path.basename(k)).join('\n') + '\n');
  writeFileSync(path.join(root, 'list'), list);
  writeFileSync(path.join(root, 'init'), LIVE_INIT, { mode: 0o755 });
  const files = sh('find', ['.', '-mindepth', '1'], { cwd: root });
  writeFileSync(
    out,
    execFileSync('cpio', ['--quiet', '-o', '-H', 'newc', '-R', '0:0'], {
      cwd: root,
      input: files,
      maxBuffer: 1 << 28
    })
  );
  chmodSync(out, INITRD_MODE);
}

/** ISOLINUX: isolinux/isolinux.bin and ldlinux.c32, a config that boots the kernel at once. */
export function addLiveIsolinux(root: string): void {
  const dir = path.join(root, 'isolinux');
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(ISOLINUX_DIR, 'isolinux.bin'), path.join(dir, 'isolinux.bin'));
  copyFileSync(path.join(SYSLINUX_BIOS_MODULES, 'ldlinux.c32'), path.join(dir, 'ldlinux.c32'));
  writeFileSync(
    path.join(dir, 'isolinux.cfg'),
    [
      'PROMPT 0',
      'DEFAULT live',
      'LABEL live',
      `  KERNEL /${VMLINUZ}`,
      `  APPEND initrd=/${INITRD} ${CMDLINE}`,
      ''
    ].join('\n')
  );
}

/** GRUB EFI (grub-mkstandalone, config in its memdisk) at EFI/BOOT/BOOTX64.EFI: finds the ISO by the kernel. */
export function addLiveGrubEfi(root: string, work: string): void {
  const cfg = path.join(work, 'grub-live.cfg');
  writeFileSync(
    cfg,
    [
      'serial --unit=0 --speed=115200',
      'terminal_input serial',
      'terminal_output serial',
      `search --no-floppy --file /${VMLINUZ} --set=root`,
      `linux /${VMLINUZ} ${CMDLINE}`,
      `initrd /${INITRD}`,
      'boot',
      ''
    ].join('\n')
  );
  mkdirSync(path.join(root, 'EFI/BOOT'), { recursive: true });
  sh('grub-mkstandalone', [
    '-O',
    'x86_64-efi',
    '-o',
    path.join(root, 'EFI/BOOT/BOOTX64.EFI'),
    '--fonts=',
    '--locales=',
    '--themes=',
    `boot/grub/grub.cfg=${cfg}`
  ]);
}
