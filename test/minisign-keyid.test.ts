/**
 * One minisign format for build and verify (src/integrity/minisign.ts), checked against the real
 * minisign: keys whose id starts with zero hex digits are written by our secret key writer, their
 * public key recreated by `minisign -R`, and build, verify and minisign must name the same key id
 * (minisign prints `%" PRIX64`: no leading zeros).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../src/cli/main.js';
import {
  keyId,
  parsePublicKey,
  parseSignature,
  publicKeyFile,
  secretKeyFile
} from '../src/integrity/minisign.js';
import { buildWith } from './support/build.js';
import { describeWith, run, sh, tempDir } from './support/tools.js';

async function verifyCli(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(['verify', ...argv], {
    stdout: s => (out += s),
    stderr: s => (out += s),
    env: {},
    isTTY: false
  });
  return { code, out };
}

const minisignRow = (out: string) =>
  out.split('\n').find(l => l.startsWith('signature (minisign) ')) ?? `(no minisign row in ${out})`;

/** A keynum whose little-endian u64 is `id`. */
function keynumOf(id: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(id);
  return b;
}

/** Ids with one, four and eight leading zero hex digits. */
const IDS = [0x0123456789abcdefn, 0x0000f00dcafe1234n, 0x00000000deadbeefn];

describeWith(['minisign', 'xorriso'], 'minisign key ids: build, verify and minisign agree', () => {
  const t = tempDir('isoforge-minisign-');
  const src = path.join(t.dir, 'src');
  afterAll(() => t.cleanup());
  beforeAll(() => {
    mkdirSync(src);
    writeFileSync(path.join(src, 'hello.txt'), 'hello minisign\n');
  });

  /** our secret key file for `id`, and the public key minisign -R makes of it */
  function keyPair(name: string, id: bigint): { key: string; pub: string; minisignId: string } {
    const key = path.join(t.dir, `${name}.key`);
    const pub = path.join(t.dir, `${name}.pub`);
    const seed = Buffer.alloc(32, Number(id & 0xffn) ^ 0x5a);
    writeFileSync(key, secretKeyFile(keynumOf(id), seed));
    sh('minisign', ['-R', '-s', key, '-p', pub], { input: '' });
    const minisignId = /^untrusted comment: minisign public key ([0-9A-F]+)$/m.exec(
      readFileSync(pub, 'utf8')
    )![1];
    return { key, pub, minisignId };
  }

  test.each(IDS.map(id => [id.toString(16).padStart(16, '0'), id]))(
    'key %s: one id in the public key, build, the signature and verify',
    async (_name, id) => {
      const pair = keyPair(`k${id}`, id);
      expect(pair.minisignId).toBe(id.toString(16).toUpperCase());
      // our writer and reader of the public key match minisign's
      const pubText = readFileSync(pair.pub, 'utf8');
      const parsed = parsePublicKey(pubText);
      expect(parsed.keyId).toBe(pair.minisignId);
      const raw = parsed.key.export({ format: 'jwk' }).x!;
      expect(publicKeyFile(parsed.keynum, Buffer.from(raw, 'base64url'))).toBe(pubText);

      const out = path.join(t.dir, `out-${id}`);
      mkdirSync(out);
      const iso = path.join(out, 'img.iso');
      const r = await buildWith({
        source: src,
        output: iso,
        'source-date-epoch': '1700000000',
        'minisign-private-key': readFileSync(pair.key, 'utf8')
      });
      const built = r.sidecars.signatures.find(s => s.kind === 'minisign')!;
      expect(built.keyId).toBe(pair.minisignId);
      expect(r.log.lines.map(l => l.message)).toContain(`minisign key ${pair.minisignId}`);
      const sigText = readFileSync(`${iso}.minisig`, 'utf8');
      expect(sigText.split('\n')[0]).toBe(
        `untrusted comment: signature from isoforge, minisign key ${pair.minisignId}`
      );
      const sig = parseSignature(sigText);
      expect(typeof sig === 'string' ? sig : [sig.alg, sig.keyId]).toEqual(['ED', pair.minisignId]);

      const mv = run('minisign', ['-V', '-p', pair.pub, '-m', iso]);
      expect([mv.status, mv.stdout]).toEqual([
        0,
        expect.stringContaining('Signature and comment signature verified')
      ]);
      const v = await verifyCli(['--image', iso, '--minisign-public-key', pair.pub]);
      expect([v.code, minisignRow(v.out)]).toEqual([
        0,
        expect.stringMatching(new RegExp(`pass +good minisign signature by key ${pair.minisignId}$`))
      ]);
    },
    60_000
  );

  test('a signature by another key names both ids as minisign -V does', async () => {
    const mine = keyPair('mine', IDS[0]);
    const other = keyPair('other', IDS[2]);
    const out = path.join(t.dir, 'out-other');
    mkdirSync(out);
    const iso = path.join(out, 'img.iso');
    await buildWith({ source: src, output: iso, 'source-date-epoch': '1700000000' });
    // the real minisign reads our secret key file and signs with it
    sh('minisign', ['-S', '-s', other.key, '-m', iso], { input: '' });
    const mv = run('minisign', ['-V', '-p', mine.pub, '-m', iso]);
    const ids = /key id in .* is ([0-9A-F]+)\nbut the key id in the public key is ([0-9A-F]+)/.exec(
      mv.stderr
    );
    expect([mv.status, ids?.slice(1)]).toEqual([1, [other.minisignId, mine.minisignId]]);
    const v = await verifyCli(['--image', iso, '--minisign-public-key', mine.pub]);
    expect([v.code, minisignRow(v.out)]).toEqual([
      1,
      expect.stringMatching(
        new RegExp(`FAIL +signed by key ${other.minisignId}, not by the given key ${mine.minisignId}$`)
      )
    ]);
  });

  test('keyId is the little-endian keynum without leading zeros', () => {
    expect(IDS.map(id => keyId(keynumOf(id)))).toEqual(['123456789ABCDEF', 'F00DCAFE1234', 'DEADBEEF']);
    expect(keyId(Buffer.from('efcdab8967452301', 'hex'))).toBe('123456789ABCDEF');
  });
});
