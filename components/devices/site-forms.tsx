"use client";

import { useActionState } from "react";
import { buttonClass, Field, FieldMessage, FormOutcome, inputClass } from "@/components/rollouts/form-bits";
import { EMPTY_FORM, type FormState } from "@/components/rollouts/form-state";

type Action = (s: FormState, f: FormData) => Promise<FormState>;

export function SiteForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, EMPTY_FORM);
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="site-form-heading" noValidate>
      <h2 id="site-form-heading" className="text-base font-semibold">
        Add a site
      </h2>
      <FormOutcome state={state} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="site-name" name="name" label="Name" required errors={e.name} />
        <div>
          <label htmlFor="site-kind" className="block text-sm font-medium">
            Kind
          </label>
          <select id="site-kind" name="kind" defaultValue="branch" className={inputClass}>
            <option value="hq">Headquarters</option>
            <option value="branch">Branch office</option>
            <option value="home">Home workers</option>
          </select>
          <FieldMessage id="site-kind" errors={e.kind} />
        </div>
        <Field id="site-link" name="linkKbps" label="WAN link (kbit/s, optional)" type="number" min={1} errors={e.linkKbps} />
        <Field id="site-dp" name="distributionPoint" label="Distribution point (optional)" errors={e.distributionPoint} />
      </div>
      <button type="submit" disabled={pending} className={buttonClass}>
        Add site
      </button>
    </form>
  );
}

export function DepartmentForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="dept-form-heading" noValidate>
      <h2 id="dept-form-heading" className="text-base font-semibold">
        Add a department
      </h2>
      <FormOutcome state={state} />
      <Field id="dept-name" name="name" label="Name" required errors={state.fieldErrors?.name} />
      <button type="submit" disabled={pending} className={buttonClass}>
        Add department
      </button>
    </form>
  );
}
