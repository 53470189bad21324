/**
 * The BUNDLED build action remastering an image of the current run: `source-image:
 * artifact:NAME` is downloaded from the loopback results service (uploaded there by a first build
 * action step), an overlay laid over it and the volume id kept. Needs `npm run bundle` first.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startFakeResults, type FakeResults } from './support/fake-results.js';
import { runAction, runnerEnv } from './support/run-action.js';
import { describeWith, sh, tempDir } from './support/tools.js';

describeWith(
  ['tar', 'zstd', 'bsdtar', 'isoinfo'],
  'the bundled action remasters an artifact of the run',
  () => {
    let fake: FakeResults;
    let tmp: { dir: string; cleanup: () => void };
    let env: NodeJS.ProcessEnv;
    let ws: string;

    beforeAll(async () => {
      fake = await startFakeResults();
      tmp = tempDir('isoforge-remaster-action-');
      ws = path.join(tmp.dir, 'ws');
      mkdirSync(path.join(ws, 'tree'), { recursive: true });
      mkdirSync(path.join(ws, 'overlay'), { recursive: true });
      mkdirSync(path.join(tmp.dir, 'temp'));
      writeFileSync(path.join(ws, 'tree', 'hello.txt'), 'hello\n');
      writeFileSync(path.join(ws, 'overlay', 'autoinstall.yaml'), 'autoinstall:\n  version: 1\n');
      const eventPath = path.join(tmp.dir, 'event.json');
      writeFileSync(eventPath, '{}');
      env = runnerEnv({
        runId: '9',
        ref: 'refs/heads/topic',
        workspace: ws,
        runnerTemp: path.join(tmp.dir, 'temp'),
        eventPath,
        service: fake.env('run-9', 'job-9')
      });
      const built = await runAction(
        'dist/index.js',
        { source: 'tree', 'volume-id': 'UPSTREAM', baseline: 'false' },
        env,
        ws
      );
      if (built.code !== 0) throw new Error(`build action failed: ${built.stdout}`);
    });
    afterAll(async () => {
      await fake?.close();
      tmp?.cleanup();
    });

    test('source-image artifact:NAME is downloaded; the overlay file is added and the volume id kept', async () => {
      const out = path.join(tmp.dir, 'remastered.iso');
      const r = await runAction(
        'dist/index.js',
        {
          'source-image': 'artifact:upstream.iso',
          source: 'overlay',
          output: out,
          baseline: 'false',
          upload: 'false'
        },
        env,
        ws
      );
      expect(r.commands.filter(c => c.command === 'error')).toEqual([]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('downloaded artifact upstream.iso');
      expect(
        sh('bsdtar', ['-tf', out])
          .split('\n')
          .filter(l => l !== '' && l !== '.')
          .sort()
      ).toEqual(['autoinstall.yaml', 'hello.txt']);
      expect(sh('isoinfo', ['-d', '-i', out])).toMatch(/Volume id: UPSTREAM/);
    });

    test('an artifact the run does not have: the step fails naming the input', async () => {
      const r = await runAction(
        'dist/index.js',
        {
          'source-image': 'artifact:nope.iso',
          output: path.join(tmp.dir, 'x.iso'),
          baseline: 'false',
          upload: 'false'
        },
        env,
        ws
      );
      expect(r.code).not.toBe(0);
      const errors = r.commands.filter(c => c.command === 'error').map(c => c.message);
      expect(errors.join('\n')).toMatch(/input source-image: no artifact "nope\.iso" in this run/);
    });
  }
);

describeWith(['grub-mkrescue', 'xorriso', 'mformat'], 'the bundled action: replay-boot without-apm', () => {
  test("a grub-mkrescue image: without-apm builds with one warning naming the APM; true fails naming the input's way out", async () => {
    const tmp = tempDir('isoforge-remaster-action-apm-');
    try {
      const ws = path.join(tmp.dir, 'ws');
      mkdirSync(path.join(ws, 'tree/boot/grub'), { recursive: true });
      mkdirSync(path.join(tmp.dir, 'temp'));
      writeFileSync(path.join(ws, 'tree/boot/grub/grub.cfg'), 'echo hello\n');
      sh('grub-mkrescue', ['-o', path.join(ws, 'rescue.iso'), path.join(ws, 'tree')]);
      const eventPath = path.join(tmp.dir, 'event.json');
      writeFileSync(eventPath, '{}');
      const env = runnerEnv({
        runId: '9',
        ref: 'refs/heads/topic',
        workspace: ws,
        runnerTemp: path.join(tmp.dir, 'temp'),
        eventPath,
        service: {}
      });
      const step = (replay: string, output: string) =>
        runAction(
          'dist/index.js',
          { 'source-image': 'rescue.iso', 'replay-boot': replay, output, baseline: 'false', upload: 'false' },
          env,
          ws
        );
      const ok = await step('without-apm', path.join(tmp.dir, 'out.iso'));
      expect(ok.commands.filter(c => c.command === 'error')).toEqual([]);
      expect(ok.code).toBe(0);
      const warnings = ok.commands.filter(c => c.command === 'warning').map(c => c.message);
      expect(warnings.filter(w => /Apple partition map/.test(w))).toEqual([
        expect.stringContaining('dropped the Apple partition map (APM) and its HFS+ file system')
      ]);
      const refused = await step('true', path.join(tmp.dir, 'refused.iso'));
      expect(refused.code).not.toBe(0);
      const errors = refused.commands.filter(c => c.command === 'error').map(c => c.message);
      expect(errors.join('\n')).toMatch(/replay-boot.*cannot replay the Apple partition map.*without-apm/);
    } finally {
      tmp.cleanup();
    }
  });
});
