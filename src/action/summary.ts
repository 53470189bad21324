/**
 * The job summary (core.summary): a table a reviewer reads at a glance, the baseline comparison
 * and the tree, largest files first. The runner drops a step summary over 1 MiB entirely, so the
 * bytes are measured and the lists trimmed with a line saying how much was left out and where
 * the full manifest is.
 */
import * as core from '@actions/core';
// the one byte formatter; called `human` in this file's many rows
import { formatBytes as human } from '../format.js';
import type { Manifest, ManifestEntry } from '../manifest.js';
import { quoted, safeLine, safeLines, shown } from '../text.js';
import type { ManifestDiff } from './baseline.js';

/** The runner's limit is 1 MiB per step; stay well under it. */
export const SUMMARY_LIMIT = 1024 * 1024;
export const SUMMARY_BUDGET = 960 * 1024;
/** Rows of each baseline list (added/removed/changed) at most. */
const DIFF_ROWS = 200;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

/**
 * Text from an image or a source tree (names, ids, targets) in the summary: rendered by shown()
 * (no line break, control or bidi character survives), then HTML-escaped. Markdown never sees
 * it: the summary is made of HTML blocks, which GFM ends only at a blank line.
 */
const text = (s: string) => escapeHtml(shown(s));
/** A composed message (a check's detail, a gate's failure) on one line, HTML-escaped. */
const line = (s: string) => escapeHtml(safeLine(s));

const code = (s: string) => `<code>${text(s)}</code>`;
const link = (label: string, href: string) => `<a href="${line(href)}">${line(label)}</a>`;

function table(rows: [string, string][]): string {
  const body = rows
    .map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${v}</td></tr>`)
    .join('\n');
  return `<table>\n${body}\n</table>\n`;
}

export interface SummaryArtifact {
  name: string;
  url: string;
}

export interface BuildSummaryInput {
  manifest: Manifest;
  imagePath: string;
  counts: { files: number; dirs: number; symlinks: number };
  signatures: { kind: string; path: string; keyId: string }[];
  checksumPaths: string[];
  manifestPath?: string;
  artifacts: SummaryArtifact[];
  /** where the full manifest can be found when the tree is trimmed */
  manifestWhere: string;
  attestationUrl?: string;
  baseline?: { key: string; diff: ManifestDiff } | { note: string };
  gateFailures: string[];
  elapsedMs?: number;
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

function bootText(m: Manifest): string {
  if (!m.boot.length) return 'none';
  const by = new Map<string, string[]>();
  for (const b of m.boot) {
    const list = by.get(b.platform) ?? [];
    list.push(
      `${code(b.path)} (${b.emulation === 'none' ? 'no emulation' : text(b.emulation)}, ${b.loadSize} sectors, block ${b.lba}${b.bootInfoTable ? ', boot info table' : ''})`
    );
    by.set(b.platform, list);
  }
  return [...by].map(([p, l]) => `<b>${text(p)}</b>: ${l.join('; ')}`).join('<br>');
}

function partitionText(m: Manifest): string {
  if (!m.partitions.length) return 'none';
  return m.partitions
    .map(
      p =>
        `${p.table.toUpperCase()} ${p.number}: ${text(p.type)}${p.name ? ` ${escapeHtml(quoted(p.name))}` : ''}, sectors ${p.start}+${p.sectors}${p.bootable ? ', bootable' : ''}`
    )
    .join('<br>');
}

function pct(delta: number, base: number): string {
  if (base === 0) return delta === 0 ? '0%' : 'n/a';
  return `${delta >= 0 ? '+' : ''}${((100 * delta) / base).toFixed(2)}%`;
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : '-'}${human(Math.abs(n))} (${n >= 0 ? '+' : ''}${n} bytes)`;
}

function entryRows(list: ManifestEntry[], limit: number, total: number): string {
  const rows = list
    .slice(0, limit)
    .map(e => `<tr><td>${code(e.path)}</td><td>${e.type}</td><td align="right">${human(e.size)}</td></tr>`);
  if (total > limit) rows.push(`<tr><td colspan="3">… and ${total - limit} more</td></tr>`);
  return `<table>\n<tr><th>path</th><th>type</th><th>size</th></tr>\n${rows.join('\n')}\n</table>\n`;
}

export function baselineHtml(b: BuildSummaryInput['baseline']): string {
  if (!b) return '';
  if ('note' in b) return `<h3>Baseline</h3>\n<p>${line(b.note)}</p>\n`;
  const d = b.diff;
  const delta = d.sizeAfter - d.sizeBefore;
  let out = `<h3>Baseline</h3>\n<p>Compared with ${code(b.key)}: size ${human(d.sizeBefore)} → ${human(d.sizeAfter)}, ${signed(delta)}, ${pct(delta, d.sizeBefore)}; ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed.</p>\n`;
  if (d.added.length)
    out += `<details><summary>Added (${d.added.length})</summary>\n\n${entryRows(d.added, DIFF_ROWS, d.added.length)}</details>\n`;
  if (d.removed.length)
    out += `<details><summary>Removed (${d.removed.length})</summary>\n\n${entryRows(d.removed, DIFF_ROWS, d.removed.length)}</details>\n`;
  if (d.changed.length) {
    const rows = d.changed
      .slice(0, DIFF_ROWS)
      .map(
        c =>
          `<tr><td>${code(c.path)}</td><td>${line(c.what.join(', '))}</td><td align="right">${human(c.before.size)} → ${human(c.after.size)}</td></tr>`
      );
    if (d.changed.length > DIFF_ROWS)
      rows.push(`<tr><td colspan="3">… and ${d.changed.length - DIFF_ROWS} more</td></tr>`);
    out += `<details><summary>Changed (${d.changed.length})</summary>\n\n<table>\n<tr><th>path</th><th>what</th><th>size</th></tr>\n${rows.join('\n')}\n</table>\n</details>\n`;
  }
  return out;
}

/** The tree, largest first, as many rows as fit in `budget` bytes. */
export function treeHtml(
  m: Manifest,
  budget: number,
  where: string
): { html: string; shown: number; omitted: number } {
  const sorted = [...m.entries].sort(
    (a, b) => b.size - a.size || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  );
  const head = `<details><summary>Tree: ${m.entries.length} entries, largest first</summary>\n\n<table>\n<tr><th>path</th><th>size</th><th>mode</th><th>sha256</th></tr>\n`;
  const tailFor = (omitted: number) =>
    `</table>\n${omitted ? `<p>${omitted} of ${m.entries.length} entries left out to keep this summary under 1 MiB; the full list is in ${line(where)}.</p>\n` : ''}</details>\n`;
  let used = Buffer.byteLength(head) + Buffer.byteLength(tailFor(m.entries.length)) + 16;
  const rows: string[] = [];
  for (const e of sorted) {
    const what =
      e.type === 'symlink' ? `→ ${text(e.target ?? '')}` : e.type === 'dir' ? 'dir' : human(e.size);
    const row = `<tr><td>${code(e.type === 'dir' ? `${e.path}/` : e.path)}</td><td align="right">${what}</td><td>${text(e.mode)}</td><td>${e.sha256 ? `<code>${e.sha256.slice(0, 16)}…</code>` : ''}</td></tr>\n`;
    const n = Buffer.byteLength(row);
    if (used + n > budget) break;
    used += n;
    rows.push(row);
  }
  const omitted = sorted.length - rows.length;
  return { html: head + rows.join('') + tailFor(omitted), shown: rows.length, omitted };
}

/** The whole build summary as HTML, at most `budget` bytes. */
export function buildSummaryHtml(s: BuildSummaryInput, budget = SUMMARY_BUDGET): string {
  const m = s.manifest;
  const rows: [string, string][] = [
    ['Image', code(baseName(s.imagePath))],
    ['Size', `${human(m.image.size)} (${m.image.size} bytes)`],
    ['SHA-256', m.image.sha256 ? code(m.image.sha256) : '—']
  ];
  if (m.image.sha512) rows.push(['SHA-512', code(m.image.sha512)]);
  rows.push(
    ['Epoch', `${m.epoch} (${new Date(m.epoch * 1000).toISOString().replace('.000Z', 'Z')})`],
    ['Files', `${s.counts.files} files, ${s.counts.dirs} directories, ${s.counts.symlinks} symlinks`],
    ['Boot entries', bootText(m)],
    ['Partitions', partitionText(m)]
  );
  if (m.image.md5Implanted) rows.push(['Implanted MD5', 'yes (checkisomd5)']);
  if (s.checksumPaths.length)
    rows.push(['Checksums', s.checksumPaths.map(p => code(baseName(p))).join(', ')]);
  rows.push([
    'Signatures',
    s.signatures.length
      ? s.signatures.map(g => `${line(g.kind)} ${code(baseName(g.path))} key ${code(g.keyId)}`).join('<br>')
      : 'none'
  ]);
  if (s.artifacts.length) rows.push(['Artifacts', s.artifacts.map(a => link(a.name, a.url)).join('<br>')]);
  if (s.attestationUrl) rows.push(['Attestation', link(s.attestationUrl, s.attestationUrl)]);
  if (s.elapsedMs !== undefined) rows.push(['Build time', `${(s.elapsedMs / 1000).toFixed(2)} s`]);
  let html = `<h2>💿 ${text(m.volumeId)}</h2>\n`;
  for (const f of s.gateFailures) html += `<p>❌ <b>${line(f)}</b></p>\n`;
  html += table(rows) + baselineHtml(s.baseline);
  const tree = treeHtml(m, budget - Buffer.byteLength(html), s.manifestWhere);
  return html + tree.html;
}

export interface VerifySummaryInput {
  image: string;
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
  serialLogs: { name: string; path?: string; tail: string }[];
  artifacts: SummaryArtifact[];
}

export function verifySummaryHtml(v: VerifySummaryInput, budget = SUMMARY_BUDGET): string {
  let html = `<h2>${v.ok ? '✅' : '❌'} isoforge verify: ${v.ok ? 'pass' : 'fail'}</h2>\n<p>${code(baseName(v.image))}</p>\n`;
  const rows = v.checks
    .map(c => `<tr><td>${c.ok ? '✅' : '❌'}</td><td>${line(c.name)}</td><td>${line(c.detail)}</td></tr>`)
    .join('\n');
  html += `<table>\n<tr><th></th><th>check</th><th>detail</th></tr>\n${rows}\n</table>\n`;
  if (v.artifacts.length)
    html += `<p>Artifacts: ${v.artifacts.map(a => link(a.name, a.url)).join(', ')}</p>\n`;
  for (const s of v.serialLogs) {
    const room = Math.max(
      0,
      Math.floor((budget - Buffer.byteLength(html)) / Math.max(1, v.serialLogs.length)) - 200
    );
    // the guest's output is as hostile as the image: each line made safe, the lines kept
    let tail = safeLines(s.tail.slice(-room)).join('\n');
    while (tail.length && Buffer.byteLength(escapeHtml(tail)) > room)
      tail = tail.slice(Math.ceil(tail.length / 10));
    html += `<details><summary>Serial console: ${line(s.name)} (last lines)</summary>\n\n<pre>${escapeHtml(tail)}</pre>\n</details>\n`;
  }
  return html;
}

/** Append `html` to the step summary; returns the bytes written. */
export async function writeSummary(html: string): Promise<number> {
  core.summary.emptyBuffer();
  core.summary.addRaw(html, true);
  const bytes = Buffer.byteLength(core.summary.stringify());
  if (bytes > SUMMARY_LIMIT) {
    core.warning(`job summary of ${bytes} bytes is over the runner's 1 MiB limit; not written`);
    core.summary.emptyBuffer();
    return 0;
  }
  await core.summary.write();
  return bytes;
}
