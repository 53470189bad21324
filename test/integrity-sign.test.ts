/**
 * Integrity end to end, checked with the reference tools: sha256sum/sha512sum, gpg, minisign,
 * checkisomd5, signify. Fresh keys every run (one password-protected minisign key: scrypt costs
 * ~7 s per use).
 */
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
  openSync,
  writeSync,
  closeSync,
  readSync
} from 'node:fs';
import * as path from 'node:path';
import { IsoforgeError } from '../src/errors.js';
import * as openpgp from 'openpgp';
import { parseManifest, serializeManifest } from '../src/integrity/index.js';
import { buildWith } from './support/build.js';
import { describeWith, run, sh, tempDir } from './support/tools.js';

const PW_ED = 'ed-pass phrase 1';
const PW_RSA = 'rsa-pass phrase 2';
const PW_MINI = 'minisign-pw-3';

describeWith(
  ['gpg', 'gpgconf', 'minisign', 'sha256sum', 'sha512sum', 'checkisomd5', 'signify-openbsd'],
  'integrity: checksums, manifest, implanted MD5, OpenPGP and minisign',
  () => {
    let tmp: ReturnType<typeof tempDir>;
    let home: string;
    let src: string;
    const env = () => ({ ...process.env, GNUPGHOME: home });
    const gpg = (args: string[], input?: string) => run('gpg', ['--batch', ...args], { env: env(), input });
    const keys: Record<string, { armored: string; fpr: string }> = {};
    const mini: Record<string, { key: string; pub: string }> = {};

    function genGpg(
      name: string,
      algo: string,
      pass: string,
      extra: string[] = [],
      expire = 'never'
    ): string {
      const uid = `${name} <${name}@example.org>`;
      const r = gpg([
        ...extra,
        '--pinentry-mode',
        'loopback',
        '--passphrase',
        pass,
        '--quick-gen-key',
        uid,
        algo,
        'sign',
        expire
      ]);
      if (r.status !== 0) throw new Error(r.stderr);
      const list = gpg(['--with-colons', '--list-keys', uid]).stdout;
      const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(list)![1];
      return fpr;
    }
    function exportSecret(fpr: string, pass: string): string {
      const r = gpg([
        '--pinentry-mode',
        'loopback',
        '--passphrase',
        pass,
        '--armor',
        '--export-secret-keys',
        fpr
      ]);
      if (r.status !== 0 || !r.stdout.includes('PRIVATE KEY')) throw new Error(r.stderr);
      return r.stdout;
    }

    beforeAll(async () => {
      // keys gpg 2.2 cannot verify (RFC 9580 Ed25519, algorithm 27; a v6 key)
      for (const [n, cfg] of [
        ['algo27', {}],
        ['v6', { v6Keys: true }]
      ] as const) {
        const k = await openpgp.generateKey({
          type: 'curve25519',
          userIDs: [{ name: n }],
          format: 'armored',
          config: cfg
        });
        keys[n] = { fpr: '', armored: k.privateKey };
      }
      tmp = tempDir('isoforge-integrity-');
      home = path.join(tmp.dir, 'g');
      mkdirSync(home, { mode: 0o700 });
      for (const [n, algo, pw] of [
        ['ed', 'ed25519', PW_ED],
        ['rsa', 'rsa3072', PW_RSA]
      ] as const) {
        const fpr = genGpg(n, algo, pw);
        keys[n] = { fpr, armored: exportSecret(fpr, pw) };
      }
      // expired: made in 2020, valid for one day
      const old = genGpg('old', 'ed25519', 'x', ['--faked-system-time', '20200101T000000!'], '1d');
      keys.expired = { fpr: old, armored: exportSecret(old, 'x') };
      // revoked: import the revocation certificate gpg made with the key
      const rev = genGpg('rev', 'ed25519', 'x');
      const cert = readFileSync(path.join(home, 'openpgp-revocs.d', `${rev}.rev`), 'utf8').replace(
        /^:-----/m,
        '-----'
      );
      if (gpg(['--import'], cert).status !== 0) throw new Error('revocation import failed');
      keys.revoked = { fpr: rev, armored: exportSecret(rev, 'x') };
      keys.public = { fpr: keys.ed.fpr, armored: gpg(['--armor', '--export', keys.ed.fpr]).stdout };

      for (const [n, args, input] of [
        ['enc', [], `${PW_MINI}\n${PW_MINI}\n`],
        ['open', ['-W'], '']
      ] as const) {
        const k = path.join(tmp.dir, `${n}.key`);
        const p = path.join(tmp.dir, `${n}.pub`);
        sh('minisign', ['-G', ...args, '-p', p, '-s', k], { input });
        mini[n] = { key: readFileSync(k, 'utf8'), pub: p };
      }

      src = path.join(tmp.dir, 'src');
      mkdirSync(path.join(src, 'boot', 'deep'), { recursive: true });
      const big = Buffer.alloc(1536 * 1024);
      for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i);
      writeFileSync(path.join(src, 'big.bin'), big);
      writeFileSync(path.join(src, 'README.txt'), 'hello isoforge\n');
      writeFileSync(path.join(src, 'boot', 'deep', 'cfg'), 'x'.repeat(5000));
      writeFileSync(path.join(src, 'empty'), '');
      symlinkSync('README.txt', path.join(src, 'link'));
    }, 120_000);

    afterAll(() => {
      run('gpgconf', ['--kill', 'gpg-agent'], { env: env() });
      tmp?.cleanup();
    });

    const outDir = (n: string) => {
      const d = path.join(tmp.dir, n);
      mkdirSync(d);
      return d;
    };

    test('sha256/sha512 sums, OpenPGP, minisign and the implanted MD5 all verify; a flipped byte fails each', async () => {
      const out = outDir('full');
      const iso = path.join(out, 'full.iso');
      const r = await buildWith({
        source: src,
        output: iso,
        'volume-id': 'FULL',
        checksums: 'sha256,sha512',
        'implant-md5': 'true',
        'gpg-private-key': keys.ed.armored,
        'gpg-passphrase': PW_ED,
        'minisign-private-key': mini.enc.key,
        'minisign-password': PW_MINI
      });
      const files = readdirSync(out).sort();
      expect(files).toEqual(
        [
          'SHA256SUMS',
          'SHA256SUMS.asc',
          'SHA256SUMS.minisig',
          'SHA512SUMS',
          'SHA512SUMS.asc',
          'SHA512SUMS.minisig',
          'full.iso',
          'full.iso.asc',
          'full.iso.manifest.json',
          'full.iso.minisig'
        ].sort()
      );
      const checks = (): Record<string, number | null> => ({
        sha256sum: run('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: out }).status,
        sha512sum: run('sha512sum', ['-c', '--strict', 'SHA512SUMS'], { cwd: out }).status,
        gpgImage: gpg(['--verify', `${iso}.asc`, iso]).status,
        minisignImage: run('minisign', ['-V', '-p', mini.enc.pub, '-m', iso]).status,
        checkisomd5: run('checkisomd5', [iso], { input: '' }).status
      });
      expect(checks()).toEqual({ sha256sum: 0, sha512sum: 0, gpgImage: 0, minisignImage: 0, checkisomd5: 0 });
      // the image's signature comes from the SHA-256 tapped while writing (digest algo 8)
      expect(gpg(['--list-packets', `${iso}.asc`]).stdout).toMatch(/digest algo 8,/);
      const gv = gpg(['--verify', path.join(out, 'SHA256SUMS.asc'), path.join(out, 'SHA256SUMS')]);
      expect(gv.stderr).toContain('Good signature');
      expect(gpg(['--verify', path.join(out, 'SHA512SUMS.asc'), path.join(out, 'SHA512SUMS')]).status).toBe(
        0
      );
      for (const f of ['SHA256SUMS', 'SHA512SUMS']) {
        const v = run('minisign', ['-V', '-p', mini.enc.pub, '-m', path.join(out, f)]);
        expect(v.status).toBe(0);
        expect(v.stdout).toContain(`file:${f}\thashed`);
      }
      const mv = run('minisign', ['-V', '-p', mini.enc.pub, '-m', iso]);
      expect(mv.stdout).toContain(`timestamp:${r.image.epoch}\tfile:full.iso\thashed`);

      // the manifest: every file with its SHA-256, the image's digest, byte-stable serialization
      const text = readFileSync(`${iso}.manifest.json`, 'utf8');
      const m = parseManifest(text, `${iso}.manifest.json`);
      expect(serializeManifest(m)).toBe(text);
      expect(m.image.sha256).toBe(sh('sha256sum', [iso]).split(' ')[0]);
      expect(m.image.sha512).toBe(sh('sha512sum', [iso]).split(' ')[0]);
      expect(m.image.md5Implanted).toBe(true);
      const files2 = m.entries.filter(e => e.type === 'file');
      expect(files2.map(e => e.path).sort()).toEqual(['README.txt', 'big.bin', 'boot/deep/cfg', 'empty']);
      for (const e of files2) {
        expect(e.sha256).toBe(sh('sha256sum', [path.join(src, e.path)]).split(' ')[0]);
      }
      expect(m.entries.find(e => e.path === 'link')).toMatchObject({ type: 'symlink', target: 'README.txt' });
      expect(r.sidecars.signatures.map(s => [s.kind, path.basename(s.path), s.keyId])).toEqual(
        expect.arrayContaining([
          ['openpgp', 'full.iso.asc', keys.ed.fpr],
          ['minisign', 'full.iso.minisig', expect.stringMatching(/^[0-9A-F]+$/)]
        ])
      );
      const pubId = /minisign public key ([0-9A-F]+)/.exec(readFileSync(mini.enc.pub, 'utf8'))![1];
      expect(r.sidecars.signatures.find(s => s.kind === 'minisign')!.keyId).toBe(pubId);

      // no secret in the log
      const logText = JSON.stringify(r.log.lines);
      for (const secret of [PW_ED, PW_MINI, ...keyBodyLines(keys.ed.armored), mini.enc.key.split('\n')[1]]) {
        expect(logText).not.toContain(secret);
      }

      // one byte changed inside big.bin's data: every check fails
      const big = m.entries.find(e => e.path === 'big.bin')!;
      flipByte(iso, big.lba! * 2048 + 777_777);
      const after = checks();
      for (const [k, v] of Object.entries(after)) expect([k, v]).not.toEqual([k, 0]);
    }, 300_000);

    test('RSA key, unencrypted minisign key, BSD lines merged into an existing file (signify -C accepts it)', async () => {
      const out = outDir('bsd');
      writeFileSync(path.join(out, 'other.img'), 'other image\n');
      const otherSum = sh('sha256sum', ['--tag', 'other.img'], { cwd: out });
      const stale = `SHA256 (b.iso) = ${'0'.repeat(64)}\n`;
      writeFileSync(path.join(out, 'SHA256SUMS'), otherSum + stale);
      const flags = {
        source: src,
        'volume-id': 'BSD',
        'checksum-format': 'bsd',
        'gpg-private-key': keys.rsa.armored,
        'gpg-passphrase': PW_RSA,
        'minisign-private-key': mini.open.key
      };
      await buildWith({ ...flags, output: path.join(out, 'b.iso') });
      await buildWith({ ...flags, output: path.join(out, 'a.iso'), 'volume-id': 'A' });
      const sums = readFileSync(path.join(out, 'SHA256SUMS'), 'utf8').trimEnd().split('\n');
      expect(sums[0]).toBe(otherSum.trimEnd());
      expect(sums[1]).toBe(`SHA256 (b.iso) = ${sh('sha256sum', [path.join(out, 'b.iso')]).split(' ')[0]}`);
      expect(sums[2]).toMatch(/^SHA256 \(a\.iso\) = [0-9a-f]{64}$/);
      expect(sums).toHaveLength(3);
      expect(run('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: out }).status).toBe(0);
      for (const f of ['a.iso', 'b.iso', 'SHA256SUMS']) {
        expect(gpg(['--verify', path.join(out, `${f}.asc`), path.join(out, f)]).status).toBe(0);
        expect(run('minisign', ['-V', '-p', mini.open.pub, '-m', path.join(out, f)]).status).toBe(0);
      }
      expect(readdirSync(out).filter(f => f.startsWith('SHA512'))).toEqual([]);
      // signify -C reads BSD lines only
      const spub = path.join(tmp.dir, 's.pub');
      const ssec = path.join(tmp.dir, 's.sec');
      sh('signify-openbsd', ['-G', '-n', '-p', spub, '-s', ssec]);
      sh('signify-openbsd', [
        '-S',
        '-e',
        '-s',
        ssec,
        '-m',
        path.join(out, 'SHA256SUMS'),
        '-x',
        path.join(out, 'S.sig')
      ]);
      const c = run('signify-openbsd', ['-C', '-p', spub, '-x', 'S.sig'], { cwd: out });
      expect(c.stderr + c.stdout).toMatch(/b\.iso: OK/);
      expect(c.status).toBe(0);
    }, 300_000);

    test('an ECDSA key (signed by openpgp.js streaming the image) verifies with gpg too', async () => {
      const fpr = genGpg('ecdsa', 'nistp256', 'e');
      const out = outDir('ecdsa');
      const iso = path.join(out, 'e.iso');
      const r = await buildWith({
        source: src,
        output: iso,
        'gpg-private-key': exportSecret(fpr, 'e'),
        'gpg-passphrase': 'e'
      });
      expect(r.sidecars.signatures.map(s => s.keyId)).toEqual([fpr, fpr]);
      expect(gpg(['--verify', `${iso}.asc`, iso]).status).toBe(0);
      expect(gpg(['--verify', path.join(out, 'SHA256SUMS.asc'), path.join(out, 'SHA256SUMS')]).status).toBe(
        0
      );
      flipByte(iso, 40 * 2048);
      expect(gpg(['--verify', `${iso}.asc`, iso]).status).not.toBe(0);
    }, 120_000);

    describe('bad input: a one-line error before any output', () => {
      const cases: [string, () => Record<string, string>, RegExp][] = [
        [
          'wrong passphrase',
          () => ({ 'gpg-private-key': keys.ed.armored, 'gpg-passphrase': 'nope' }),
          /--gpg-passphrase: wrong passphrase/
        ],
        ['no passphrase', () => ({ 'gpg-private-key': keys.rsa.armored }), /--gpg-passphrase/],
        ['public key', () => ({ 'gpg-private-key': keys.public.armored }), /public key/],
        [
          'garbage key',
          () => ({ 'gpg-private-key': 'not a key at all' }),
          /--gpg-private-key: not an ASCII-armored/
        ],
        [
          'expired key',
          () => ({ 'gpg-private-key': keys.expired.armored, 'gpg-passphrase': 'x' }),
          /has expired/
        ],
        [
          'revoked key',
          () => ({ 'gpg-private-key': keys.revoked.armored, 'gpg-passphrase': 'x' }),
          /is revoked/
        ],
        [
          'RFC 9580 Ed25519 key',
          () => ({ 'gpg-private-key': keys.algo27.armored }),
          /algorithm 27.*gpg 2\.2.*curve25519Legacy/
        ],
        ['v6 key', () => ({ 'gpg-private-key': keys.v6.armored }), /v6 \(RFC 9580\) key.*gpg 2\.2/],
        ['unknown checksum', () => ({ checksums: 'sha256,md5' }), /--checksums: "md5"/],
        [
          'minisign public key',
          () => ({ 'minisign-private-key': readFileSync(mini.enc.pub, 'utf8') }),
          /public key/
        ],
        [
          'minisign garbage',
          () => ({ 'minisign-private-key': 'untrusted comment: x\nAAAA\n' }),
          /not a minisign secret key/
        ],
        [
          'minisign without password',
          () => ({ 'minisign-private-key': mini.enc.key }),
          /--minisign-password/
        ],
        [
          'wrong minisign password',
          () => ({ 'minisign-private-key': mini.enc.key, 'minisign-password': 'bad' }),
          /wrong password/
        ]
      ];
      test.each(cases)(
        '%s',
        async (name, flags, message) => {
          const out = outDir(`bad-${name.replace(/\W+/g, '-')}`);
          const f = flags();
          const err = await buildWith({
            source: src,
            output: path.join(out, 'x.iso'),
            'implant-md5': 'true',
            ...f
          }).then(
            () => undefined,
            (e: unknown) => e
          );
          expect(err).toBeInstanceOf(IsoforgeError);
          const msg = (err as Error).message;
          expect(msg).toMatch(message);
          expect(msg).not.toContain('\n');
          for (const v of Object.values(f))
            if (v.length > 20 || /pass|nope|bad/.test(v)) expect(msg).not.toContain(v);
          expect(readdirSync(out)).toEqual([]);
        },
        120_000
      );
    });
  }
);

function keyBodyLines(armored: string): string[] {
  return armored.split('\n').filter(l => /^[A-Za-z0-9+/=]{40,}$/.test(l));
}

function flipByte(file: string, offset: number): void {
  const fd = openSync(file, 'r+');
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, offset);
  b[0] ^= 0x5a;
  writeSync(fd, b, 0, 1, offset);
  closeSync(fd);
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
