"use client";

import { useActionState } from "react";
import { buttonClass, Field, FieldMessage, FormOutcome, inputClass } from "@/components/rollouts/form-bits";
import { EMPTY_FORM, type FormState } from "@/components/rollouts/form-state";

type Action = (s: FormState, f: FormData) => Promise<FormState>;

export function AddBuildForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, EMPTY_FORM);
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="add-build-heading" noValidate>
      <h3 id="add-build-heading" className="font-medium">
        Add a build
      </h3>
      <FormOutcome state={state} />
      <div className="grid gap-3 sm:grid-cols-4">
        <Field id="b-name" name="name" label="Name" placeholder="RC2" required errors={e.name} />
        <Field id="b-version" name="version" label="Version" required errors={e.version} />
        <div>
          <label htmlFor="b-kind" className="block text-sm font-medium">
            Kind
          </label>
          <select id="b-kind" name="kind" className={inputClass} defaultValue="rc">
            <option value="rc">Release candidate</option>
            <option value="final">Final</option>
          </select>
          <FieldMessage id="b-kind" errors={e.kind} />
        </div>
        <Field id="b-released" name="releasedAt" label="Released on" type="date" errors={e.releasedAt} />
      </div>
      <button type="submit" disabled={pending} className={buttonClass}>
        Add build
      </button>
    </form>
  );
}

export function SlipForm({ action, current }: { action: Action; current: string | null }) {
  const [state, formAction, pending] = useActionState(action, EMPTY_FORM);
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="slip-heading" noValidate>
      <h3 id="slip-heading" className="font-medium">
        Record a release-date slip
      </h3>
      <FormOutcome state={state} />
      <div className="grid gap-3 sm:grid-cols-3">
        <Field id="s-date" name="plannedDate" label="New planned date" type="date" required errors={e.plannedDate} hint={current ? `Currently ${current}; the new date must be later.` : undefined} />
        <div className="sm:col-span-2">
          <Field id="s-note" name="note" label="Why it moved" required errors={e.note} />
        </div>
      </div>
      <button type="submit" disabled={pending} className={buttonClass}>
        Record slip
      </button>
    </form>
  );
}
