/**
 * Detached signatures of the image: OpenPGP (openpgp.js v6, streamed) and minisign (node:crypto
 * Ed25519; its file formats and key id are src/integrity/minisign.ts, shared with build).
 */
import { createHash, verify as edVerify } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import type * as OpenPgp from 'openpgp';
import { optionError } from '../errors.js';
import { LIMITS, readSmallFile, readSmallText } from '../files.js';
import {
  ALG_HASHED,
  globalMessage,
  looksInlinePublicKey,
  parsePublicKey,
  parseSignature
} from '../integrity/minisign.js';

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
    throw optionError('gpg-public-key', `not an OpenPGP public key (${oneLineMessage(e)})`);
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

/** The legacy form needs the whole file in memory: refuse beyond this (as minisign does). */
const MAX_LEGACY_BYTES = 1024 * 1024 * 1024;

export async function verifyMinisign(
  image: string,
  keyValue: string,
  signatureFile: string
): Promise<SignatureResult> {
  const text = await keyText(keyValue, '--minisign-public-key', looksInlinePublicKey, LIMITS.minisignKey);
  const pub = parsePublicKey(text);
  const sig = parseSignature((await readSignatureFile(signatureFile)).toString('utf8'));
  if (typeof sig === 'string') return { ok: false, detail: `${signatureFile} ${sig}` };
  if (!sig.keynum.equals(pub.keynum)) {
    return { ok: false, detail: `signed by key ${sig.keyId}, not by the given key ${pub.keyId}` };
  }
  let message: Buffer;
  if (sig.alg === ALG_HASHED) {
    const h = createHash('blake2b512');
    for await (const chunk of createReadStream(image)) h.update(chunk as Buffer);
    message = h.digest();
  } else {
    const st = await fs.stat(image);
    if (st.size > MAX_LEGACY_BYTES)
      return { ok: false, detail: 'legacy minisign signature over a file above 1 GiB' };
    message = await fs.readFile(image);
  }
  if (!edVerify(null, message, pub.key, sig.signature))
    return { ok: false, detail: `bad minisign signature (key ${pub.keyId})` };
  if (!edVerify(null, globalMessage(sig.signature, sig.trustedComment), pub.key, sig.globalSignature)) {
    return { ok: false, detail: 'the minisign trusted comment signature is bad' };
  }
  return { ok: true, detail: `good minisign signature by key ${pub.keyId}` };
}

function oneLineMessage(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}
