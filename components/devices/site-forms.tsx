"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { SelectField, TextField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

type Action = (s: FormState, f: FormData) => Promise<FormState>;

const SITE_KINDS = [
  { value: "hq", label: "Headquarters" },
  { value: "branch", label: "Branch office" },
  { value: "home", label: "Home workers" },
];

export function SiteForm({ action }: { action: Action }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="site-form-heading" noValidate>
      <h2 id="site-form-heading" className="text-base font-semibold">
        Add a site
      </h2>
      <FormFeedback state={state} />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField state={state} id="site-name" name="name" label="Name" required />
        <SelectField state={state} id="site-kind" name="kind" label="Kind" options={SITE_KINDS} defaultValue="branch" />
        <TextField state={state} id="site-link" name="linkKbps" label="WAN link (kbit/s, optional)" type="number" min={1} />
        <TextField state={state} id="site-dp" name="distributionPoint" label="Distribution point (optional)" />
      </div>
      <SubmitButton pendingLabel="Adding…">Add site</SubmitButton>
    </form>
  );
}

export function DepartmentForm({ action }: { action: Action }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="dept-form-heading" noValidate>
      <h2 id="dept-form-heading" className="text-base font-semibold">
        Add a department
      </h2>
      <FormFeedback state={state} />
      <TextField state={state} id="dept-name" name="name" label="Name" required />
      <SubmitButton pendingLabel="Adding…">Add department</SubmitButton>
    </form>
  );
}
