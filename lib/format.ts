// How numbers, sizes, durations and dates read everywhere in Rollcall: one definition each, so
// every page, export and message says them the same way (dates in UTC, an em dash for "none").

export const NONE = "—";

/** Decimal units, as vendors state download sizes: 300 MB, 3.7 GB. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

/** Whole numbers with thousands separators: 100,000. */
export function formatNumber(n: number): string {
  return n.toLocaleString("en");
}

export function formatPercent(n: number | null | undefined, none = NONE): string {
  return n == null ? none : `${n.toFixed(1)} %`;
}

function toIso(value: Date | string | null | undefined): string | null {
  if (value == null || value === "") return null;
  return typeof value === "string" ? value : value.toISOString();
}

/** YYYY-MM-DD (UTC). */
export function formatDate(value: Date | string | null | undefined, none = NONE): string {
  const iso = toIso(value);
  return iso ? iso.slice(0, 10) : none;
}

/** YYYY-MM-DD HH:MM UTC. */
export function formatDateTime(value: Date | string | null | undefined, none = NONE): string {
  const iso = toIso(value);
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : none;
}
