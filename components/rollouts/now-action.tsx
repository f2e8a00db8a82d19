"use client";
// The now panel's one button: the next wave action (start, resume, complete, halt), with the written
// reason field when the server needs one. The same server action as the wave cards below.
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { TextAreaField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";
import type { NextAction } from "@/lib/rollouts/now";

export function NowAction({ next, action }: { next: NextAction; action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  const feedback = state.error && state.fieldErrors?.reason ? { ...state, error: undefined } : state;
  return (
    <form action={formAction} className="mt-3 space-y-2" aria-label="Next action">
      <FormFeedback state={feedback} />
      {next.needsReason ? <TextAreaField state={state} id="now-reason" name="reason" rows={2} label="Reason (kept in the audit log)" /> : null}
      <SubmitButton name="action" value={next.action} variant={next.variant} confirm={next.confirm} pendingLabel={next.label}>
        {next.label}
      </SubmitButton>
    </form>
  );
}
