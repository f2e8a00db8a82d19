import type { HistoryEntry } from "@/lib/known-issues/types";
import { STATUS_LABELS, isKnownIssueStatus } from "@/lib/known-issues/lifecycle";
import { formatDateTime, NONE } from "@/lib/format";

const FIELD_LABELS: Record<string, string> = {
  created: "Created",
  status: "Status",
  title: "Title",
  severity: "Severity",
  symptoms: "Symptoms",
  workaround: "Workaround",
  resolution: "Resolution",
  fix_link: "Vendor fix",
  safeguard_hold: "Safeguard hold",
  affected_apps: "Affected apps",
  affected_platforms: "Affected platforms",
  origin_kb: "Originating KB",
  resolving_kb: "Resolving KB",
  resolving_update: "Resolving update",
  build: "Build",
  blocking: "Blocking",
  comment: "Comment",
};

const LONG_TEXT = new Set(["symptoms", "workaround", "resolution"]);

/** Stored values as a person says them: "Resolved (external)", "on", "yes", "none". */
function show(field: string, value: string | null): string {
  if (value === null || value === "") return field === "affected_apps" || field === "affected_platforms" ? "none" : NONE;
  if (field === "status" || field === "created") return isKnownIssueStatus(value) ? STATUS_LABELS[value] : value;
  if (LONG_TEXT.has(field) && value.length > 160) return `${value.slice(0, 160)}…`;
  return value;
}

export function HistoryList({ entries }: { entries: HistoryEntry[] }) {
  if (entries.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-300">No changes recorded.</p>;
  return (
    <ol className="space-y-3 text-sm" aria-label="History, newest first">
      {entries.map((entry) => (
        <li key={entry.id} className="border-l-2 border-slate-200 pl-3 dark:border-slate-700" data-testid="history-entry">
          <div>
            <span className="font-medium">{FIELD_LABELS[entry.field] ?? entry.field}</span>
            {entry.field === "created" ? (
              <> as {show(entry.field, entry.to)}</>
            ) : entry.field === "comment" ? null : entry.field === "fix_link" ? (
              <>
                {entry.to === null ? " removed" : " added"}: <span className="break-words">{entry.to ?? entry.from}</span>
              </>
            ) : (
              <>
                : <span className="break-words">{show(entry.field, entry.from)}</span> → <span className="break-words">{show(entry.field, entry.to)}</span>
              </>
            )}
          </div>
          {entry.note ? <p className="mt-0.5 whitespace-pre-line break-words">“{entry.note}”</p> : null}
          <div className="text-xs text-slate-600 dark:text-slate-300">
            {entry.actor} · <time dateTime={entry.at.toISOString()}>{formatDateTime(entry.at)}</time>
          </div>
        </li>
      ))}
    </ol>
  );
}
