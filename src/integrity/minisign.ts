/**
 * minisign (jedisct1/minisign src/minisign.h) with node:crypto only, plus BLAKE2b-256 from
 * @noble/hashes for the secret key's checksum.
 * Secret key file: `untrusted comment: …` then base64 of
 *   sig_alg "Ed" (2) | kdf_alg "Sc" or 0,0 (2) | chk_alg "B2" (2) | kdf_salt (32) |
 *   kdf_opslimit LE (8) | kdf_memlimit LE (8) | keynum (8) | sk (64) | chk (32)
 * where keynum‖sk‖chk is XORed with scrypt(password) for "Sc", sk = Ed25519 seed ‖ public key and
 * chk = BLAKE2b-256(sig_alg ‖ keynum ‖ sk).
 * Signature file (prehashed "ED"): untrusted comment, base64("ED" ‖ keynum ‖ Ed25519(BLAKE2b-512
 * of the file)), `trusted comment: …`, base64(Ed25519(signature ‖ trusted comment)).
 */
import { blake2b } from '@noble/hashes/blake2.js';
import { createHash, createPrivateKey, scrypt, sign, timingSafeEqual, type KeyObject } from 'node:crypto';
import { IsoforgeError } from '../errors.js';

const OPTION = '--minisign-private-key';
const SIG_ALG = Buffer.from('Ed', 'latin1');
const SIG_ALG_HASHED = Buffer.from('ED', 'latin1');
const KDF_SCRYPT = Buffer.from('Sc', 'latin1');
const KDF_NONE = Buffer.from([0, 0]);
const CHK_ALG = Buffer.from('B2', 'latin1');
// byte offsets in the decoded secret key
const SK = {
  sigAlg: 0,
  kdfAlg: 2,
  chkAlg: 4,
  salt: 6,
  ops: 38,
  mem: 46,
  keynum: 54,
  sk: 62,
  chk: 126,
  end: 158
};
const KEYNUM_SK_BYTES = SK.end - SK.keynum; // 104
/** PKCS#8 prefix of a raw Ed25519 seed (RFC 8410) */
const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface MinisignKey {
  /** minisign's key id: the key number as a little-endian u64, upper-case hex (as minisign prints) */
  keyId: string;
  keynum: Buffer;
  privateKey: KeyObject;
}

/** libsodium crypto_pwhash_scryptsalsa208sha256's choice of N, r, p from opslimit and memlimit. */
export function scryptParams(opslimit: number, memlimit: number): { N: number; r: number; p: number } {
  const ops = Math.max(opslimit, 32768);
  const r = 8;
  let logN = 1;
  if (ops < memlimit / 32) {
    const maxN = ops / (r * 4);
    while (logN < 63 && 2 ** logN <= maxN / 2) logN++;
    return { N: 2 ** logN, r, p: 1 };
  }
  const maxN = memlimit / (r * 128);
  while (logN < 63 && 2 ** logN <= maxN / 2) logN++;
  const maxrp = Math.min(Math.floor(ops / 4 / 2 ** logN), 0x3fffffff);
  return { N: 2 ** logN, r, p: Math.max(1, Math.floor(maxrp / r)) };
}

function scryptAsync(password: string, salt: Buffer, len: number, o: { N: number; r: number; p: number }) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, len, { ...o, maxmem: 128 * o.N * o.r * o.p + 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key)
    )
  );
}

const readU64 = (b: Buffer, at: number): number => Number(b.readBigUInt64LE(at));

/** Parse (and decrypt) a minisign secret key; every failure names the option, never the key. */
export async function loadMinisignKey(text: string, password: string | undefined): Promise<MinisignKey> {
  const lines = text
    .replace(/\r/g, '')
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean);
  const b64 = lines.find(l => !l.startsWith('untrusted comment:'));
  const raw = b64 && /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
  if (raw.length === 42 && raw.subarray(0, 2).equals(SIG_ALG)) {
    throw new IsoforgeError(`${OPTION}: this is a minisign public key; give the secret key (minisign.key)`, {
      subject: OPTION
    });
  }
  if (raw.length !== SK.end || !raw.subarray(SK.sigAlg, SK.sigAlg + 2).equals(SIG_ALG)) {
    throw new IsoforgeError(
      `${OPTION}: not a minisign secret key (expected the content of a file made by minisign -G)`,
      {
        subject: OPTION
      }
    );
  }
  const kdf = raw.subarray(SK.kdfAlg, SK.kdfAlg + 2);
  if (!raw.subarray(SK.chkAlg, SK.chkAlg + 2).equals(CHK_ALG)) {
    throw new IsoforgeError(`${OPTION}: unsupported checksum algorithm in the key`, { subject: OPTION });
  }
  const block = Buffer.from(raw.subarray(SK.keynum, SK.end));
  if (kdf.equals(KDF_SCRYPT)) {
    if (password === undefined) {
      throw new IsoforgeError(
        '--minisign-password: required: the key in --minisign-private-key is encrypted (made without -W)',
        { subject: '--minisign-password' }
      );
    }
    const params = scryptParams(readU64(raw, SK.ops), readU64(raw, SK.mem));
    if (params.N > 2 ** 24 || params.p > 16) {
      throw new IsoforgeError(`${OPTION}: the key's scrypt cost is too large`, { subject: OPTION });
    }
    const stream = await scryptAsync(password, raw.subarray(SK.salt, SK.salt + 32), KEYNUM_SK_BYTES, params);
    for (let i = 0; i < block.length; i++) block[i] ^= stream[i];
    stream.fill(0);
  } else if (!kdf.equals(KDF_NONE)) {
    throw new IsoforgeError(`${OPTION}: unsupported key derivation function in the key`, { subject: OPTION });
  }
  const keynum = Buffer.from(block.subarray(0, 8));
  const sk = block.subarray(8, 72);
  const chk = block.subarray(72, 104);
  const expect = Buffer.from(blake2b(Buffer.concat([SIG_ALG, keynum, sk]), { dkLen: 32 }));
  // minisign -W (0.11) stores a zero checksum; the public half below still proves the key
  const chkOk = timingSafeEqual(expect, chk) || (kdf.equals(KDF_NONE) && chk.every(b => b === 0));
  let privateKey: KeyObject | undefined;
  try {
    privateKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8, sk.subarray(0, 32)]),
      format: 'der',
      type: 'pkcs8'
    });
  } catch {
    privateKey = undefined;
  }
  const pub = privateKey?.export({ format: 'jwk' }).x;
  const pubOk = pub !== undefined && Buffer.from(pub, 'base64url').equals(sk.subarray(32));
  block.fill(0);
  if (!chkOk || !pubOk || !privateKey) {
    throw new IsoforgeError(
      kdf.equals(KDF_SCRYPT)
        ? '--minisign-password: wrong password for the minisign key'
        : `${OPTION}: the key is damaged (its checksum does not match)`,
      { subject: kdf.equals(KDF_SCRYPT) ? '--minisign-password' : OPTION }
    );
  }
  return { keyId: keynum.readBigUInt64LE(0).toString(16).toUpperCase(), keynum, privateKey };
}

export function blake2b512(data: Buffer): Buffer {
  return createHash('blake2b512').update(data).digest();
}

/** A prehashed ("ED") minisign signature file for a BLAKE2b-512 `prehash` of the file `name`. */
export function minisignSignature(
  key: MinisignKey,
  prehash: Buffer,
  name: string,
  timestamp: number
): string {
  const safe = name.replace(/[\r\n\t]/g, '_');
  const trusted = `timestamp:${timestamp}\tfile:${safe}\thashed`;
  const sig = sign(null, prehash, key.privateKey);
  const global = sign(null, Buffer.concat([sig, Buffer.from(trusted, 'utf8')]), key.privateKey);
  return (
    `untrusted comment: signature from isoforge, minisign key ${key.keyId}\n` +
    `${Buffer.concat([SIG_ALG_HASHED, key.keynum, sig]).toString('base64')}\n` +
    `trusted comment: ${trusted}\n` +
    `${global.toString('base64')}\n`
  );
}
