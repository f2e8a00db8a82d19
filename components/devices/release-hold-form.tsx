"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

export function ReleaseHoldForm({ id, action }: { id: string; action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="mt-2 space-y-2" aria-label="Release this device from the hold" noValidate>
      {/* A missing reason is said once, next to the field. */}
      <FormFeedback state={state.fieldErrors?.reason ? { ...state, error: undefined } : state} />
      <TextField state={state} id={`${id}-reason`} name="reason" label="Why may this device go ahead?" required />
      <SubmitButton pendingLabel="Releasing…">Release this device</SubmitButton>
    </form>
  );
}
