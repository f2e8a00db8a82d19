// Date ticks for a time axis (issue #16 item 14): at most `maxTicks` of them, evenly spaced on
// whole days (1, 2, 7 or 14 days apart) or on the first of the month (1, 2, 3, 6 or 12 months apart),
// so the labels read as a calendar instead of wherever the millisecond scale happened to fall.

const DAY_MS = 86_400_000;
const DAY_STEPS = [1, 2, 7, 14];
const MONTH_STEPS = [1, 2, 3, 6, 12];

export type DateTicks = { ticks: number[]; label: (ms: number) => string };

/** UTC midnight of a day's timestamp. */
const midnight = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

function dayTicks(first: number, last: number, step: number): number[] {
  const ticks: number[] = [];
  for (let t = midnight(first); t <= last; t += step * DAY_MS) ticks.push(t);
  return ticks;
}

/** First of each month from `first` on whose month number is a multiple of `step` (quarters start in January, April …). */
function monthTicks(first: number, last: number, step: number): number[] {
  const start = new Date(midnight(first));
  let year = start.getUTCFullYear();
  let month = start.getUTCDate() === 1 ? start.getUTCMonth() : start.getUTCMonth() + 1;
  month = Math.ceil(month / step) * step;
  const ticks: number[] = [];
  for (;;) {
    year += Math.floor(month / 12);
    month %= 12;
    const t = Date.UTC(year, month, 1);
    if (t > last) return ticks;
    ticks.push(t);
    month += step;
  }
}

const fmt = (options: Intl.DateTimeFormatOptions) => (ms: number) => new Date(ms).toLocaleDateString("en-GB", { ...options, timeZone: "UTC" });

export function dateTicks(firstMs: number, lastMs: number, maxTicks = 6): DateTicks {
  const sameYear = new Date(firstMs).getUTCFullYear() === new Date(lastMs).getUTCFullYear();
  const dayLabel = fmt(sameYear ? { day: "numeric", month: "short" } : { day: "numeric", month: "short", year: "2-digit" });
  for (const step of DAY_STEPS) {
    const ticks = dayTicks(firstMs, lastMs, step);
    if (ticks.length <= maxTicks) return { ticks, label: dayLabel };
  }
  for (const step of MONTH_STEPS) {
    const ticks = monthTicks(firstMs, lastMs, step);
    if (ticks.length <= maxTicks) return { ticks, label: fmt({ month: "short", year: "numeric" }) };
  }
  const years = Math.ceil((new Date(lastMs).getUTCFullYear() - new Date(firstMs).getUTCFullYear() + 1) / maxTicks);
  return { ticks: monthTicks(firstMs, lastMs, 12 * years), label: fmt({ year: "numeric" }) };
}
