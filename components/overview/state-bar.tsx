import { DEPLOYMENT_STATES, STATE_LABELS, type StateCounts } from "@/lib/deployments/states";

const COLOURS: Partial<Record<string, string>> = {
  installed: "var(--c-installed)",
  failed: "var(--c-failed)",
  rolled_back: "var(--c-rolled-back)",
  downloading: "var(--c-in-progress)",
  installing: "var(--c-in-progress)",
  reboot_required: "var(--c-in-progress)",
  pending: "var(--c-waiting)",
  scheduled: "var(--c-waiting)",
  deferred: "var(--c-waiting)",
  held: "var(--c-held)",
  not_applicable: "var(--c-na)",
  excluded: "var(--c-excluded)",
};

/** A stacked bar of deployment states; the text list below it is its accessible equivalent. */
export function StateBar({ counts, label }: { counts: StateCounts; label: string }) {
  const total = DEPLOYMENT_STATES.reduce((n, s) => n + (counts[s] ?? 0), 0);
  const parts = DEPLOYMENT_STATES.filter((s) => (counts[s] ?? 0) > 0);
  return (
    <figure>
      <div className="flex h-3 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-800" aria-hidden="true">
        {parts.map((s) => (
          <div key={s} style={{ width: `${((counts[s] ?? 0) / total) * 100}%`, background: COLOURS[s] }} />
        ))}
      </div>
      <figcaption className="sr-only">{label}</figcaption>
      <ul className="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-700 dark:text-slate-300">
        {parts.map((s) => (
          <li key={s}>
            <span className="mr-1 inline-block h-2 w-2 rounded-sm" style={{ background: COLOURS[s] }} aria-hidden="true" />
            {STATE_LABELS[s]}: <span className="tabular-nums">{(counts[s] ?? 0).toLocaleString("en")}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
