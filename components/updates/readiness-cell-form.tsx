"use client";
// The editor's form for one readiness cell (app versions × build): status, note and the known issue
// (a broken cell must name one). A refusal keeps what was typed; the saved cell shows after revalidation.
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { SelectField, TextField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";
import { READINESS_LABELS, READINESS_STATUSES, type ReadinessStatus } from "@/lib/readiness/model";

type Action = (s: FormState, f: FormData) => Promise<FormState>;

export type CellFormProps = {
  /** Unique on the page: prefixes the fields' ids. */
  id: string;
  /** "CRM 1.2 on RC2", for labels. */
  what: string;
  app: string;
  versionRange: string;
  build: string;
  status: ReadinessStatus;
  note: string;
  knownIssue: string | null;
  knownIssues: { advisoryId: string; title: string }[];
  action: Action;
};

export function ReadinessCellForm({ id, what, app, versionRange, build, status, note, knownIssue, knownIssues, action }: CellFormProps) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="mt-2 space-y-2" aria-label={`Mark ${what}`} noValidate>
      <FormFeedback state={state} />
      <input type="hidden" name="app" value={app} />
      <input type="hidden" name="versionRange" value={versionRange} />
      <input type="hidden" name="build" value={build} />
      <SelectField state={state} id={`${id}-status`} name="status" label="Status" defaultValue={status} options={READINESS_STATUSES.map((s) => ({ value: s, label: READINESS_LABELS[s] }))} />
      <SelectField
        state={state}
        id={`${id}-issue`}
        name="knownIssue"
        label="Known issue"
        placeholder="— none —"
        defaultValue={knownIssue ?? ""}
        options={knownIssues.map((k) => ({ value: k.advisoryId, label: `${k.advisoryId} ${k.title}` }))}
        hint="Needed when broken; advised with a workaround."
      />
      <TextField state={state} id={`${id}-note`} name="note" label="Note" defaultValue={note} />
      <SubmitButton pendingLabel="Saving…">Save</SubmitButton>
    </form>
  );
}
