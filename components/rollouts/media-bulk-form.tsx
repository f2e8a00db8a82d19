"use client";
// Record one offline-media step for many machines (issue #21), the device import's way: paste or upload
// hostnames, choose the step and its date (batch, reference, office…), check first (nothing written,
// every bad row listed with its reasons), then apply (good rows stored, bad rows reported again).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { RejectedRowsTable } from "@/components/ui/rejected-rows";
import { FormFeedback } from "@/components/ui/feedback";
import { SelectField, TextAreaField, TextField } from "@/components/ui/form-field";
import { formatNumber } from "@/lib/format";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";
import { STEP_LABELS, type MediaStepValue } from "@/lib/rollouts/media-journey";

type Answer = { dryRun: boolean; received: number; accepted: number; rejected: { index: number; hostname: string; errors: { path: string; message: string }[] }[] };


/** Hostnames from pasted text or a CSV file: the first cell of each line, a `hostname` header skipped. */
export function hostnamesFrom(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.split(/[,;\t]/)[0].trim().replace(/^"|"$/g, ""))
    .filter((h, i) => h !== "" && !(i === 0 && h.toLowerCase() === "hostname"));
}

export function MediaBulkForm({ rolloutId, steps, today }: { rolloutId: number; steps: readonly MediaStepValue[]; today: string }) {
  const router = useRouter();
  const [text, setText] = useState("");
  const [fields, setFields] = useState({ step: steps[0], date: today, batch: "", reference: "", office: "", technician: "" });
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [outcome, setOutcome] = useState<FormState>(EMPTY_FORM);
  const [busy, setBusy] = useState(false);
  const hostnames = hostnamesFrom(text);
  const change = (name: keyof typeof fields) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    setAnswer(null);
    setFields({ ...fields, [name]: e.target.value });
  };

  async function send(dryRun: boolean) {
    setBusy(true);
    setOutcome(EMPTY_FORM);
    try {
      const body = { hostnames, step: fields.step, date: fields.date, batch: fields.batch, reference: fields.reference, office: fields.office, technician: fields.technician };
      const response = await fetch(`/api/v1/rollouts/${rolloutId}/media${dryRun ? "?dryRun=true" : ""}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const json = await response.json();
      if (!response.ok) {
        setAnswer(null);
        const errors = (json.errors ?? []) as { path: string; message: string }[];
        setOutcome({ error: json.detail ?? json.title, fieldErrors: Object.fromEntries(errors.map((e) => [e.path, [e.message]])) });
        return;
      }
      setAnswer(json as Answer);
      if (!dryRun) {
        setOutcome({ ok: true, message: `Recorded "${STEP_LABELS[fields.step].toLowerCase()}" for ${formatNumber(json.accepted)} machines.` });
        router.refresh();
      }
    } catch {
      setOutcome({ error: "The request did not reach the server; nothing was changed." });
    } finally {
      setBusy(false);
    }
  }

  const errorsOf = (name: string) => outcome.fieldErrors?.[name];
  return (
    <div className="space-y-3">
      <div>
        <label htmlFor="media-file" className="block text-sm font-medium">
          CSV file of hostnames
        </label>
        <input
          id="media-file"
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          className="mt-1 block text-sm"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            setAnswer(null);
            setText(file ? await file.text() : "");
          }}
        />
      </div>
      <TextAreaField
        id="media-hostnames"
        name="hostnames"
        label="…or paste hostnames"
        rows={5}
        className="[&_textarea]:font-mono [&_textarea]:text-xs"
        value={text}
        errors={errorsOf("hostnames")}
        onChange={(e) => {
          setAnswer(null);
          setText(e.target.value);
        }}
        hint={`One per line (or the first column of a CSV). ${formatNumber(hostnames.length)} hostnames.`}
      />
      <div className="grid gap-2 sm:grid-cols-3">
        <SelectField id="media-step" name="step" label="Step to record" options={steps.map((s) => ({ value: s, label: STEP_LABELS[s] }))} value={fields.step} onChange={change("step")} errors={errorsOf("step")} />
        <TextField id="media-date" name="date" label={fields.step === "appointment" ? "Appointment on" : "Date"} type="date" value={fields.date} onChange={change("date")} errors={errorsOf("date")} />
        {fields.step === "posted" ? (
          <>
            <TextField id="media-batch" name="batch" label="Batch or carrier" value={fields.batch} onChange={change("batch")} errors={errorsOf("batch")} />
            <TextField id="media-reference" name="reference" label="Tracking reference" value={fields.reference} onChange={change("reference")} errors={errorsOf("reference")} />
          </>
        ) : null}
        {fields.step === "appointment" ? (
          <>
            <TextField id="media-office" name="office" label="Office" value={fields.office} onChange={change("office")} errors={errorsOf("office")} />
            <TextField id="media-technician" name="technician" label="Technician" value={fields.technician} onChange={change("technician")} errors={errorsOf("technician")} />
          </>
        ) : null}
        {fields.step === "returned" || fields.step === "lost" || fields.step === "received" ? (
          <TextField id="media-reference" name="reference" label="Reference (optional)" value={fields.reference} onChange={change("reference")} errors={errorsOf("reference")} />
        ) : null}
      </div>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" disabled={busy || hostnames.length === 0} onClick={() => send(true)}>
          Check
        </Button>
        <Button disabled={busy || !answer?.dryRun || answer.accepted === 0} onClick={() => send(false)}>
          Apply {answer?.dryRun ? `to ${formatNumber(answer.accepted)} good rows` : ""}
        </Button>
      </div>
      <FormFeedback state={outcome} />
      {answer ? (
        <section aria-live="polite" className="space-y-2" data-testid="media-answer">
          <p className="text-sm">
            {answer.dryRun ? "Check: " : "Recorded: "}
            {formatNumber(answer.received)} hostnames, {formatNumber(answer.accepted)} good, {formatNumber(answer.rejected.length)} refused.
            {answer.dryRun ? " Nothing was written yet." : ""}
          </p>
          <RejectedRowsTable rows={answer.rejected} title="Refused rows" numberLabel="Row" reasonLabel="Why" />
        </section>
      ) : null}
    </div>
  );
}
