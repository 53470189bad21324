/**
 * Hashing off the main thread: the image digests and the per-file SHA-256 are computed in workers
 * from the writer's shared windows while the main thread reads, encodes and writes. Same bytes, same
 * single pass; nothing is read twice.
 */
import { Worker } from 'node:worker_threads';
import { FileDigests, SHA256_BYTES } from './file-digests.js';

/** A run of one file's bytes inside a window. */
export interface FileRange {
  /** the file's first block in the image: it names the file (no path goes to the worker) */
  block: number;
  start: number;
  end: number;
  /** the file's last bytes: finish its digest */
  last: boolean;
}

// The worker is a CommonJS script given as source (eval), so bundlers need not know about it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { closeSync, openSync, readSync } = require('node:fs');
const image = workerData.algorithms.map(a => [a, createHash(a)]);
const files = new Map();
parentPort.on('message', m => {
  if (m.type === 'chunk') {
    const view = Buffer.from(m.sab, m.offset, m.length);
    for (const [, h] of image) h.update(view);
    // each finished file as its index in m.ranges and its 32 raw bytes (not its path and hex again)
    const done = [];
    const sums = [];
    m.ranges.forEach((r, i) => {
      let h = files.get(r.block);
      if (!h) { h = createHash('sha256'); files.set(r.block, h); }
      h.update(view.subarray(r.start, r.end));
      if (r.last) { done.push(i); sums.push(h.digest()); files.delete(r.block); }
    });
    parentPort.postMessage({ type: 'done', id: m.id, done, sums: done.length ? Buffer.concat(sums) : undefined });
  } else if (m.type === 'file') {
    // a whole file into the image digests, read here (verify's checksums, while its main thread
    // hashes the manifest's files)
    const buf = Buffer.allocUnsafe(8 * 1024 * 1024);
    const fd = openSync(m.path, 'r');
    try {
      for (let pos = 0; pos < m.size; ) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, m.size - pos), pos);
        if (n === 0) throw new Error(m.path + ': shorter than ' + m.size + ' bytes');
        for (const [, h] of image) h.update(buf.subarray(0, n));
        pos += n;
      }
    } finally {
      closeSync(fd);
    }
    parentPort.postMessage({ type: 'done', id: m.id });
  } else if (m.type === 'finish') {
    // digests continued with suffixes (a signature's hashed part), before they end
    const continued = m.continued.map(c => {
      const h = image.find(([a]) => a === c.algorithm)[1];
      return c.suffixes.map(s => h.copy().update(s).digest());
    });
    parentPort.postMessage({ type: 'digests', digests: Object.fromEntries(image.map(([a, h]) => [a, h.digest('hex')])), continued });
  }
});
`;

/** A digest of the image to continue with each of `suffixes` once the image is hashed. */
export interface Continuation {
  algorithm: string;
  suffixes: readonly Buffer[];
}

export interface ImageDigests {
  /** hex, by algorithm */
  digests: Record<string, string>;
  /** for each continuation given to finish(): its digest followed by each suffix, in order */
  continued: Buffer[][];
}

interface Reply {
  type: 'done' | 'digests';
  id?: number;
  /** finished files: indices into the chunk's ranges, their SHA-256 in turn in sums */
  done?: number[];
  sums?: Uint8Array;
  digests?: Record<string, string>;
  continued?: Uint8Array[][];
}

export class HashWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, (m?: Reply) => void>();
  private nextId = 1;
  private failure: Error | undefined;
  /** settles finish() */
  private finished: { resolve: (d: ImageDigests) => void; reject: (e: Error) => void } | undefined;
  readonly fileDigests = new FileDigests();

  constructor(readonly algorithms: readonly string[]) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { algorithms } });
    this.worker.on('message', (m: Reply) => {
      if (m.type === 'done') {
        this.waiting.get(m.id!)?.(m);
        this.waiting.delete(m.id!);
      } else if (m.type === 'digests')
        this.finished?.resolve({
          digests: m.digests ?? {},
          continued: (m.continued ?? []).map(c =>
            c.map(d => Buffer.from(d.buffer, d.byteOffset, d.byteLength))
          )
        });
    });
    this.worker.on('error', e => this.fail(e));
    // whatever the code (terminate() ends a worker with 0 here), what still waits fails
    this.worker.on('exit', code => this.fail(new Error(`hash worker exited with code ${code}`)));
  }

  private fail(e: Error): void {
    this.failure = e;
    for (const w of this.waiting.values()) w();
    this.waiting.clear();
    // a worker that ends while finishing (closed, crashed) must not leave finish() waiting
    this.finished?.reject(e);
  }

  /** Hash `length` bytes at `offset` of a shared buffer; resolves when the worker is done with it. */
  submit(sab: SharedArrayBuffer, offset: number, length: number, ranges: FileRange[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, m => {
        try {
          m?.done?.forEach((r, i) => this.fileDigests.add(ranges[r].block, m.sums!, i * SHA256_BYTES));
        } catch (e) {
          return reject(e as Error);
        }
        return this.failure ? reject(this.failure) : resolve();
      });
      this.worker.postMessage({ type: 'chunk', id, sab, offset, length, ranges });
    });
  }

  /**
   * Hash the first `size` bytes of the file at `path` into the image digests, reading it in the
   * worker; finish() gives the digests. A read error ends the worker (it rejects).
   */
  hashFile(path: string, size: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, () => (this.failure ? reject(this.failure) : resolve()));
      this.worker.postMessage({ type: 'file', id, path, size });
    });
  }

  /**
   * The image digests (hex), and each continuation's digest continued with each of its suffixes
   * (raw; the worker must compute the algorithm); ends the worker.
   */
  async finish(continued: readonly Continuation[] = []): Promise<ImageDigests> {
    if (this.failure) throw this.failure;
    for (const c of continued)
      if (!this.algorithms.includes(c.algorithm))
        throw new Error(`internal: a continued ${c.algorithm} needs the image's ${c.algorithm}`);
    const result = await new Promise<ImageDigests>((resolve, reject) => {
      this.finished = { resolve, reject };
      this.worker.postMessage({ type: 'finish', continued });
    });
    await this.worker.terminate();
    return result;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
