"use client";
// Every chart sits in this frame: a heading (its accessible name), a one-sentence description, a
// "Show as table" toggle that swaps in a real table (components/ui/table.tsx, sticky header) with the same numbers, and a fixed height
// so neither the first render, a live refresh nor the toggle moves anything below it. The plot
// itself is drawn in the browser only.
import { useId, useState, useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False on the server and while hydrating, true after: the plot (recharts, which measures its box)
 * draws only in the browser, inside the fixed-height box the server already sent, so the page
 * renders faster and nothing moves when it appears.
 */
function useInBrowser(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

export type ChartFrameProps = {
  title: string;
  description: string;
  /** Height of the plot area in px; the table scrolls inside the same box. */
  height: number;
  chart: React.ReactNode;
  table: React.ReactNode;
  /** Shown instead of chart and table when there is nothing to plot. */
  empty?: string | null;
  testId?: string;
};

export function ChartFrame({ title, description, height, chart, table, empty, testId }: ChartFrameProps) {
  const [asTable, setAsTable] = useState(false);
  const inBrowser = useInBrowser();
  const titleId = useId();
  const descriptionId = useId();
  return (
    <section aria-labelledby={titleId} className="min-w-0" data-testid={testId}>
      <div className="flex flex-wrap items-baseline gap-2">
        <h3 id={titleId} className="font-medium">
          {title}
        </h3>
        {empty ? null : (
          <button
            type="button"
            aria-label={`Show as table: ${title}`}
            aria-pressed={asTable}
            onClick={() => setAsTable((v) => !v)}
            className="ml-auto rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
          >
            Show as table
          </button>
        )}
      </div>
      <p id={descriptionId} className="mt-1 text-sm text-slate-700 dark:text-slate-300">
        {description}
      </p>
      <div className="mt-2" style={{ height }}>
        {empty ? (
          <p className="flex h-full items-center justify-center rounded border border-dashed border-slate-300 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-300">{empty}</p>
        ) : asTable ? (
          <div className="h-full overflow-auto" tabIndex={0} role="region" aria-label={`${title} (table)`}>
            {table}
          </div>
        ) : (
          <div role="img" aria-labelledby={titleId} aria-describedby={descriptionId} className="h-full w-full text-xs text-slate-700 dark:text-slate-300">
            {inBrowser ? chart : null}
          </div>
        )}
      </div>
    </section>
  );
}

/** Legends keep the series order and write their labels in the text colour (a yellow label on white is unreadable). */
export const legendProps = {
  itemSorter: null,
  wrapperStyle: { fontSize: 12 },
  formatter: (value: unknown) => <span className="text-slate-800 dark:text-slate-200">{String(value)}</span>,
} as const;

/** Axis and tooltip styling shared by the charts; colours follow the light/dark CSS variables. */
export const axisTick = { fill: "currentColor", fontSize: 12 } as const;
export const tooltipStyle = {
  contentStyle: { background: "var(--c-chart-surface)", border: "1px solid var(--c-grid)", borderRadius: 4, color: "inherit" },
  labelStyle: { color: "inherit", fontWeight: 600 },
  itemStyle: { color: "inherit" },
} as const;
