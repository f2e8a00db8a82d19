"use client";
// How many days after posting or an appointment a wave's offline machine counts as overdue.
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

export function OverdueDaysForm({ waveId, days, action }: { waveId: number; days: number; action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="mt-3 flex flex-wrap items-end gap-2" aria-label="Days until an offline machine is overdue" noValidate>
      <TextField state={state} id={`overdue-${waveId}`} name="mediaOverdueDays" label="Overdue after (days)" type="number" min={1} max={365} defaultValue={String(days)} className="w-40" />
      <SubmitButton variant="secondary" pendingLabel="Saving…">
        Save
      </SubmitButton>
      <div className="basis-full">
        <FormFeedback state={state} />
      </div>
    </form>
  );
}
