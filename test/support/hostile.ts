/** Text that must stay data: control characters, line forgers and workflow command prefixes. */
import { cli } from './cli.js';

/** Each is placed into a volume id or a name of a real image by patching its bytes. */
export const HOSTILE_TEXT = [
  'X", 1 blocks\n\nverify: PASS ok',
  '\n::error::forged annotation',
  '::add-mask::secret',
  'a\r::stop-commands::tok',
  'x%0A::warning::y',
  '##[set-output name=result;]pass',
  '\x1b]0;title\x07\x1b[2J',
  'tab\there\x7fdel\x9bcsi\x85nel',
  'back\\slash \\n not a newline',
  '\u202eevil\u2028line'
];

/**
 * What must not reach a terminal or the runner's log raw: C0 controls other than the line feed,
 * DEL, C1, the line/paragraph separators, bidi controls, lone surrogates.
 */
const RAW =
  /[\0-\t\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `out` is unsafe to print (a raw control character, a line that is a workflow command), or undefined. */
export function unsafeOutput(out: string): string | undefined {
  const raw = RAW.exec(out);
  if (raw) return `raw U+${raw[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${raw.index}`;
  for (const line of out.split('\n')) {
    if (line.trimStart().startsWith('::')) return `a line starts a workflow command: ${line}`;
    if (line.includes('##[')) return `a line holds the runner's V1 command prefix: ${line}`;
  }
  return undefined;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI's main() in this process, with its output captured (support/cli.ts, named as here). */
export async function runCli(argv: string[]): Promise<CliRun> {
  const r = await cli(argv);
  return { code: r.code, stdout: r.out, stderr: r.err };
}

/**
 * Patch a Rock Ridge NM name (RRIP 4.1.4: `NM`, length, version 1, flags 0, the name) of a real
 * image in place: `from` → `to`, the same length, so no record moves. Every NM of that name is
 * patched; throws when there is none.
 */
export function patchRockRidgeName(image: Buffer, from: string, to: string): Buffer {
  const a = Buffer.from(from, 'utf8');
  const b = Buffer.from(to, 'utf8');
  const nm = (name: Buffer) => Buffer.concat([Buffer.from([0x4e, 0x4d, 5 + name.length, 1, 0]), name]);
  return patchBytes(image, nm(a), nm(b));
}

/** Patch every occurrence of `from` to `to` (same length) in the image's bytes: ISO 9660 or Joliet identifiers. */
export function patchBytes(image: Buffer, from: Buffer, to: Buffer): Buffer {
  if (from.length !== to.length) throw new Error('patchBytes: lengths differ');
  const out = Buffer.from(image);
  let found = 0;
  for (let at = out.indexOf(from); at >= 0; at = out.indexOf(from, at + 1)) {
    to.copy(out, at);
    found++;
  }
  if (found === 0) throw new Error(`patchBytes: ${from.toString('hex')} not found`);
  return out;
}
