/**
 * Checksum list files (SHA256SUMS, SHA512SUMS) as GNU coreutils and BSD/signify read them:
 *   GNU:  `<hex>  <name>`            (sha256sum; `<hex> *<name>` in binary mode)
 *   BSD:  `SHA256 (<name>) = <hex>`  (sha256sum --tag, signify -C, FreeBSD)
 * A name holding `\` or a newline is escaped as coreutils does: the line starts with `\`, and
 * `\\`, `\n`, `\r` stand for the characters.
 */
import type { DigestName } from '../image/build.js';

export type ChecksumFormat = 'gnu' | 'bsd';

export const SUMS_FILE: Record<DigestName, string> = { sha256: 'SHA256SUMS', sha512: 'SHA512SUMS' };
const TAG: Record<DigestName, string> = { sha256: 'SHA256', sha512: 'SHA512' };
const HEX_LEN: Record<DigestName, number> = { sha256: 64, sha512: 128 };

function escapeName(name: string): { escaped: boolean; text: string } {
  if (!/[\\\n\r]/.test(name)) return { escaped: false, text: name };
  return {
    escaped: true,
    text: name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
  };
}

function unescapeName(text: string): string {
  return text.replace(/\\(\\|n|r)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : '\\'));
}

export function formatChecksumLine(
  algorithm: DigestName,
  hex: string,
  name: string,
  format: ChecksumFormat
): string {
  const { escaped, text } = escapeName(name);
  const lead = escaped ? '\\' : '';
  return format === 'bsd' ? `${lead}${TAG[algorithm]} (${text}) = ${hex}` : `${lead}${hex}  ${text}`;
}

/** The file name a checksum line is about (either format), or undefined for other lines. */
export function checksumLineName(algorithm: DigestName, line: string): string | undefined {
  let l = line.replace(/\r$/, '');
  const escaped = l.startsWith('\\');
  if (escaped) l = l.slice(1);
  const n = HEX_LEN[algorithm];
  const gnu = new RegExp(`^[0-9a-fA-F]{${n}} [ *](.*)$`).exec(l);
  const bsd = new RegExp(`^${TAG[algorithm]} ?\\((.*)\\) ?= [0-9a-fA-F]{${n}}$`).exec(l);
  const name = gnu?.[1] ?? bsd?.[1];
  if (name === undefined) return undefined;
  return escaped ? unescapeName(name) : name;
}

/**
 * The new content of a checksum file: `existing` with the line for `name` replaced in place (or
 * appended), every other line kept in its order.
 */
export function mergeChecksumFile(
  existing: string | undefined,
  algorithm: DigestName,
  hex: string,
  name: string,
  format: ChecksumFormat
): string {
  const ours = formatChecksumLine(algorithm, hex, name, format);
  const lines = existing ? existing.split('\n') : [];
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  let placed = false;
  const out: string[] = [];
  for (const l of lines) {
    if (checksumLineName(algorithm, l) === name) {
      if (!placed) out.push(ours);
      placed = true;
    } else {
      out.push(l);
    }
  }
  if (!placed) out.push(ours);
  return out.join('\n') + '\n';
}
