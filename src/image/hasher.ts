/**
 * Hashing off the main thread: the image digests and the per-file SHA-256 are computed in a worker
 * from the sink's shared buffers while the main thread keeps reading and writing (2 cores: one does
 * I/O, one hashes). Same bytes, same single pass; nothing is read twice.
 */
import { Worker } from 'node:worker_threads';

/** A run of one file's bytes inside a sink buffer. */
export interface FileRange {
  path: string;
  start: number;
  end: number;
  /** the file's last bytes: finish its digest */
  last: boolean;
}

// The worker is a CommonJS script given as source (eval), so bundlers need not know about it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const image = workerData.algorithms.map(a => [a, createHash(a)]);
const files = new Map();
parentPort.on('message', m => {
  if (m.type === 'chunk') {
    const view = Buffer.from(m.sab, m.offset, m.length);
    for (const [, h] of image) h.update(view);
    const done = [];
    for (const r of m.ranges) {
      let h = files.get(r.path);
      if (!h) { h = createHash('sha256'); files.set(r.path, h); }
      h.update(view.subarray(r.start, r.end));
      if (r.last) { done.push([r.path, h.digest('hex')]); files.delete(r.path); }
    }
    parentPort.postMessage({ type: 'done', id: m.id, files: done });
  } else if (m.type === 'finish') {
    parentPort.postMessage({ type: 'digests', digests: Object.fromEntries(image.map(([a, h]) => [a, h.digest('hex')])) });
  }
});
`;

interface Reply {
  type: 'done' | 'digests';
  id?: number;
  files?: [string, string][];
  digests?: Record<string, string>;
}

export class HashWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, () => void>();
  private nextId = 1;
  private failure: Error | undefined;
  private finished: ((d: Record<string, string>) => void) | undefined;
  readonly fileDigests = new Map<string, string>();

  constructor(algorithms: readonly string[]) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { algorithms } });
    this.worker.on('message', (m: Reply) => {
      if (m.type === 'done') {
        for (const [p, h] of m.files ?? []) this.fileDigests.set(p, h);
        this.waiting.get(m.id!)?.();
        this.waiting.delete(m.id!);
      } else if (m.type === 'digests') this.finished?.(m.digests ?? {});
    });
    this.worker.on('error', e => this.fail(e));
    this.worker.on('exit', code => {
      if (code !== 0) this.fail(new Error(`hash worker exited with code ${code}`));
    });
  }

  private fail(e: Error): void {
    this.failure = e;
    for (const w of this.waiting.values()) w();
    this.waiting.clear();
  }

  /** Hash `length` bytes at `offset` of a shared buffer; resolves when the worker is done with it. */
  submit(sab: SharedArrayBuffer, offset: number, length: number, ranges: FileRange[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, () => (this.failure ? reject(this.failure) : resolve()));
      this.worker.postMessage({ type: 'chunk', id, sab, offset, length, ranges });
    });
  }

  /** The image digests; ends the worker. */
  async finish(): Promise<Record<string, string>> {
    if (this.failure) throw this.failure;
    const digests = await new Promise<Record<string, string>>(resolve => {
      this.finished = resolve;
      this.worker.postMessage({ type: 'finish' });
    });
    await this.worker.terminate();
    return digests;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
