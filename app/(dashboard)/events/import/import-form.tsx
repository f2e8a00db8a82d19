"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/form-field";
import { Table, Td, Th } from "@/components/ui/table";
import type { CsvImportResult } from "@/lib/deployments/ingest-csv";
import { EMPTY_FORM } from "@/lib/forms/form-state";
import { formatNumber } from "@/lib/format";
import type { ImportState } from "./actions";

type Props = { action: (state: ImportState, form: FormData) => Promise<ImportState>; maxBytes: number };

const OUTCOMES = [
  { key: "accepted", label: "Accepted", hint: "stored and applied" },
  { key: "duplicates", label: "Duplicates", hint: "already stored, changed nothing" },
  { key: "stale", label: "Stale", hint: "older than the current state, kept in history" },
  { key: "rejected", label: "Rejected", hint: "not stored, see below" },
] as const;

function ImportResult({ result }: { result: CsvImportResult }) {
  const shown = result.rejectedRows.length;
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4" data-testid="import-result">
        {OUTCOMES.map(({ key, label, hint }) => (
          <div key={key} className="rounded border border-slate-200 p-2 dark:border-slate-800">
            <dt className="text-slate-600 dark:text-slate-300">{label}</dt>
            <dd className="text-xl font-semibold tabular-nums">{formatNumber(result[key])}</dd>
            <dd className="text-xs text-slate-600 dark:text-slate-300">{hint}</dd>
          </div>
        ))}
      </dl>
      {shown ? (
        <Table caption={`Rejected rows${result.rejected > shown ? ` (first ${shown} of ${formatNumber(result.rejected)})` : ""}`} showCaption>
          <thead>
            <tr>
              <Th numeric>Line</Th>
              <Th>Why</Th>
            </tr>
          </thead>
          <tbody>
            {result.rejectedRows.map((row) => (
              <tr key={row.line}>
                <Td numeric>{formatNumber(row.line)}</Td>
                <Td>{row.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </div>
  );
}

export function ImportForm({ action, maxBytes }: Props) {
  const [state, formAction] = useActionState<ImportState, FormData>(action, EMPTY_FORM);
  // A refusal about the file is shown once, next to the file field.
  const feedback = state.error && state.fieldErrors?.file ? { ...state, error: undefined } : state;
  return (
    <div className="space-y-4">
      <form action={formAction} className="space-y-3" aria-describedby="csv-help">
        <TextField
          id="events-file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          required
          label={`CSV file (at most ${Math.round(maxBytes / (1024 * 1024))} MB)`}
          errors={state.fieldErrors?.file}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.setCustomValidity(file && file.size > maxBytes ? "This file is too large for the browser upload; split it or use the command line." : "");
          }}
        />
        <SubmitButton pendingLabel="Importing…">Import status events</SubmitButton>
      </form>
      <div aria-live="polite" className="space-y-3">
        <FormFeedback state={feedback} />
        {state.result ? <ImportResult result={state.result} /> : null}
      </div>
    </div>
  );
}
