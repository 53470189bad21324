/** Windows and macOS differences, simulated: separators, case-insensitive names, missing POSIX modes. */
import type { constants as fsConstants } from 'node:fs';
import {
  collisionKey,
  createExclusiveFlags,
  directWriteFlag,
  foldsCase,
  hostNameProblem,
  imagePathFromUser,
  isInside,
  nameKey,
  permissionBits,
  symlinkNotPermitted,
  toImagePath
} from '../src/platform.js';

test('user paths inside the source: Windows separators, no escaping the tree', () => {
  expect(imagePathFromUser('isolinux\\isolinux.bin', 'bios-boot', 'win32')).toBe('isolinux/isolinux.bin');
  expect(imagePathFromUser('./EFI/', 'uefi-boot', 'linux')).toBe('EFI');
  expect(imagePathFromUser('a/../b/c', 'x', 'darwin')).toBe('b/c');
  expect(() => imagePathFromUser('../etc/passwd', 'bios-boot', 'linux')).toThrow(
    '--bios-boot: "../etc/passwd" leaves the source directory'
  );
  expect(() => imagePathFromUser('/etc/passwd', 'bios-boot', 'linux')).toThrow('not an absolute path');
  expect(() => imagePathFromUser('C:\\boot\\x.bin', 'bios-boot', 'win32')).toThrow('not an absolute path');
  expect(() => imagePathFromUser('..\\..\\x', 'bios-boot', 'win32')).toThrow('leaves the source directory');
  // on Linux a backslash is part of a name
  expect(imagePathFromUser('a\\b', 'x', 'linux')).toBe('a\\b');
  expect(toImagePath('dir\\file.txt', 'win32')).toBe('dir/file.txt');
});

test('case folding by platform', () => {
  expect(foldsCase('win32')).toBe(true);
  expect(foldsCase('darwin')).toBe(true);
  expect(foldsCase('linux')).toBe(false);
  expect(nameKey('Case.txt', 'win32')).toBe(nameKey('case.TXT', 'win32'));
  expect(nameKey('Case.txt', 'linux')).not.toBe(nameKey('case.TXT', 'linux'));
  // NFC and NFD spellings of one name are one name
  expect(nameKey('e\u0301', 'darwin')).toBe(nameKey('\u00e9', 'darwin'));
});

test('modes: Windows has none, so defaults are recorded', () => {
  expect(permissionBits('file', 0o100666, 'win32')).toBe(0o644);
  expect(permissionBits('file', 0o100444, 'win32')).toBe(0o444);
  expect(permissionBits('dir', 0o040666, 'win32')).toBe(0o755);
  expect(permissionBits('file', 0o100750, 'linux')).toBe(0o750);
  expect(permissionBits('symlink', 0o120777, 'darwin')).toBe(0o777);
});

test('output inside the source, compared as each file system does', () => {
  expect(isInside('/src', '/src/out.iso', 'linux')).toBe(true);
  expect(isInside('/src', '/src2/out.iso', 'linux')).toBe(false);
  expect(isInside('/Src', '/src/out.iso', 'linux')).toBe(false);
  expect(isInside('/Src', '/src/out.iso', 'darwin')).toBe(true);
  expect(isInside('C:\\Work\\Src', 'c:\\work\\src\\x.iso', 'win32')).toBe(true);
  expect(isInside('C:\\Work\\Src', 'C:/Work/Src/x.iso', 'win32')).toBe(true);
});

test('direct I/O for the image only where open(2) has O_DIRECT (Linux)', () => {
  expect(directWriteFlag('linux', { O_DIRECT: 0o40000 })).toBe(0o40000);
  expect(directWriteFlag('linux', {})).toBeUndefined();
  // Node on macOS and Windows has no such open flag: those write through the cache
  expect(directWriteFlag('darwin', { O_DIRECT: 0o40000 })).toBeUndefined();
  expect(directWriteFlag('win32', { O_DIRECT: 0o40000 })).toBeUndefined();
});

test('extract: names the host cannot hold, names that collide, exclusive creation, symlinks refused by policy', () => {
  expect(hostNameProblem('a:b', 'linux')).toBeUndefined();
  expect(hostNameProblem('a:b', 'win32')).toMatch(/Windows does not allow/);
  expect(hostNameProblem('trailing.', 'win32')).toMatch(/Windows does not allow/);
  expect(hostNameProblem('nul.txt', 'win32')).toBe('the Windows device name NUL');
  expect(hostNameProblem('ok name.txt', 'win32')).toBeUndefined();
  expect(collisionKey('Case.txt', 'linux')).not.toBe(collisionKey('case.TXT', 'linux'));
  expect(collisionKey('Case.txt', 'darwin')).toBe(collisionKey('case.TXT', 'darwin'));
  expect(collisionKey('Case.txt', 'win32')).toBe(collisionKey('case.TXT', 'win32'));
  const c = {
    O_WRONLY: 1,
    O_CREAT: 0x40,
    O_EXCL: 0x80,
    O_NOFOLLOW: 0x20000
  } as unknown as typeof fsConstants;
  expect(createExclusiveFlags(c)).toBe(0x200c1);
  expect(createExclusiveFlags({ ...c, O_NOFOLLOW: undefined } as unknown as typeof fsConstants)).toBe(0xc1);
  expect(symlinkNotPermitted('EPERM', 'win32')).toBe(true);
  expect(symlinkNotPermitted('EPERM', 'linux')).toBe(false);
  expect(symlinkNotPermitted('EEXIST', 'win32')).toBe(false);
});
