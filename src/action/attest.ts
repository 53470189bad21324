/**
 * GitHub build-provenance attestation of the image (@actions/attest): an SLSA provenance
 * statement about the image's SHA-256, signed with a Sigstore certificate for the workflow's OIDC
 * identity and stored with the repository's attestations.
 */
import { attestProvenance } from '@actions/attest';
import { IsoforgeError } from '../errors.js';
import type { RunnerEnv } from './inputs.js';

export const ATTEST_PERMISSIONS =
  'attest: true needs `permissions: id-token: write` and `attestations: write` in the workflow (ACTIONS_ID_TOKEN_REQUEST_URL is not set, so no OIDC token can be requested)';

/** Why an attestation cannot be made here, or undefined when it can. */
export function attestUnavailable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) return ATTEST_PERMISSIONS;
  if (!env.GITHUB_TOKEN) {
    return 'attest: true needs a token to store the attestation: the github-token input is empty (default: the workflow token)';
  }
  return undefined;
}

export interface Attested {
  id: string | undefined;
  url: string | undefined;
  /** Rekor log index, for public repositories */
  tlogId: string | undefined;
  bundle: unknown;
}

export async function attestImage(
  name: string,
  sha256: string,
  renv: RunnerEnv,
  env: NodeJS.ProcessEnv = process.env
): Promise<Attested> {
  const why = attestUnavailable(env);
  if (why) throw new IsoforgeError(why, { subject: '--attest' });
  try {
    const a = await attestProvenance({
      subjects: [{ name, digest: { sha256 } }],
      token: env.GITHUB_TOKEN ?? ''
    });
    const id =
      a.attestationID === undefined || a.attestationID === null ? undefined : String(a.attestationID);
    return {
      id,
      url: id ? `${renv.serverUrl}/${renv.repository}/attestations/${id}` : undefined,
      tlogId: a.tlogID,
      bundle: a.bundle
    };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const hint = /id token|ACTIONS_ID_TOKEN|403|Resource not accessible/i.test(msg)
      ? ' (does the workflow grant `id-token: write` and `attestations: write`?)'
      : '';
    throw new IsoforgeError(`attest: ${msg.replace(/\s*\n\s*/g, ' ')}${hint}`, {
      subject: '--attest',
      cause: e
    });
  }
}
