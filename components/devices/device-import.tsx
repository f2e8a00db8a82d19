"use client";
// Inventory CSV import: check first (nothing written; every bad row listed with its reasons), then
// apply (good rows stored, bad rows reported again). Uses the same API as the distribution tools.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { RejectedRowsTable } from "@/components/ui/rejected-rows";
import { FormFeedback } from "@/components/ui/feedback";
import { TextAreaField } from "@/components/ui/form-field";
import { formatNumber } from "@/lib/format";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

type Answer = {
  dryRun: boolean;
  received: number;
  accepted: number;
  created: number;
  updated: number;
  rejected: { index: number; line?: number; hostname?: string; errors: { path: string; message: string }[] }[];
  rolloutsReevaluated: number;
};


export function DeviceImport() {
  const [csv, setCsv] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  // Kept as one object so the feedback is focused when an error arrives, not on every keystroke.
  const [outcome, setOutcome] = useState<FormState>(EMPTY_FORM);
  const [busy, setBusy] = useState(false);

  async function send(dryRun: boolean) {
    setBusy(true);
    setOutcome(EMPTY_FORM);
    try {
      const response = await fetch(`/api/v1/devices${dryRun ? "?dryRun=true" : ""}`, { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
      const body = await response.json();
      if (!response.ok) {
        setAnswer(null);
        setOutcome({ error: [body.detail, ...((body.errors ?? []) as { message: string }[]).map((e) => e.message)].filter(Boolean).join(" ") });
      } else setAnswer(body as Answer);
    } catch {
      setOutcome({ error: "The upload did not reach the server; nothing was changed." });
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
      <TextAreaField
        id="csv-text"
        name="csv"
        label="…or paste CSV"
        rows={6}
        className="[&_textarea]:font-mono [&_textarea]:text-xs"
        value={fileName ? `(${fileName}: ${formatNumber(csv.split("\n").length)} lines)` : csv}
        readOnly={fileName !== null}
        onChange={(e) => {
          setAnswer(null);
          setCsv(e.target.value);
        }}
        hint="Columns: hostname, os, osVersion, site, department, channel (network, offline_media or technician), tags (separated by ;), apps (name@version separated by ;). Sites and departments must exist."
      />
      <div className="flex gap-2">
        <Button variant="secondary" disabled={busy || !csv.trim()} onClick={() => send(true)}>
          Check
        </Button>
        <Button disabled={busy || !answer?.dryRun || answer.accepted === 0} onClick={() => send(false)}>
          Apply {answer?.dryRun ? `${formatNumber(answer.accepted)} good rows` : ""}
        </Button>
      </div>
      <FormFeedback state={outcome} />
      {answer ? (
        <section aria-live="polite" className="space-y-2" data-testid="import-answer">
          <p className="text-sm">
            {answer.dryRun ? "Check: " : "Imported: "}
            {formatNumber(answer.received)} rows, {formatNumber(answer.accepted)} good ({formatNumber(answer.created)} new, {formatNumber(answer.updated)} updated),{" "}
            {formatNumber(answer.rejected.length)} rejected.
            {answer.dryRun ? " Nothing was written yet." : ` ${answer.rolloutsReevaluated} open rollouts re-evaluated.`}
          </p>
          <RejectedRowsTable rows={answer.rejected} title="Rejected rows" numberLabel="Line" reasonLabel="Problems" withPaths />
        </section>
      ) : null}
    </div>
  );
}
