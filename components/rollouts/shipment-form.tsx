"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

export function ShipmentForm({ waveId, action }: { waveId: number; action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  const id = (f: string) => `ship-${waveId}-${f}`;
  return (
    <form action={formAction} className="mt-3 space-y-2" aria-label="Record offline media shipped" noValidate>
      <FormFeedback state={state} />
      <div className="grid gap-2 sm:grid-cols-4">
        <TextField state={state} id={id("batch")} name="batch" label="Batch" required />
        <TextField state={state} id={id("date")} name="shippedAt" label="Shipped on" type="date" required />
        <TextField state={state} id={id("count")} name="deviceCount" label="Devices" type="number" min={1} required />
        <TextField state={state} id={id("note")} name="note" label="Note" />
      </div>
      <SubmitButton pendingLabel="Recording…">Record shipment</SubmitButton>
    </form>
  );
}
