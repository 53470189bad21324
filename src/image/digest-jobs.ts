/**
 * The hash workers of a build and the digest jobs they answer: the image's digests (`digests`),
 * every file's SHA-256 (the manifest), and the jobs another room asks for (a signature's digest,
 * perhaps continued with its hashed part). A job whose algorithm the image worker computes anyway
 * is answered by it; the others share one worker of their own, so a slow digest (BLAKE2b-512) is
 * not in the way of the windows.
 */
import { FileDigests, type DigestLookup } from './file-digests.js';
import { HashWorker, type Continuation } from './hasher.js';
import type { Hashers } from './write.js';

/** A digest of the whole image (any node:crypto algorithm), continued at the end if asked. */
export interface DigestJob {
  algorithm: string;
  /**
   * Called once every byte of the image is hashed: bytes that go after the image into this
   * digest, each on its own (a signature's hashed part); the results are DigestJobResult.continued.
   */
  continueWith?: () => readonly Buffer[];
}

export interface DigestJobResult {
  /** the digest of the image, raw */
  digest: Buffer;
  /** the digest of the image followed by each of continueWith(), in order */
  continued: Buffer[];
}

export class DigestWorkers {
  readonly hashers: Hashers;
  private readonly image: HashWorker | undefined;
  private readonly files: HashWorker | undefined;
  private readonly other: HashWorker | undefined;
  /** which worker answers each job's algorithm: the image's when it computes it, else the other */
  private readonly workerFor = new Map<string, HashWorker>();

  constructor(
    algorithms: readonly string[],
    fileDigests: boolean,
    private readonly jobs: readonly DigestJob[]
  ) {
    const own = [...new Set(jobs.map(j => j.algorithm).filter(a => !algorithms.includes(a)))];
    this.image = algorithms.length ? new HashWorker(algorithms) : undefined;
    this.files = fileDigests ? new HashWorker([]) : undefined;
    this.other = own.length ? new HashWorker(own) : undefined;
    this.hashers = { image: this.image, files: this.files, others: this.other ? [this.other] : [] };
    for (const a of algorithms) this.workerFor.set(a, this.image!);
    for (const a of own) this.workerFor.set(a, this.other!);
  }

  /** Once the image is written: its digests (hex), the files' and the jobs'. Ends the workers. */
  async finish(): Promise<{
    digests: Record<string, string>;
    fileDigests: DigestLookup;
    jobs: Map<DigestJob, DigestJobResult>;
  }> {
    const asked = new Map<HashWorker, { job: DigestJob; c: Continuation }[]>();
    for (const job of this.jobs) {
      const w = this.workerFor.get(job.algorithm)!;
      const c = { algorithm: job.algorithm, suffixes: job.continueWith?.() ?? [] };
      asked.set(w, [...(asked.get(w) ?? []), { job, c }]);
    }
    const jobs = new Map<DigestJob, DigestJobResult>();
    const finish = async (w: HashWorker | undefined) => {
      if (!w) return {};
      const list = asked.get(w) ?? [];
      const r = await w.finish(list.map(x => x.c));
      list.forEach(({ job }, i) =>
        jobs.set(job, { digest: Buffer.from(r.digests[job.algorithm], 'hex'), continued: r.continued[i] })
      );
      return r.digests;
    };
    const digests = await finish(this.image);
    if (this.files) await this.files.finish();
    await finish(this.other);
    return { digests, fileDigests: this.files?.fileDigests ?? new FileDigests(), jobs };
  }

  async close(): Promise<void> {
    for (const h of [this.image, this.files, this.other]) await h?.close().catch(() => undefined);
  }
}
