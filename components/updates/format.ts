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

export const pct = (n: number | null) => (n === null ? "–" : `${n.toFixed(1)} %`);

export const formatDate = (iso: string | null) => (iso ? iso.slice(0, 10) : "–");

export const formatDateTime = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : "–");

export const tableClass = "w-full border-collapse text-sm [&_td]:border-b [&_td]:border-slate-200 [&_td]:px-2 [&_td]:py-1.5 [&_th]:border-b [&_th]:border-slate-300 [&_th]:px-2 [&_th]:py-1.5 [&_th]:text-left dark:[&_td]:border-slate-800 dark:[&_th]:border-slate-700";
