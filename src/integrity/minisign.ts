/**
 * The minisign format, both directions, for `build` (secret key in, signature out) and `verify`
 * (public key and signature in). Layouts from jedisct1/minisign src/minisign.h; node:crypto
 * Ed25519 plus BLAKE2b-256 from @noble/hashes for the secret key's checksum.
 *
 * Every file is lines of `untrusted comment: …` / base64 / (signatures) `trusted comment: …` /
 * base64:
 * - public key: base64("Ed" ‖ keynum (8) ‖ pk (32))
 * - secret key: base64("Ed" ‖ kdf "Sc" or 0,0 ‖ chk "B2" ‖ salt (32) ‖ opslimit LE (8) ‖
 *   memlimit LE (8) ‖ keynum (8) ‖ sk (64) ‖ chk (32)), where keynum‖sk‖chk is XORed with
 *   scrypt(password) for "Sc", sk = Ed25519 seed ‖ public key, chk = BLAKE2b-256("Ed" ‖ keynum ‖ sk)
 * - signature: base64(alg ‖ keynum ‖ Ed25519(message) (64)), then the trusted comment, then
 *   base64(Ed25519(signature ‖ trusted comment)). alg "ED" signs the BLAKE2b-512 of the file,
 *   legacy "Ed" the file itself.
 * The key id is the keynum read as a little-endian u64 and printed `%" PRIX64` (upper-case hex
 * without leading zeros), as minisign -G writes it into the public key's comment and minisign -V
 * names it on a key mismatch.
 */
import { blake2b } from '@noble/hashes/blake2.js';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  scrypt,
  sign,
  timingSafeEqual,
  type KeyObject
} from 'node:crypto';
import { optionError } from '../errors.js';

const OPTION = 'minisign-private-key';
const PUBLIC_OPTION = 'minisign-public-key';
/** minisign.h COMMENT_PREFIX, TRUSTED_COMMENT_PREFIX */
const UNTRUSTED_PREFIX = 'untrusted comment: ';
const TRUSTED_PREFIX = 'trusted comment: ';
/** minisign.h SIGALG, SIGALG_HASHED, KDFALG, CHKALG */
export const ALG_LEGACY = 'Ed';
export const ALG_HASHED = 'ED';
const SIG_ALG = Buffer.from(ALG_LEGACY, 'latin1');
const KDF_SCRYPT = Buffer.from('Sc', 'latin1');
const KDF_NONE = Buffer.from([0, 0]);
const CHK_ALG = Buffer.from('B2', 'latin1');
const KEYNUM_BYTES = 8;
const PK_BYTES = 32;
const SIG_BYTES = 64;
/** byte offsets in the decoded secret key (SeckeyStruct) */
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
/** byte offsets in the decoded public key (PubkeyStruct) and signature (SigStruct) */
const PK = { sigAlg: 0, keynum: 2, pk: 2 + KEYNUM_BYTES, end: 2 + KEYNUM_BYTES + PK_BYTES };
const SIG = { sigAlg: 0, keynum: 2, sig: 2 + KEYNUM_BYTES, end: 2 + KEYNUM_BYTES + SIG_BYTES };
/** RFC 8410: PKCS#8 prefix of a raw Ed25519 seed, SubjectPublicKeyInfo prefix of a public key */
const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The key id as minisign prints it: `%" PRIX64` of the little-endian keynum. */
export function keyId(keynum: Buffer): string {
  return keynum.readBigUInt64LE(0).toString(16).toUpperCase();
}

/** The lines of a minisign file, CR dropped, blank lines kept out. */
function linesOf(text: string): string[] {
  return text
    .replace(/\r/g, '')
    .split('\n')
    .filter(l => l.trim() !== '');
}

function decode(line: string | undefined): Buffer {
  const s = line?.trim() ?? '';
  return BASE64.test(s) ? Buffer.from(s, 'base64') : Buffer.alloc(0);
}

export interface MinisignKey {
  keyId: string;
  keynum: Buffer;
  privateKey: KeyObject;
}

export interface MinisignPublicKey {
  keyId: string;
  keynum: Buffer;
  key: KeyObject;
}

/** A public key given inline (the base64 line, as `minisign -P` takes it) rather than as a path. */
export const looksInlinePublicKey = (s: string): boolean =>
  /^[A-Za-z0-9+/=]{56}$/.test(s.trim()) || s.trimStart().startsWith(UNTRUSTED_PREFIX);

/** Parse a public key file (comment + base64) or its base64 line alone. */
export function parsePublicKey(text: string): MinisignPublicKey {
  const lines = linesOf(text);
  const raw = decode(lines[0]?.startsWith(UNTRUSTED_PREFIX) ? lines[1] : lines[0]);
  if (raw.length !== PK.end || !raw.subarray(PK.sigAlg, PK.keynum).equals(SIG_ALG)) {
    throw optionError(PUBLIC_OPTION, 'not a minisign public key');
  }
  const keynum = Buffer.from(raw.subarray(PK.keynum, PK.pk));
  const key = createPublicKey({
    key: Buffer.concat([ED25519_SPKI, raw.subarray(PK.pk, PK.end)]),
    format: 'der',
    type: 'spki'
  });
  return { keyId: keyId(keynum), keynum, key };
}

/** A public key file as minisign -G writes it. */
export function publicKeyFile(keynum: Buffer, publicKey: Buffer): string {
  const raw = Buffer.concat([SIG_ALG, keynum, publicKey]);
  return `${UNTRUSTED_PREFIX}minisign public key ${keyId(keynum)}\n${raw.toString('base64')}\n`;
}

/** An unencrypted secret key file (as minisign -G -W writes it, with its checksum filled in). */
export function secretKeyFile(keynum: Buffer, seed: Buffer, comment = 'minisign secret key'): string {
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8, seed]),
    format: 'der',
    type: 'pkcs8'
  });
  const pk = Buffer.from(privateKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  const sk = Buffer.concat([seed, pk]);
  const raw = Buffer.alloc(SK.end);
  SIG_ALG.copy(raw, SK.sigAlg);
  KDF_NONE.copy(raw, SK.kdfAlg);
  CHK_ALG.copy(raw, SK.chkAlg);
  keynum.copy(raw, SK.keynum);
  sk.copy(raw, SK.sk);
  Buffer.from(blake2b(Buffer.concat([SIG_ALG, keynum, sk]), { dkLen: 32 })).copy(raw, SK.chk);
  return `${UNTRUSTED_PREFIX}${comment}\n${raw.toString('base64')}\n`;
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

/** The decoded secret key, its algorithms checked; every failure names the option, never the key. */
function decodeSecretKey(text: string): Buffer {
  const raw = decode(linesOf(text).find(l => !l.startsWith(UNTRUSTED_PREFIX.trim())));
  if (raw.length === PK.end && raw.subarray(PK.sigAlg, PK.keynum).equals(SIG_ALG)) {
    throw optionError(OPTION, `this is a minisign public key; give the secret key (minisign.key)`);
  }
  if (raw.length !== SK.end || !raw.subarray(SK.sigAlg, SK.kdfAlg).equals(SIG_ALG)) {
    throw optionError(
      OPTION,
      `not a minisign secret key (expected the content of a file made by minisign -G)`
    );
  }
  if (!raw.subarray(SK.chkAlg, SK.salt).equals(CHK_ALG)) {
    throw optionError(OPTION, `unsupported checksum algorithm in the key`);
  }
  return raw;
}

/** Parse (and decrypt) a minisign secret key. */
export async function loadMinisignKey(text: string, password: string | undefined): Promise<MinisignKey> {
  const raw = decodeSecretKey(text);
  const kdf = raw.subarray(SK.kdfAlg, SK.chkAlg);
  const block = Buffer.from(raw.subarray(SK.keynum, SK.end));
  if (kdf.equals(KDF_SCRYPT)) {
    if (password === undefined) {
      throw optionError(
        'minisign-password',
        'required: the key in --minisign-private-key is encrypted (made without -W)'
      );
    }
    const params = scryptParams(readU64(raw, SK.ops), readU64(raw, SK.mem));
    if (params.N > 2 ** 24 || params.p > 16) {
      throw optionError(OPTION, `the key's scrypt cost is too large`);
    }
    const stream = await scryptAsync(password, raw.subarray(SK.salt, SK.ops), KEYNUM_SK_BYTES, params);
    for (let i = 0; i < block.length; i++) block[i] ^= stream[i];
    stream.fill(0);
  } else if (!kdf.equals(KDF_NONE)) {
    throw optionError(OPTION, `unsupported key derivation function in the key`);
  }
  const keynum = Buffer.from(block.subarray(0, SK.sk - SK.keynum));
  const sk = block.subarray(SK.sk - SK.keynum, SK.chk - SK.keynum);
  const chk = block.subarray(SK.chk - SK.keynum);
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
    if (kdf.equals(KDF_SCRYPT)) throw optionError('minisign-password', 'wrong password for the minisign key');
    throw optionError(OPTION, 'the key is damaged (its checksum does not match)');
  }
  return { keyId: keyId(keynum), keynum, privateKey };
}

export function blake2b512(data: Buffer): Buffer {
  return createHash('blake2b512').update(data).digest();
}

/** The parts of a signature file. */
export interface MinisignSignature {
  /** ALG_HASHED or ALG_LEGACY (anything else is refused by parseSignature) */
  alg: string;
  keyId: string;
  keynum: Buffer;
  signature: Buffer;
  /** the trusted comment's text, without its prefix */
  trustedComment: string;
  /** Ed25519 of signature ‖ trusted comment */
  globalSignature: Buffer;
}

/** What the global signature signs: the signature followed by the trusted comment's bytes. */
export const globalMessage = (signature: Buffer, trustedComment: string): Buffer =>
  Buffer.concat([signature, Buffer.from(trustedComment, 'utf8')]);

/** Read a signature file as minisign -V does (four lines in order); a string says what is wrong. */
export function parseSignature(text: string): MinisignSignature | string {
  const [untrusted, sigLine, trusted, globalLine] = linesOf(text);
  const sig = decode(sigLine);
  const globalSignature = decode(globalLine);
  if (
    !untrusted?.startsWith(UNTRUSTED_PREFIX) ||
    sig.length !== SIG.end ||
    !trusted?.startsWith(TRUSTED_PREFIX) ||
    globalSignature.length !== SIG_BYTES
  ) {
    return 'is not a minisign signature';
  }
  const alg = sig.toString('latin1', SIG.sigAlg, SIG.keynum);
  if (alg !== ALG_LEGACY && alg !== ALG_HASHED) return `has an unknown minisign algorithm "${alg}"`;
  const keynum = Buffer.from(sig.subarray(SIG.keynum, SIG.sig));
  return {
    alg,
    keyId: keyId(keynum),
    keynum,
    signature: Buffer.from(sig.subarray(SIG.sig, SIG.end)),
    trustedComment: trusted.slice(TRUSTED_PREFIX.length),
    globalSignature
  };
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
  const global = sign(null, globalMessage(sig, trusted), key.privateKey);
  return (
    `${UNTRUSTED_PREFIX}signature from isoforge, minisign key ${key.keyId}\n` +
    `${Buffer.concat([Buffer.from(ALG_HASHED, 'latin1'), key.keynum, sig]).toString('base64')}\n` +
    `${TRUSTED_PREFIX}${trusted}\n` +
    `${global.toString('base64')}\n`
  );
}
