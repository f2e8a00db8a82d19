"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { SelectField, TextField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

type Action = (s: FormState, f: FormData) => Promise<FormState>;

const BUILD_KINDS = [
  { value: "rc", label: "Release candidate" },
  { value: "final", label: "Final" },
];

export function AddBuildForm({ action }: { action: Action }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="add-build-heading" noValidate>
      <h3 id="add-build-heading" className="font-medium">
        Add a build
      </h3>
      <FormFeedback state={state} />
      <div className="grid gap-3 sm:grid-cols-4">
        <TextField state={state} id="b-name" name="name" label="Name" placeholder="RC2" required />
        <TextField state={state} id="b-version" name="version" label="Version" required />
        <SelectField state={state} id="b-kind" name="kind" label="Kind" options={BUILD_KINDS} defaultValue="rc" />
        <TextField state={state} id="b-released" name="releasedAt" label="Released on" type="date" />
      </div>
      <SubmitButton pendingLabel="Adding…">Add build</SubmitButton>
    </form>
  );
}

export function SlipForm({ action, current }: { action: Action; current: string | null }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="slip-heading" noValidate>
      <h3 id="slip-heading" className="font-medium">
        Record a release-date slip
      </h3>
      <FormFeedback state={state} />
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField
          state={state}
          id="s-date"
          name="plannedDate"
          label="New planned date"
          type="date"
          required
          hint={current ? `Currently ${current}; the new date must be later. Wave dates set as "release + N days" move with it until the wave starts.` : undefined}
        />
        <TextField state={state} id="s-note" name="note" label="Why it moved" required className="sm:col-span-2" />
      </div>
      <SubmitButton pendingLabel="Recording…">Record slip</SubmitButton>
    </form>
  );
}
