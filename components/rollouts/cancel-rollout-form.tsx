"use client";
// Cancel a rollout with a written reason (kept on the rollout and in the audit log). It asks first:
// the running waves halt, nothing is offered any more and the plan can no longer change.
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { TextAreaField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

export function CancelRolloutForm({ action }: { action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <details className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" open={Boolean(state.error)}>
      <summary className="cursor-pointer text-sm font-medium">Cancel this rollout</summary>
      <form action={formAction} className="mt-3 space-y-3" aria-label="Cancel this rollout" noValidate>
        <p className="text-sm">Its running waves halt, no machine is offered the update any more, and the plan can no longer change. What machines reported stays.</p>
        <TextAreaField state={state} id="cancel-reason" name="reason" label="Why is it cancelled?" rows={2} maxLength={2000} />
        <SubmitButton variant="danger" pendingLabel="Cancelling…" confirm="Cancel this rollout? This cannot be undone.">
          Cancel rollout
        </SubmitButton>
        <FormFeedback state={state} />
      </form>
    </details>
  );
}
