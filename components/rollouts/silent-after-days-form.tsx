"use client";
// After how many days without a report a machine of this rollout counts as silent.
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

export function SilentAfterDaysForm({ days, action }: { days: number; action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-2" aria-label="Days without a report until a machine is silent" noValidate>
      <TextField state={state} id="silent-after-days" name="silentAfterDays" label="Silent after (days without a report)" type="number" min={1} max={365} defaultValue={String(days)} className="w-56" />
      <SubmitButton variant="secondary" pendingLabel="Saving…">
        Save
      </SubmitButton>
      <div className="basis-full">
        <FormFeedback state={state} />
      </div>
    </form>
  );
}
