"use client";

import { useActionState, useEffect, useRef } from "react";
import type { ImportState } from "./import-state";

type Props = { action: (state: ImportState, form: FormData) => Promise<ImportState>; maxBytes: number };

const inputClass = "mt-1 block w-full text-sm file:mr-3 file:rounded file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 dark:file:border-slate-700 dark:file:bg-slate-900";
const buttonClass = "rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 disabled:opacity-60";
const fmt = (n: number) => n.toLocaleString("en");

export function ImportForm({ action, maxBytes }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const feedback = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.ok || state.error) feedback.current?.focus();
  }, [state]);
  const result = state.result;
  return (
    <div className="space-y-4">
      <form action={formAction} className="space-y-3" aria-describedby="csv-help">
        <div>
          <label htmlFor="events-file" className="block text-sm font-medium">
            CSV file (at most {Math.round(maxBytes / (1024 * 1024))} MB)
          </label>
          <input
            id="events-file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            required
            className={inputClass}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.setCustomValidity(file && file.size > maxBytes ? "This file is too large for the browser upload; split it or use the command line." : "");
            }}
          />
        </div>
        <button type="submit" className={buttonClass} disabled={pending}>
          {pending ? "Importing…" : "Import status events"}
        </button>
      </form>
      <div ref={feedback} tabIndex={-1} role={state.error ? "alert" : "status"} aria-live="polite">
        {state.error ? (
          <p className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">{state.error}</p>
        ) : null}
        {result ? (
          <div className="space-y-3">
            <p className="text-sm">
              <strong>{state.fileName}</strong>: {fmt(result.rows)} rows read.
            </p>
            <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4" data-testid="import-result">
              {[
                ["Accepted", result.accepted, "stored and applied"],
                ["Duplicates", result.duplicates, "already stored, changed nothing"],
                ["Stale", result.stale, "older than the current state, kept in history"],
                ["Rejected", result.rejected, "not stored, see below"],
              ].map(([label, value, hint]) => (
                <div key={label as string} className="rounded border border-slate-200 p-2 dark:border-slate-800">
                  <dt className="text-slate-600 dark:text-slate-300">{label}</dt>
                  <dd className="text-xl font-semibold tabular-nums">{fmt(value as number)}</dd>
                  <dd className="text-xs text-slate-600 dark:text-slate-300">{hint}</dd>
                </div>
              ))}
            </dl>
            {result.rejectedRows.length ? (
              <div className="overflow-x-auto">
                <table className="w-full text-left text-sm">
                  <caption className="mb-1 text-left font-medium">
                    Rejected rows{result.rejected > result.rejectedRows.length ? ` (first ${result.rejectedRows.length} of ${fmt(result.rejected)})` : ""}
                  </caption>
                  <thead>
                    <tr className="border-b border-slate-200 dark:border-slate-800">
                      <th scope="col" className="py-1 pr-4">Line</th>
                      <th scope="col" className="py-1">Why</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.rejectedRows.map((row) => (
                      <tr key={row.line} className="border-b border-slate-100 dark:border-slate-800">
                        <td className="py-1 pr-4 tabular-nums">{row.line}</td>
                        <td className="py-1">{row.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}
