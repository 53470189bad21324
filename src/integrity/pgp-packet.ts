/**
 * A v4 detached binary-document signature (RFC 4880 5.2.3, as gpg 2.2 reads it) made from a
 * SHA-256 state fed while the image is written, so signing the image needs no second read.
 * The key material comes from openpgp.js (already decrypted and validated); node:crypto signs.
 * Supported: RSA (algorithm 1, EMSA-PKCS1-v1_5, RFC 4880 5.2.2) and EdDSA legacy (algorithm 22,
 * Ed25519 over the hash digest, RFC 4880bis 5.2.3). Other key types use openpgp.js streaming.
 */
import {
  createPrivateKey,
  createPublicKey,
  privateEncrypt,
  sign,
  constants,
  type KeyObject
} from 'node:crypto';

const PK_RSA = 1; // RFC 4880 9.1
const PK_EDDSA_LEGACY = 22; // RFC 4880bis 9.1
const HASH_SHA256 = 8; // RFC 4880 9.4
const SIG_BINARY = 0x00; // RFC 4880 5.2.1
const SUB_CREATION_TIME = 2; // RFC 4880 5.2.3.4
const SUB_ISSUER = 16; // RFC 4880 5.2.3.5
const SUB_ISSUER_FPR = 33; // RFC 9580 5.2.3.35
const TAG_SIGNATURE = 2; // RFC 4880 4.3
/** RFC 4880 5.2.2: DER DigestInfo prefix of SHA-256 */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
/** RFC 4880 6.1 CRC-24 */
const CRC24_INIT = 0xb704ce;
const CRC24_POLY = 0x1864cfb;

export interface RawSigner {
  algorithm: number;
  key: KeyObject;
  fingerprint: Buffer;
  keyId: Buffer;
}

type Params = Record<string, unknown>;
const bytes = (p: Params, k: string): Buffer => {
  const v = p[k];
  if (!(v instanceof Uint8Array)) throw new Error(`key parameter ${k} missing`);
  return Buffer.from(v);
};
const b64u = (b: Buffer): string => b.toString('base64url');
const toBig = (b: Buffer): bigint => (b.length ? BigInt(`0x${b.toString('hex')}`) : 0n);
const fromBig = (n: bigint): Buffer => {
  const h = n.toString(16);
  return Buffer.from(h.length % 2 ? `0${h}` : h, 'hex');
};
function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [m, ((a % m) + m) % m, 0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

/**
 * A node:crypto signer for the (decrypted) signing key packet, or undefined for an algorithm
 * this module does not handle. The public half is checked against the packet.
 */
export function rawSigner(packet: {
  algorithm: number;
  publicParams: object;
  privateParams?: object | null;
  getFingerprintBytes(): Uint8Array | null;
  version: number;
}): RawSigner | undefined {
  const pub = packet.publicParams as Params;
  const priv = (packet.privateParams ?? undefined) as Params | undefined;
  const fpr = packet.getFingerprintBytes();
  if (!priv || !fpr || packet.version !== 4) return undefined;
  const fingerprint = Buffer.from(fpr);
  const keyId = fingerprint.subarray(12);
  if (packet.algorithm === PK_RSA) {
    const n = bytes(pub, 'n');
    const e = bytes(pub, 'e');
    const d = toBig(bytes(priv, 'd'));
    const p = toBig(bytes(priv, 'p'));
    const q = toBig(bytes(priv, 'q'));
    const key = createPrivateKey({
      format: 'jwk',
      key: {
        kty: 'RSA',
        n: b64u(n),
        e: b64u(e),
        d: b64u(fromBig(d)),
        p: b64u(fromBig(p)),
        q: b64u(fromBig(q)),
        dp: b64u(fromBig(d % (p - 1n))),
        dq: b64u(fromBig(d % (q - 1n))),
        qi: b64u(fromBig(modInverse(q, p)))
      }
    });
    const jwkN = createPublicKey(key).export({ format: 'jwk' }).n;
    if (
      jwkN === undefined ||
      !Buffer.from(jwkN, 'base64url').equals(Buffer.from(n.subarray(n.findIndex(x => x !== 0))))
    )
      throw new Error('RSA key parameters are inconsistent');
    return { algorithm: PK_RSA, key, fingerprint, keyId };
  }
  if (packet.algorithm === PK_EDDSA_LEGACY) {
    const seed = bytes(priv, 'seed');
    const q = bytes(pub, 'Q'); // 0x40 ‖ 32-byte public key (RFC 4880bis 13.3)
    const key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8, seed]), format: 'der', type: 'pkcs8' });
    const x = createPublicKey(key).export({ format: 'jwk' }).x;
    if (x === undefined || !Buffer.from(x, 'base64url').equals(q.subarray(1)))
      throw new Error('EdDSA key parameters are inconsistent');
    return { algorithm: PK_EDDSA_LEGACY, key, fingerprint, keyId };
  }
  return undefined;
}

function subpacket(type: number, body: Buffer): Buffer {
  // RFC 4880 5.2.3.1: one-octet length (type + body) below 192
  return Buffer.concat([Buffer.from([body.length + 1, type]), body]);
}

/** RFC 4880 3.2 MPI: bit count, then the big-endian value without leading zeros */
function mpi(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  const v = b.subarray(i);
  const bits = v.length ? (v.length - 1) * 8 + (32 - Math.clz32(v[0])) : 0;
  const head = Buffer.alloc(2);
  head.writeUInt16BE(bits);
  return Buffer.concat([head, v]);
}

/** The hashed part of the signature packet (RFC 4880 5.2.3), fixed once the time is known. */
export function signatureHead(s: RawSigner, created: Date): Buffer {
  const time = Buffer.alloc(4);
  time.writeUInt32BE(Math.floor(created.getTime() / 1000));
  const hashed = Buffer.concat([
    subpacket(SUB_CREATION_TIME, time),
    subpacket(SUB_ISSUER_FPR, Buffer.concat([Buffer.from([4]), s.fingerprint]))
  ]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(hashed.length);
  return Buffer.concat([Buffer.from([4, SIG_BINARY, s.algorithm, HASH_SHA256]), len, hashed]);
}

/**
 * What a v4 signature hashes after the signed data (RFC 4880 5.2.4): its hashed part `head`, then
 * 0x04 0xFF and the hashed part's length.
 */
export function signatureSuffix(head: Buffer): Buffer {
  const trailer = Buffer.alloc(6);
  trailer.writeUInt8(4, 0);
  trailer.writeUInt8(0xff, 1);
  trailer.writeUInt32BE(head.length, 2);
  return Buffer.concat([head, trailer]);
}

/**
 * The armored detached signature with hashed part `head`, from `digest`: the SHA-256 of the signed
 * bytes followed by signatureSuffix(head). The hash of the bytes can be one that was made anyway
 * (the image's, continued by the hash worker), so signing costs no pass of its own.
 */
export function signatureFromDigest(s: RawSigner, head: Buffer, digest: Buffer): string {
  let mpis: Buffer;
  if (s.algorithm === PK_RSA) {
    const m = privateEncrypt(
      { key: s.key, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([SHA256_DIGEST_INFO, digest])
    );
    mpis = mpi(m);
  } else {
    const sig = sign(null, digest, s.key);
    mpis = Buffer.concat([mpi(sig.subarray(0, 32)), mpi(sig.subarray(32))]);
  }
  const unhashed = subpacket(SUB_ISSUER, s.keyId);
  const ulen = Buffer.alloc(2);
  ulen.writeUInt16BE(unhashed.length);
  const body = Buffer.concat([head, ulen, unhashed, digest.subarray(0, 2), mpis]);
  return armor(Buffer.concat([packetHeader(TAG_SIGNATURE, body.length), body]));
}

/** RFC 4880 4.2.2 new-format header */
function packetHeader(tag: number, length: number): Buffer {
  const first = 0xc0 | tag;
  if (length < 192) return Buffer.from([first, length]);
  if (length < 8384) return Buffer.from([first, ((length - 192) >> 8) + 192, (length - 192) & 0xff]);
  const b = Buffer.alloc(6);
  b[0] = first;
  b[1] = 0xff;
  b.writeUInt32BE(length, 2);
  return b;
}

function crc24(data: Buffer): number {
  let crc = CRC24_INIT;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= CRC24_POLY;
    }
  }
  return crc & 0xffffff;
}

/** RFC 4880 6.2 ASCII armor */
function armor(data: Buffer): string {
  const b64 = data.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  const crc = Buffer.from([(crc24(data) >> 16) & 0xff, (crc24(data) >> 8) & 0xff, crc24(data) & 0xff]);
  return `-----BEGIN PGP SIGNATURE-----\n\n${b64}\n=${crc.toString('base64')}\n-----END PGP SIGNATURE-----\n`;
}
