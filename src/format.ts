/** Numbers for people: the one byte formatter (CLI lines, inspect, job summary, gate messages). */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1023 → `1023 B`, 1536 → `1.5 KiB`, 3·2^30 → `3.0 GiB`; negative sizes keep their sign. */
export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${UNITS[u]}`;
}

/** An exact size, as limits are given: `32 KiB`, `1 MiB`, or bytes (formatBytes rounds: `32.0 KiB`). */
export function formatLimit(bytes: number): string {
  if (bytes >= 2 ** 20 && bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Seconds → `42 s`, `3 min 5 s`; `?` when not finite. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}
