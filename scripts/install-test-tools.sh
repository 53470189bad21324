#!/usr/bin/env bash
# The peers the tests read, boot and verify images with (Debian/Ubuntu package names).
set -euo pipefail
PKGS=(
  xorriso genisoimage libarchive-tools 7zip
  qemu-system-x86 ovmf
  isolinux syslinux-common grub-efi-amd64-bin grub-pc-bin grub-common
  mtools dosfstools gdisk
  gnupg minisign signify-openbsd isomd5sum
  time # /usr/bin/time: peak RSS in npm run bench
  python3-pycdlib # a strict reader of the images (test/support/pycdlib-walk.py, /usr/bin/python3)
  linux-image-amd64 busybox-static cpio # the kernel's iso9660 driver reads our images (test/live-linux.test.ts)
)
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
