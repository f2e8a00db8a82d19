"use client";

import { useActionState } from "react";
import { buttonClass, Field, FormOutcome } from "@/components/rollouts/form-bits";
import { EMPTY_FORM, type FormState } from "@/components/rollouts/form-state";

export function ReleaseHoldForm({ id, action }: { id: string; action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="mt-2 space-y-2" aria-label="Release this device from the hold" noValidate>
      <FormOutcome state={state.fieldErrors?.reason ? { ...state, error: undefined } : state} />
      <Field id={`${id}-reason`} name="reason" label="Why may this device go ahead?" required errors={state.fieldErrors?.reason} />
      <button type="submit" disabled={pending} className={buttonClass}>
        Release this device
      </button>
    </form>
  );
}
