"use client";
// Inventory CSV import: check first (nothing written; every bad row listed with its reasons), then
// apply (good rows stored, bad rows reported again). Uses the same API as the distribution tools.
import { useState } from "react";
import { buttonClass, FormOutcome, inputClass, secondaryButtonClass } from "@/components/rollouts/form-bits";

type Answer = {
  dryRun: boolean;
  received: number;
  accepted: number;
  created: number;
  updated: number;
  rejected: { index: number; line?: number; hostname?: string; errors: { path: string; message: string }[] }[];
  rolloutsReevaluated: number;
};

const SHOWN = 100;

export function DeviceImport() {
  const [csv, setCsv] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function send(dryRun: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      const response = await fetch(`/api/v1/devices${dryRun ? "?dryRun=true" : ""}`, { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
      const body = await response.json();
      if (!response.ok) {
        setAnswer(null);
        setError([body.detail, ...((body.errors ?? []) as { message: string }[]).map((e) => e.message)].filter(Boolean).join(" "));
      } else setAnswer(body as Answer);
    } catch {
      setError("The upload did not reach the server; nothing was changed.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-4">
      <div>
        <label htmlFor="csv-file" className="block text-sm font-medium">
          CSV file
        </label>
        <input
          id="csv-file"
          type="file"
          accept=".csv,text/csv"
          className="mt-1 block text-sm"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            setAnswer(null);
            setFileName(file?.name ?? null);
            setCsv(file ? await file.text() : "");
          }}
        />
      </div>
      <div>
        <label htmlFor="csv-text" className="block text-sm font-medium">
          …or paste CSV
        </label>
        <textarea
          id="csv-text"
          rows={6}
          className={`${inputClass} font-mono text-xs`}
          value={fileName ? `(${fileName}: ${csv.split("\n").length.toLocaleString("en")} lines)` : csv}
          readOnly={fileName !== null}
          onChange={(e) => {
            setAnswer(null);
            setCsv(e.target.value);
          }}
          aria-describedby="csv-hint"
        />
        <p id="csv-hint" className="mt-1 text-xs text-slate-600 dark:text-slate-300">
          Columns: hostname, os, osVersion, site, department, channel (network, offline_media or technician), tags (separated by ;), apps (name@version separated by ;). Sites and departments must exist.
        </p>
      </div>
      <div className="flex gap-2">
        <button type="button" className={secondaryButtonClass} disabled={busy || !csv.trim()} onClick={() => send(true)}>
          Check
        </button>
        <button type="button" className={buttonClass} disabled={busy || !answer?.dryRun || answer.accepted === 0} onClick={() => send(false)}>
          Apply {answer?.dryRun ? `${answer.accepted.toLocaleString("en")} good rows` : ""}
        </button>
      </div>
      <FormOutcome state={{ error }} />
      {answer ? (
        <section aria-live="polite" className="space-y-2" data-testid="import-answer">
          <p className="text-sm">
            {answer.dryRun ? "Check: " : "Imported: "}
            {answer.received.toLocaleString("en")} rows, {answer.accepted.toLocaleString("en")} good ({answer.created.toLocaleString("en")} new, {answer.updated.toLocaleString("en")} updated),{" "}
            {answer.rejected.length.toLocaleString("en")} rejected.
            {answer.dryRun ? " Nothing was written yet." : ` ${answer.rolloutsReevaluated} open rollouts re-evaluated.`}
          </p>
          {answer.rejected.length ? (
            <table className="w-full text-sm">
              <caption className="text-left font-medium">Rejected rows{answer.rejected.length > SHOWN ? ` (first ${SHOWN})` : ""}</caption>
              <thead>
                <tr className="text-left">
                  <th scope="col">Line</th>
                  <th scope="col">Hostname</th>
                  <th scope="col">Problems</th>
                </tr>
              </thead>
              <tbody>
                {answer.rejected.slice(0, SHOWN).map((r) => (
                  <tr key={r.index} className="border-t border-slate-200 dark:border-slate-800">
                    <td className="tabular-nums">{r.line ?? r.index + 1}</td>
                    <td>{r.hostname ?? "–"}</td>
                    <td>{r.errors.map((e) => `${e.path}: ${e.message}`).join(" · ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
