"use client";

import { useActionState } from "react";
import { buttonClass, Field, FormOutcome } from "./form-bits";
import { EMPTY_FORM, type FormState } from "./form-state";

export function ShipmentForm({ waveId, action }: { waveId: number; action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, EMPTY_FORM);
  const e = state.fieldErrors ?? {};
  const id = (f: string) => `ship-${waveId}-${f}`;
  return (
    <form action={formAction} className="mt-3 space-y-2" aria-label="Record offline media shipped" noValidate>
      <FormOutcome state={state} />
      <div className="grid gap-2 sm:grid-cols-4">
        <Field id={id("batch")} name="batch" label="Batch" required errors={e.batch} />
        <Field id={id("date")} name="shippedAt" label="Shipped on" type="date" required errors={e.shippedAt} />
        <Field id={id("count")} name="deviceCount" label="Devices" type="number" min={1} required errors={e.deviceCount} />
        <Field id={id("note")} name="note" label="Note" errors={e.note} />
      </div>
      <button type="submit" disabled={pending} className={buttonClass}>
        Record shipment
      </button>
    </form>
  );
}
