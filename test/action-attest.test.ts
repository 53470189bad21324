/**
 * `attest: true` offline: the real @actions/attest (SLSA provenance, DSSE, Sigstore signing) with
 * the OIDC token service, its JWKS, Fulcio and Rekor mocked by nock (@sigstore/mock for the
 * Sigstore services), and the attestation store (GitHub's REST API, reached with fetch) on a
 * loopback server. Never the network.
 */
import { generateKeyPairSync, createSign, createHash, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import nock from 'nock';
import { mockFulcio, mockRekor } from '@sigstore/mock';
import { tempDir } from './support/tools.js';

const ISSUER = 'https://token.actions.githubusercontent.com';
const TOKEN_URL = 'https://idtoken.example.test';

function jwt(
  claims: Record<string, unknown>,
  key: ReturnType<typeof generateKeyPairSync>['privateKey']
): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64(claims)}`;
  const sig = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${sig}`;
}

describe('attest: true, offline', () => {
  let tmp: { dir: string; cleanup: () => void };
  let api: Server;
  let stored: { path: string; body: { bundle?: { dsseEnvelope?: { payload: string } } } }[];
  let saved: NodeJS.ProcessEnv;

  const write = process.stdout.write.bind(process.stdout);

  beforeAll(async () => {
    // @actions/core prints workflow commands (::add-mask::<token>) on stdout: keep them out of the log
    process.stdout.write = (() => true) as typeof process.stdout.write;
    saved = { ...process.env };
    tmp = tempDir('isoforge-attest-');
    stored = [];
    api = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        stored.push({ path: req.url ?? '', body: JSON.parse(body || '{}') });
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 987654 }));
      });
    });
    await new Promise<void>(r => api.listen(0, '127.0.0.1', r));
    const event = path.join(tmp.dir, 'event.json');
    writeFileSync(event, JSON.stringify({ repository: { visibility: 'public', default_branch: 'main' } }));
    Object.assign(process.env, {
      GITHUB_EVENT_PATH: event,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
      GITHUB_REPOSITORY: 'acme/installer',
      GITHUB_RUN_ID: '55',
      GITHUB_TOKEN: 'ghs_fake',
      ACTIONS_ID_TOKEN_REQUEST_URL: `${TOKEN_URL}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'req-token'
    });
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterAll(async () => {
    process.stdout.write = write;
    nock.cleanAll();
    nock.enableNetConnect();
    process.env = saved;
    await new Promise<void>(r => api.close(() => r()));
    tmp.cleanup();
  });

  test('missing id-token permission: the error says exactly that', async () => {
    const { attestUnavailable } = await import('../src/action/attest.js');
    expect(attestUnavailable({ GITHUB_TOKEN: 'x' })).toBe(
      'attest: true needs `permissions: id-token: write` and `attestations: write` in the workflow (ACTIONS_ID_TOKEN_REQUEST_URL is not set, so no OIDC token can be requested)'
    );
  });

  test('provenance for the image digest, signed and stored; attestation-url points at it', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = Math.floor(Date.now() / 1000);
    const claims = (aud: string) => ({
      iss: ISSUER,
      aud,
      sub: 'repo:acme/installer:ref:refs/heads/main',
      iat: now,
      nbf: now - 5,
      exp: now + 600,
      ref: 'refs/heads/main',
      sha: 'a'.repeat(40),
      repository: 'acme/installer',
      event_name: 'push',
      job_workflow_ref: 'acme/installer/.github/workflows/release.yml@refs/heads/main',
      workflow_ref: 'acme/installer/.github/workflows/release.yml@refs/heads/main',
      repository_id: '1',
      repository_owner_id: '2',
      runner_environment: 'github-hosted',
      run_id: '55',
      run_attempt: '1'
    });
    nock(TOKEN_URL)
      .persist()
      .get('/token')
      .query(true)
      .reply(function (uri) {
        const aud = new URL(uri, TOKEN_URL).searchParams.get('audience') ?? 'nobody';
        return [200, { value: jwt(claims(aud), privateKey) }];
      });
    nock(ISSUER)
      .persist()
      .get('/.well-known/openid-configuration')
      .reply(200, { issuer: ISSUER, jwks_uri: `${ISSUER}/.well-known/jwks` })
      .get('/.well-known/jwks')
      .reply(200, {
        keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }]
      });
    await mockFulcio({ baseURL: 'https://fulcio.sigstore.dev', strict: false });
    await mockRekor({ baseURL: 'https://rekor.sigstore.dev', strict: false });

    const { attestImage } = await import('../src/action/attest.js');
    const { runnerEnv } = await import('../src/action/inputs.js');
    const digest = createHash('sha256').update('an image').digest('hex');
    const a = await attestImage('acme.iso', digest, runnerEnv());
    expect(a.id).toBe('987654');
    expect(a.url).toBe('https://github.com/acme/installer/attestations/987654');
    expect(stored.map(s => s.path)).toEqual(['/repos/acme/installer/attestations']);
    const statement = JSON.parse(
      Buffer.from(stored[0].body.bundle!.dsseEnvelope!.payload, 'base64').toString()
    );
    expect(statement.subject).toEqual([{ name: 'acme.iso', digest: { sha256: digest } }]);
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(statement.predicate.buildDefinition.externalParameters.workflow.repository).toBe(
      'https://github.com/acme/installer'
    );
    const bundle = a.bundle as { verificationMaterial: { certificate?: { rawBytes: string } } };
    const cert = new X509Certificate(
      Buffer.from(bundle.verificationMaterial.certificate!.rawBytes, 'base64')
    );
    expect(cert.publicKey.asymmetricKeyType).toBe('ec');
    expect(a.tlogId).toBeDefined();
  });
});
