/** scripts/gen-action-yml.mjs runs (its list of modules to transpile is complete) and writes the committed files. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

test("the generator writes action.yml, verify/action.yml and the README's options table as committed", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'isoforge-gen-test-'));
  try {
    cpSync('src', path.join(dir, 'src'), { recursive: true });
    cpSync('scripts', path.join(dir, 'scripts'), { recursive: true });
    cpSync('README.md', path.join(dir, 'README.md'));
    symlinkSync(realpathSync('node_modules'), path.join(dir, 'node_modules'));
    execFileSync(process.execPath, ['scripts/gen-action-yml.mjs'], { cwd: dir, stdio: 'pipe' });
    for (const f of ['action.yml', 'verify/action.yml', 'README.md'])
      expect(readFileSync(path.join(dir, f), 'utf8')).toBe(readFileSync(f, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
