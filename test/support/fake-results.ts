/**
 * A loopback fake of GitHub's results service, for running the REAL @actions/artifact and
 * @actions/cache clients (and the bundled action) without the network:
 *   - Twirp JSON: ArtifactService/{CreateArtifact, FinalizeArtifact, ListArtifacts,
 *     GetSignedArtifactURL, DeleteArtifact} and CacheService/{CreateCacheEntry,
 *     FinalizeCacheEntryUpload, GetCacheEntryDownloadURL} (field names as the clients' generated
 *     protobuf-ts code writes them: snake_case, int64 as strings, wrappers as plain values);
 *   - the Azure Blob calls the SDK makes on the signed URLs it hands out: PUT ?comp=block,
 *     PUT ?comp=blocklist, plain PUT, GET (with ranges) and HEAD.
 * Blobs are kept in memory (test images are small).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredArtifact {
  id: number;
  runId: string;
  jobId: string;
  name: string;
  mimeType: string;
  blob: string;
  size: number;
  /** as FinalizeArtifact sent it: `sha256:<hex>` */
  hash: string | undefined;
  expiresAt: string | undefined;
  createdAt: string;
  finalized: boolean;
}

export interface StoredCache {
  id: number;
  key: string;
  version: string;
  blob: string;
  size: number;
  createdAt: number;
  finalized: boolean;
}

export interface FakeFailure {
  status: number;
  code: string;
  msg: string;
}

export interface FakeResults {
  /** the value for ACTIONS_RESULTS_URL */
  url: string;
  artifacts: StoredArtifact[];
  caches: StoredCache[];
  blobs: Map<string, Buffer>;
  /** method names and blob operations, in order */
  calls: string[];
  /** make the next call of this Twirp method fail with a service error */
  failNext: Map<string, FakeFailure>;
  /** the blob stored for the finalized artifact `name` */
  artifactBytes(name: string): Buffer | undefined;
  /** env for a runner talking to this fake */
  env(runId?: string, jobId?: string): Record<string, string>;
  close(): Promise<void>;
}

/** An unsigned JWT with the claim the clients read (`scp: Actions.Results:<run>:<job>`). */
export function runtimeToken(runId: string, jobId: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
    scp: `Actions.GenericRead:00000000 Actions.Results:${runId}:${jobId}`,
    exp: Math.floor(Date.now() / 1000) + 3600
  })}.`;
}

const ACCOUNT = 'devstoreaccount1';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

type Json = Record<string, unknown>;

export async function startFakeResults(): Promise<FakeResults> {
  const artifacts: StoredArtifact[] = [];
  const caches: StoredCache[] = [];
  const blobs = new Map<string, Buffer>();
  const blocks = new Map<string, Map<string, Buffer>>();
  const blobTypes = new Map<string, string>();
  const calls: string[] = [];
  const failNext = new Map<string, FakeFailure>();
  let nextId = 1000;
  let base = '';

  const json = (res: ServerResponse, status: number, body: Json) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const twirpError = (res: ServerResponse, status: number, code: string, msg: string) =>
    json(res, status, { code, msg });
  const signed = (kind: string, id: number, name: string) =>
    `${base}/${ACCOUNT}/${kind}/${id}/${encodeURIComponent(name)}?sv=2023-11-03&se=2099-01-01T00%3A00%3A00Z&sp=rw&sig=fakesig${id}`;
  const blobKey = (u: URL) => decodeURIComponent(u.pathname);

  const artifactJson = (a: StoredArtifact): Json => ({
    workflow_run_backend_id: a.runId,
    workflow_job_run_backend_id: a.jobId,
    database_id: String(a.id),
    name: a.name,
    size: String(a.size),
    created_at: a.createdAt,
    ...(a.hash ? { digest: a.hash } : {})
  });

  const twirp: Record<string, (b: Json, res: ServerResponse) => void> = {
    'ArtifactService/CreateArtifact': (b, res) => {
      const run = String(b.workflow_run_backend_id);
      const name = String(b.name);
      if (artifacts.some(a => a.runId === run && a.name === name && a.finalized)) {
        return twirpError(
          res,
          409,
          'already_exists',
          `an artifact with this name already exists on the workflow run: ${name}`
        );
      }
      const id = nextId++;
      const blob = `/${ACCOUNT}/artifacts/${id}/${name}`;
      artifacts.push({
        id,
        runId: run,
        jobId: String(b.workflow_job_run_backend_id),
        name,
        mimeType: typeof b.mime_type === 'string' ? b.mime_type : 'application/zip',
        blob,
        size: 0,
        hash: undefined,
        expiresAt: typeof b.expires_at === 'string' ? b.expires_at : undefined,
        createdAt: new Date().toISOString(),
        finalized: false
      });
      json(res, 200, { ok: true, signed_upload_url: signed('artifacts', id, name) });
    },
    'ArtifactService/FinalizeArtifact': (b, res) => {
      const a = artifacts.find(
        x => x.runId === String(b.workflow_run_backend_id) && x.name === String(b.name) && !x.finalized
      );
      if (!a) return twirpError(res, 404, 'not_found', `no pending artifact ${String(b.name)}`);
      const data = blobs.get(a.blob);
      if (!data) return twirpError(res, 400, 'failed_precondition', `nothing was uploaded for ${a.name}`);
      a.size = Number(b.size ?? data.length);
      a.hash = typeof b.hash === 'string' ? b.hash : undefined;
      const actual = `sha256:${createHash('sha256').update(data).digest('hex')}`;
      if (a.hash && a.hash !== actual) {
        return twirpError(res, 400, 'invalid_argument', `hash ${a.hash} does not match the blob (${actual})`);
      }
      a.finalized = true;
      json(res, 200, { ok: true, artifact_id: String(a.id) });
    },
    'ArtifactService/ListArtifacts': (b, res) => {
      const run = String(b.workflow_run_backend_id);
      const list = artifacts.filter(
        a =>
          a.finalized &&
          a.runId === run &&
          (b.name_filter === undefined || a.name === b.name_filter) &&
          (b.id_filter === undefined || String(a.id) === String(b.id_filter))
      );
      json(res, 200, { artifacts: list.map(artifactJson) });
    },
    'ArtifactService/GetSignedArtifactURL': (b, res) => {
      const a = artifacts.find(
        x => x.finalized && x.runId === String(b.workflow_run_backend_id) && x.name === String(b.name)
      );
      if (!a) return twirpError(res, 404, 'not_found', `artifact ${String(b.name)} not found`);
      json(res, 200, { signed_url: signed('artifacts', a.id, a.name) });
    },
    'ArtifactService/DeleteArtifact': (b, res) => {
      const i = artifacts.findIndex(
        x => x.finalized && x.runId === String(b.workflow_run_backend_id) && x.name === String(b.name)
      );
      if (i < 0) return twirpError(res, 404, 'not_found', `artifact ${String(b.name)} not found`);
      const [a] = artifacts.splice(i, 1);
      blobs.delete(a.blob);
      json(res, 200, { ok: true, artifact_id: String(a.id) });
    },
    'CacheService/CreateCacheEntry': (b, res) => {
      const key = String(b.key);
      const version = String(b.version);
      if (caches.some(c => c.key === key && c.version === version)) {
        return json(res, 200, { ok: false, message: `cache entry ${key} already exists` });
      }
      const id = nextId++;
      caches.push({
        id,
        key,
        version,
        blob: `/${ACCOUNT}/caches/${id}/cache.tzst`,
        size: 0,
        createdAt: Date.now() + id,
        finalized: false
      });
      json(res, 200, { ok: true, signed_upload_url: signed('caches', id, 'cache.tzst') });
    },
    'CacheService/FinalizeCacheEntryUpload': (b, res) => {
      const c = caches.find(x => x.key === String(b.key) && x.version === String(b.version) && !x.finalized);
      if (!c || !blobs.has(c.blob))
        return json(res, 200, { ok: false, message: `no upload for ${String(b.key)}` });
      c.size = Number(b.size_bytes ?? 0);
      c.finalized = true;
      json(res, 200, { ok: true, entry_id: String(c.id) });
    },
    'CacheService/GetCacheEntryDownloadURL': (b, res) => {
      const version = String(b.version);
      const ready = caches
        .filter(c => c.finalized && c.version === version)
        .sort((x, y) => y.createdAt - x.createdAt);
      let hit = ready.find(c => c.key === String(b.key));
      const restoreKeys = Array.isArray(b.restore_keys) ? b.restore_keys.map(String) : [];
      for (const prefix of restoreKeys) {
        if (hit) break;
        hit = ready.find(c => c.key === prefix) ?? ready.find(c => c.key.startsWith(prefix));
      }
      if (!hit) return json(res, 200, { ok: false, signed_download_url: '', matched_key: '' });
      json(res, 200, {
        ok: true,
        signed_download_url: signed('caches', hit.id, 'cache.tzst'),
        matched_key: hit.key
      });
    }
  };

  const handleTwirp = async (method: string, req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    calls.push(method);
    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
      return twirpError(res, 401, 'unauthenticated', 'no bearer token');
    }
    const handler = twirp[method];
    if (!handler) return twirpError(res, 404, 'bad_route', `no method ${method}`);
    const fail = failNext.get(method);
    if (fail) {
      failNext.delete(method);
      return twirpError(res, fail.status, fail.code, fail.msg);
    }
    let parsed: Json;
    try {
      parsed = JSON.parse(body.toString('utf8')) as Json;
    } catch {
      return twirpError(res, 400, 'malformed', 'request body is not JSON');
    }
    handler(parsed, res);
  };

  const blobHeaders = (key: string, data: Buffer) => {
    const art = artifacts.find(a => a.blob === key);
    const name = key.split('/').pop() ?? 'blob';
    return {
      'content-type': blobTypes.get(key) ?? art?.mimeType ?? 'application/octet-stream',
      'content-disposition': `attachment; filename="${name.replace(/"/g, '')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'x-ms-blob-type': 'BlockBlob',
      'accept-ranges': 'bytes',
      etag: `"0x${createHash('md5').update(data).digest('hex').slice(0, 16)}"`,
      'last-modified': new Date().toUTCString(),
      'x-ms-request-id': String(nextId++),
      'x-ms-version': '2023-11-03'
    };
  };

  const handleBlob = async (u: URL, req: IncomingMessage, res: ServerResponse) => {
    const key = blobKey(u);
    const comp = u.searchParams.get('comp');
    const ok201 = (extra: Record<string, string> = {}) => {
      res.writeHead(201, {
        etag: `"0x${nextId++}"`,
        'last-modified': new Date().toUTCString(),
        'x-ms-request-id': String(nextId++),
        'x-ms-version': '2023-11-03',
        'x-ms-request-server-encrypted': 'true',
        'content-length': '0',
        ...extra
      });
      res.end();
    };
    if (req.method === 'PUT') {
      const body = await readBody(req);
      if (comp === 'block') {
        const id = u.searchParams.get('blockid') ?? '';
        calls.push(`blob:block ${key}`);
        if (!blocks.has(key)) blocks.set(key, new Map());
        blocks.get(key)!.set(id, body);
        return ok201();
      }
      if (comp === 'blocklist') {
        calls.push(`blob:blocklist ${key}`);
        const staged = blocks.get(key) ?? new Map<string, Buffer>();
        const ids = [...body.toString('utf8').matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map(
          m => m[2]
        );
        const parts: Buffer[] = [];
        for (const id of ids) {
          const b = staged.get(id);
          if (!b) {
            res.writeHead(400, { 'x-ms-error-code': 'InvalidBlockList' });
            return res.end('InvalidBlockList');
          }
          parts.push(b);
        }
        blobs.set(key, Buffer.concat(parts));
        blocks.delete(key);
        const ct = req.headers['x-ms-blob-content-type'];
        if (typeof ct === 'string') blobTypes.set(key, ct);
        return ok201();
      }
      calls.push(`blob:put ${key}`);
      blobs.set(key, body);
      const ct = req.headers['x-ms-blob-content-type'];
      if (typeof ct === 'string') blobTypes.set(key, ct);
      return ok201({ 'content-md5': createHash('md5').update(body).digest('base64') });
    }
    const data = blobs.get(key);
    if (!data) {
      res.writeHead(404, { 'x-ms-error-code': 'BlobNotFound', 'content-type': 'application/xml' });
      return res.end(
        req.method === 'HEAD' ? undefined : '<?xml version="1.0"?><Error><Code>BlobNotFound</Code></Error>'
      );
    }
    const headers = blobHeaders(key, data);
    if (req.method === 'HEAD') {
      calls.push(`blob:head ${key}`);
      res.writeHead(200, { ...headers, 'content-length': String(data.length) });
      return res.end();
    }
    if (req.method === 'GET') {
      calls.push(`blob:get ${key}`);
      const range = String(req.headers['x-ms-range'] ?? req.headers.range ?? '');
      const m = /bytes=(\d+)-(\d*)/.exec(range);
      if (m) {
        const start = Number(m[1]);
        const end = Math.min(m[2] ? Number(m[2]) : data.length - 1, data.length - 1);
        const part = data.subarray(start, end + 1);
        res.writeHead(206, {
          ...headers,
          'content-length': String(part.length),
          'content-range': `bytes ${start}-${end}/${data.length}`
        });
        return res.end(part);
      }
      res.writeHead(200, { ...headers, 'content-length': String(data.length) });
      return res.end(data);
    }
    res.writeHead(405);
    res.end();
  };

  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', base);
    const m = /^\/twirp\/github\.actions\.results\.api\.v1\.(\w+\/\w+)$/.exec(u.pathname);
    const p = m
      ? handleTwirp(m[1], req, res)
      : u.pathname.startsWith(`/${ACCOUNT}/`)
        ? handleBlob(u, req, res)
        : null;
    if (!p) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    p.catch(e => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  return {
    url: `${base}/`,
    artifacts,
    caches,
    blobs,
    calls,
    failNext,
    artifactBytes(name) {
      const a = artifacts.filter(x => x.name === name && x.finalized).pop();
      return a ? blobs.get(a.blob) : undefined;
    },
    env(runId = 'run-1111', jobId = 'job-2222') {
      return {
        GITHUB_ACTIONS: 'true',
        ACTIONS_RUNTIME_TOKEN: runtimeToken(runId, jobId),
        ACTIONS_RESULTS_URL: `${base}/`,
        ACTIONS_CACHE_SERVICE_V2: 'true',
        ACTIONS_CACHE_URL: '',
        ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY: '2'
      };
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
