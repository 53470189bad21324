/**
 * Detached signatures of the image: OpenPGP (openpgp.js v6, streamed) and minisign (node:crypto
 * Ed25519; "ED" signs the BLAKE2b-512 of the file, legacy "Ed" the file itself). Formats: shared
 * notes integrity-and-signing §2 and jedisct1/minisign src/minisign.h.
 */
import { createHash, createPublicKey, verify as edVerify, type KeyObject } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import type * as OpenPgp from 'openpgp';
import { IsoforgeError } from '../errors.js';
import { LIMITS, readSmallFile, readSmallText } from '../files.js';

export interface SignatureResult {
  ok: boolean;
  detail: string;
}

/** A key given inline or as a path to a file holding it (a regular file of at most `limit`). */
export async function keyText(
  value: string,
  option: string,
  looksInline: (s: string) => boolean,
  limit: number = LIMITS.openPgpKey
): Promise<string> {
  if (looksInline(value)) return value;
  return readSmallText(value, { limit, what: option, kind: 'a public key' });
}

async function readSignatureFile(file: string): Promise<Buffer> {
  return readSmallFile(file, { limit: LIMITS.signature, what: '--signature', kind: 'a signature' });
}

export async function verifyOpenPgp(
  image: string,
  keyValue: string,
  signatureFile: string
): Promise<SignatureResult> {
  const armored = await keyText(keyValue, '--gpg-public-key', s => s.includes('-----BEGIN PGP'));
  // loaded only here: the CLI's other commands start without it
  const openpgp = await import('openpgp');
  let keys: OpenPgp.Key[];
  try {
    keys = await openpgp.readKeys({ armoredKeys: armored });
  } catch (e) {
    throw new IsoforgeError(`--gpg-public-key: not an OpenPGP public key (${oneLineMessage(e)})`, {
      subject: '--gpg-public-key'
    });
  }
  const sigBytes = await readSignatureFile(signatureFile);
  let signature: OpenPgp.Signature;
  try {
    const text = sigBytes.toString('latin1');
    signature = text.includes('-----BEGIN PGP SIGNATURE')
      ? await openpgp.readSignature({ armoredSignature: text })
      : await openpgp.readSignature({ binarySignature: new Uint8Array(sigBytes) });
  } catch (e) {
    return { ok: false, detail: `${signatureFile} is not an OpenPGP signature (${oneLineMessage(e)})` };
  }
  const message = await openpgp.createMessage({
    binary: Readable.toWeb(createReadStream(image)) as unknown as ReadableStream<Uint8Array>
  });
  const res = await openpgp.verify({ message, signature, verificationKeys: keys, format: 'binary' });
  // the data must be read through for a streamed message before `verified` settles
  const reader = (res.data as unknown as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done } = await reader.read();
    if (done) break;
  }
  const fingerprints = keys.map(k => k.getFingerprint().toUpperCase());
  for (const s of res.signatures) {
    try {
      await s.verified;
      return { ok: true, detail: `good OpenPGP signature by key ${s.keyID.toHex().toUpperCase()}` };
    } catch (e) {
      return { ok: false, detail: `bad OpenPGP signature: ${oneLineMessage(e)}` };
    }
  }
  return { ok: false, detail: `no signature by ${fingerprints.join(', ')}` };
}

// minisign.h: "Ed" legacy (signs the file), "ED" prehashed (signs BLAKE2b-512 of the file)
const ALG_LEGACY = 'Ed';
const ALG_HASHED = 'ED';
const KEYNUM_BYTES = 8;
const PK_BYTES = 32;
const SIG_BYTES = 64;
/** The legacy form needs the whole file in memory: refuse beyond this. */
const MAX_LEGACY_BYTES = 1024 * 1024 * 1024;
/** RFC 8410: SubjectPublicKeyInfo prefix of an Ed25519 key. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function b64Line(text: string): string | undefined {
  return text
    .split(/\r?\n/)
    .map(l => l.trim())
    .find(l => l !== '' && !l.startsWith('untrusted comment:') && !l.startsWith('trusted comment:'));
}

export function parseMinisignKey(text: string): { keyNum: Buffer; key: KeyObject } {
  const line = b64Line(text) ?? '';
  const raw = Buffer.from(line, 'base64');
  if (raw.length !== 2 + KEYNUM_BYTES + PK_BYTES || raw.toString('latin1', 0, 2) !== ALG_LEGACY) {
    throw new IsoforgeError('--minisign-public-key: not a minisign public key', {
      subject: '--minisign-public-key'
    });
  }
  const key = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, raw.subarray(2 + KEYNUM_BYTES)]),
    format: 'der',
    type: 'spki'
  });
  return { keyNum: raw.subarray(2, 2 + KEYNUM_BYTES), key };
}

const keyId = (keyNum: Buffer) => Buffer.from(keyNum).reverse().toString('hex').toUpperCase();

export async function verifyMinisign(
  image: string,
  keyValue: string,
  signatureFile: string
): Promise<SignatureResult> {
  const text = await keyText(
    keyValue,
    '--minisign-public-key',
    s => /^[A-Za-z0-9+/=]{56}$/.test(s.trim()),
    LIMITS.minisignKey
  );
  const { keyNum, key } = parseMinisignKey(text);
  const lines = (await readSignatureFile(signatureFile)).toString('utf8').split(/\r?\n/);
  const sigLine = lines.findIndex(l => l.trim() !== '' && !l.startsWith('untrusted comment:'));
  const trusted = lines[sigLine + 1] ?? '';
  const global = Buffer.from((lines[sigLine + 2] ?? '').trim(), 'base64');
  const sig = Buffer.from((lines[sigLine] ?? '').trim(), 'base64');
  if (
    sigLine < 0 ||
    sig.length !== 2 + KEYNUM_BYTES + SIG_BYTES ||
    !trusted.startsWith('trusted comment: ')
  ) {
    return { ok: false, detail: `${signatureFile} is not a minisign signature` };
  }
  const alg = sig.toString('latin1', 0, 2);
  if (alg !== ALG_LEGACY && alg !== ALG_HASHED)
    return { ok: false, detail: `unknown minisign algorithm "${alg}"` };
  const sigKeyNum = sig.subarray(2, 2 + KEYNUM_BYTES);
  if (!sigKeyNum.equals(keyNum)) {
    return { ok: false, detail: `signed by key ${keyId(sigKeyNum)}, not by the given key ${keyId(keyNum)}` };
  }
  let message: Buffer;
  if (alg === ALG_HASHED) {
    const h = createHash('blake2b512');
    for await (const chunk of createReadStream(image)) h.update(chunk as Buffer);
    message = h.digest();
  } else {
    const st = await fs.stat(image);
    if (st.size > MAX_LEGACY_BYTES)
      return { ok: false, detail: 'legacy minisign signature over a file above 1 GiB' };
    message = await fs.readFile(image);
  }
  const sigBytes = sig.subarray(2 + KEYNUM_BYTES);
  if (!edVerify(null, message, key, sigBytes))
    return { ok: false, detail: `bad minisign signature (key ${keyId(keyNum)})` };
  const comment = Buffer.from(trusted.slice('trusted comment: '.length), 'utf8');
  if (global.length !== SIG_BYTES || !edVerify(null, Buffer.concat([sigBytes, comment]), key, global)) {
    return { ok: false, detail: 'the minisign trusted comment signature is bad' };
  }
  return { ok: true, detail: `good minisign signature by key ${keyId(keyNum)}` };
}

function oneLineMessage(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}
