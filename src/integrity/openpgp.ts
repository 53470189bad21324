/**
 * OpenPGP detached signatures with openpgp.js v6. The key is read, decrypted and checked (public
 * only, expired, revoked, an algorithm gpg 2.2 cannot verify) before anything is written.
 * gpg 2.2 verifies v4 EdDSA (curve25519Legacy, algorithm 22) and RSA signatures made by
 * openpgp.js, but rejects RFC 9580 Ed25519/Ed448 (algorithms 27/28) and v6 keys.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import * as openpgp from 'openpgp';
import { IsoforgeError } from '../errors.js';
import { rawSigner, type RawSigner } from './pgp-packet.js';

const OPTION = '--gpg-private-key';
const GPG22_ADVICE =
  'gpg 2.2 (Debian 12) cannot verify it; use a v4 EdDSA key (gpg --quick-gen-key NAME ed25519, ' +
  "or openpgp.js type 'ecc' curve 'curve25519Legacy') or an RSA key";

export interface OpenPgpKey {
  /** fingerprint of the primary key, upper-case hex */
  fingerprint: string;
  /** of the (sub)key that signs */
  signingFingerprint: string;
  key: openpgp.PrivateKey;
  /** node:crypto signer for the image's tapped SHA-256 (RSA, EdDSA legacy); else openpgp.js */
  raw?: RawSigner;
}

const fail = (msg: string, subject = OPTION) => new IsoforgeError(`${subject}: ${msg}`, { subject });

function algoCheck(info: openpgp.AlgorithmInfo, version: number, which: string): void {
  if (version >= 5) throw fail(`the ${which} is a v${version} (RFC 9580) key; ${GPG22_ADVICE}`);
  if (info.algorithm === 'ed25519' || info.algorithm === 'ed448') {
    throw fail(`the ${which} uses ${info.algorithm} (RFC 9580, algorithm 27/28); ${GPG22_ADVICE}`);
  }
}

export async function loadOpenPgpKey(armored: string, passphrase: string | undefined): Promise<OpenPgpKey> {
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey: armored.replace(/\r\n/g, '\n') });
  } catch {
    throw fail('not an ASCII-armored OpenPGP key (expected the output of gpg --export-secret-keys --armor)');
  }
  if (!key.isPrivate()) {
    throw fail('this is a public key; give the secret key (gpg --export-secret-keys --armor)');
  }
  let priv: openpgp.PrivateKey = key;
  const fingerprint = key.getFingerprint().toUpperCase();
  algoCheck(key.getAlgorithmInfo(), key.keyPacket.version, 'key');
  try {
    await key.verifyPrimaryKey();
  } catch (e) {
    const why = /revoked/i.test((e as Error).message)
      ? 'is revoked'
      : /expired/i.test((e as Error).message)
        ? 'has expired'
        : `cannot be used (${(e as Error).message})`;
    throw fail(`key ${fingerprint} ${why}`);
  }
  let signing: openpgp.PrivateKey | openpgp.Subkey;
  try {
    signing = await priv.getSigningKey();
  } catch (e) {
    throw fail(`key ${fingerprint} has no valid signing key (${(e as Error).message})`);
  }
  algoCheck(signing.getAlgorithmInfo(), signing.keyPacket.version, 'signing key');
  const packet = signing.keyPacket;
  if (
    (packet instanceof openpgp.SecretKeyPacket || packet instanceof openpgp.SecretSubkeyPacket) &&
    packet.isDummy()
  ) {
    throw fail(`key ${fingerprint}: the signing key's secret part is not in the export (gnu-dummy stub)`);
  }
  if (!signing.isDecrypted()) {
    if (passphrase === undefined) {
      throw fail('required: the key in --gpg-private-key is protected by a passphrase', '--gpg-passphrase');
    }
    try {
      priv = await openpgp.decryptKey({ privateKey: priv, passphrase });
    } catch (e) {
      if (/incorrect|passphrase|checksum|decrypt/i.test((e as Error).message))
        throw fail(`wrong passphrase for key ${fingerprint}`, '--gpg-passphrase');
      throw fail(`key ${fingerprint} cannot be decrypted (${(e as Error).message})`);
    }
    signing = await priv.getSigningKey();
  }
  let raw: RawSigner | undefined;
  try {
    raw = rawSigner(signing.keyPacket);
  } catch (e) {
    throw fail(`key ${fingerprint} cannot be used (${(e as Error).message})`);
  }
  return { fingerprint, signingFingerprint: signing.getFingerprint().toUpperCase(), key: priv, raw };
}

async function collect(stream: ReadableStream<string> | string): Promise<string> {
  if (typeof stream === 'string') return stream;
  let out = '';
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out += value;
  }
}

/** ASCII-armored detached signature over `data`, streamed from the file when given a path. */
export async function openPgpSign(
  k: OpenPgpKey,
  data: Buffer | { file: string },
  date: Date
): Promise<string> {
  if (Buffer.isBuffer(data)) {
    const message = await openpgp.createMessage({ binary: new Uint8Array(data) });
    return collect(await openpgp.sign({ message, signingKeys: k.key, detached: true, date }));
  }
  const web = Readable.toWeb(createReadStream(data.file, { highWaterMark: 4 * 1024 * 1024 }));
  const message = await openpgp.createMessage({ binary: web as unknown as ReadableStream<Uint8Array> });
  return collect(await openpgp.sign({ message, signingKeys: k.key, detached: true, date }));
}
