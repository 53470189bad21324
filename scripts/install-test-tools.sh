#!/usr/bin/env bash
# The peers the tests read, boot and verify images with (Debian/Ubuntu package names).
set -euo pipefail
PKGS=(
  xorriso genisoimage libarchive-tools 7zip
  qemu-system-x86 ovmf
  qemu-system-arm qemu-efi-aarch64 # qemu-system-aarch64 and its AAVMF firmware (test/boot-arm64.test.ts)
  isolinux syslinux-common grub-efi-amd64-bin grub-pc-bin grub-common
  mtools dosfstools gdisk
  gnupg minisign signify-openbsd isomd5sum
  time # /usr/bin/time: peak RSS in npm run bench
  python3-pycdlib # a strict reader of the images (test/support/pycdlib-walk.py, /usr/bin/python3)
  shim-signed grub-efi-amd64-signed # Secure Boot: Debian's signed shim and GRUB (test/secureboot.test.ts)
  linux-image-amd64 busybox-static cpio # the kernel's iso9660 driver reads our images (test/live-linux.test.ts)
  ipxe grub-rescue-pc memtest86+ # third-party images remastered and booted (test/remaster.test.ts)
)
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# GRUB's arm64-efi modules (test/support/arm64.ts): grub-efi-arm64-bin is an arm64 package, so it is
# downloaded and unpacked into a fixed folder rather than installed; skipped when already there.
GRUB_ARM64=/opt/isoforge-test/grub-arm64
if [ ! -f "$GRUB_ARM64/usr/lib/grub/arm64-efi/moddep.lst" ]; then
  dpkg --print-foreign-architectures | grep -qx arm64 || $SUDO dpkg --add-architecture arm64
  # the arm64 package lists come with the first update after the architecture is added
  apt-cache show grub-efi-arm64-bin:arm64 >/dev/null 2>&1 || $SUDO apt-get update -qq
  cache=/opt/isoforge-test/cache
  $SUDO mkdir -p "$cache"
  $SUDO rm -f "$cache"/grub-efi-arm64-bin_*.deb
  (cd "$cache" && $SUDO apt-get download -qq grub-efi-arm64-bin:arm64)
  $SUDO rm -rf "$GRUB_ARM64.partial"
  $SUDO dpkg -x "$cache"/grub-efi-arm64-bin_*_arm64.deb "$GRUB_ARM64.partial"
  $SUDO rm -rf "$GRUB_ARM64"
  $SUDO mv "$GRUB_ARM64.partial" "$GRUB_ARM64"
fi
