/**
 * The gates: limits a finished image must meet before anything is published (`max-size`, and in
 * the action `max-growth` over the baseline). Both edges run this one step after the build and
 * before any publishing: a failed gate keeps the finished image (and its sidecars) on disk for
 * inspection, and the action then uploads no artifact, creates no attestation and saves no baseline.
 */
import { IsoforgeError } from './errors.js';
import { formatBytes } from './format.js';

/** `max-growth`: a percentage of the baseline's size or a number of bytes. */
export interface Growth {
  text: string;
  percent?: number;
  bytes?: number;
}

export interface GateLimits {
  maxSize?: number;
  maxGrowth?: Growth;
  /** the baseline image's size; without it `maxGrowth` is not checked */
  baselineSize?: number;
}

export interface GateFailure {
  option: '--max-size' | '--max-growth';
  message: string;
}

/** The gates, each failure a sentence naming the numbers. */
export function checkGates(size: number, limits: GateLimits): GateFailure[] {
  const { maxSize, maxGrowth, baselineSize } = limits;
  const out: GateFailure[] = [];
  if (maxSize !== undefined && size > maxSize) {
    out.push({
      option: '--max-size',
      message: `max-size: the image is ${size} bytes (${formatBytes(size)}), over the limit of ${maxSize} bytes (${formatBytes(maxSize)}) by ${size - maxSize} bytes`
    });
  }
  if (maxGrowth && baselineSize !== undefined) {
    const growth = size - baselineSize;
    const limit =
      maxGrowth.percent !== undefined ? (baselineSize * maxGrowth.percent) / 100 : (maxGrowth.bytes ?? 0);
    if (growth > limit) {
      const pct = baselineSize > 0 ? ((100 * growth) / baselineSize).toFixed(2) : 'inf';
      out.push({
        option: '--max-growth',
        message: `max-growth: the image grew by ${growth} bytes (${pct}%) from ${baselineSize} to ${size} bytes, over the limit of ${maxGrowth.text} (${Math.floor(limit)} bytes)`
      });
    }
  }
  return out;
}

/** Failed gates: the message names each failure and where the image was kept. */
export class GateError extends IsoforgeError {
  /** `the image was kept on disk for inspection at …` */
  readonly kept: string;

  constructor(
    readonly failures: readonly GateFailure[],
    readonly image: string
  ) {
    const kept = `the image was kept on disk for inspection at ${image}`;
    super(`${failures.map(f => f.message).join('; ')}; ${kept}`, { subject: failures[0].option });
    this.name = 'GateError';
    this.kept = kept;
  }

  /** One line without the failures' own sentences (for an edge that showed those already). */
  get brief(): string {
    const names = this.failures.map(f => f.option.slice(2)).join(', ');
    return `${names} failed; ${this.kept}`;
  }
}

/** The gate step: undefined when the image passes, else the error to end the run with. */
export function gateVerdict(
  image: { output: string; size: number },
  limits: GateLimits
): GateError | undefined {
  const failures = checkGates(image.size, limits);
  return failures.length ? new GateError(failures, image.output) : undefined;
}
