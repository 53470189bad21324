/**
 * External peers for the tests (xorriso, bsdtar, 7zz, qemu, gpg...). Under CI
 * (ISOFORGE_REQUIRE_TOOLS=1) a missing tool fails the suite; elsewhere the suite is skipped and
 * says which tool it missed.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A command on PATH, or a file or folder when `tool` is an absolute path (a package's data). */
export function have(tool: string): boolean {
  if (path.isAbsolute(tool)) return existsSync(tool);
  return spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
}

/**
 * `describe` when every tool is present; a visible skip (or, under CI, a failure) otherwise.
 * `files`: files from packages the suite needs too (an absolute path counts as missing when absent).
 */
export function describeWith(tools: string[], name: string, fn: () => void, files: string[] = []): void {
  const missing = [...tools.filter(t => !have(t)), ...files.filter(f => !existsSync(f))];
  if (missing.length === 0) {
    describe(name, fn);
  } else if (process.env.ISOFORGE_REQUIRE_TOOLS === '1') {
    describe(name, () => {
      test(`requires ${missing.join(', ')}`, () => {
        throw new Error(
          `missing tools under ISOFORGE_REQUIRE_TOOLS=1: ${missing.join(', ')} (run scripts/install-test-tools.sh)`
        );
      });
    });
  } else {
    describe.skip(`${name} [SKIPPED: missing ${missing.join(', ')}]`, fn);
  }
}

export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; input?: string | Buffer; timeout?: number; env?: NodeJS.ProcessEnv } = {}
): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
}

/** Run and return stdout; throws with stderr on a non-zero exit. */
export function sh(
  cmd: string,
  args: string[],
  opts: { cwd?: string; input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}
): string {
  return execFileSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...opts
  });
}

export function tempDir(prefix = 'isoforge-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Free bytes where `dir` lives. */
export function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

/** Throw a clear message when a test needs more disk than there is. */
export function needDisk(dir: string, bytes: number, what: string): void {
  const free = freeBytes(dir);
  if (free < bytes) {
    throw new Error(
      `${what} needs ${(bytes / 2 ** 30).toFixed(1)} GiB free in ${dir}, only ${(free / 2 ** 30).toFixed(1)} GiB there`
    );
  }
}
