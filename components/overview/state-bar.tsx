import { DEPLOYMENT_STATES, STATE_LABELS, type StateCounts } from "@/lib/deployments/states";

/** Every state its own colour: a family per meaning (blue in progress, orange waiting), shades within it. */
const COLOURS: Partial<Record<string, string>> = {
  installed: "var(--c-installed)",
  failed: "var(--c-failed)",
  rolled_back: "var(--c-rolled-back)",
  downloading: "var(--c-downloading)",
  installing: "var(--c-in-progress)",
  reboot_required: "var(--c-reboot)",
  pending: "var(--c-waiting)",
  scheduled: "var(--c-scheduled)",
  deferred: "var(--c-deferred)",
  held: "var(--c-held)",
  not_applicable: "var(--c-na)",
  excluded: "var(--c-excluded)",
};

/**
 * A stacked bar of deployment states; the text list below it is its accessible equivalent. Kept
 * lean (classes in globals.css, the legend swatch drawn by CSS): the overview repeats it per wave.
 */
export function StateBar({ counts, label }: { counts: StateCounts; label: string }) {
  const total = DEPLOYMENT_STATES.reduce((n, s) => n + (counts[s] ?? 0), 0);
  const parts = DEPLOYMENT_STATES.filter((s) => (counts[s] ?? 0) > 0);
  return (
    <figure>
      <div className="state-bar" aria-hidden="true">
        {parts.map((s) => (
          <div key={s} style={{ width: `${((counts[s] ?? 0) / total) * 100}%`, background: COLOURS[s] }} />
        ))}
      </div>
      <figcaption className="sr-only">{label}</figcaption>
      <ul className="state-legend">
        {parts.map((s) => (
          <li key={s} style={{ "--swatch": COLOURS[s] } as React.CSSProperties}>
            {`${STATE_LABELS[s]}: `}
            <span className="tabular-nums">{(counts[s] ?? 0).toLocaleString("en")}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
