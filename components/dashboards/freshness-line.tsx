// "Numbers as of 12:03:05 UTC, 2 s behind": said only when a page's numbers come from the read replica
// (DATABASE_REPLICA_URL); numbers from the primary are as fresh as they can be and need no line.
import { formatNumber } from "@/lib/format";

export type Freshness = { asOf: Date; lagSeconds: number };

export function FreshnessLine({ freshness }: { freshness: Freshness | null }) {
  if (!freshness) return null;
  // UTC like every other time on the pages; cut from the ISO form (toLocaleTimeString builds an Intl formatter per call).
  const time = `${freshness.asOf.toISOString().slice(11, 19)} UTC`;
  const behind = freshness.lagSeconds < 1 ? "less than 1 s behind" : `${formatNumber(Math.round(freshness.lagSeconds))} s behind`;
  return (
    <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="freshness-line">
      Numbers as of {time}, {behind} (read from a replica of the database).
    </p>
  );
}
