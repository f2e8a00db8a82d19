"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";
import { SubscriptionFields } from "./subscription-fields";

type Action = (state: FormState, form: FormData) => Promise<FormState>;

/** Subscribes a list address (admins). A refused form keeps the address and the ticked boxes. */
export function AddListAddressForm({ action, updates }: { action: Action; updates: Array<{ slug: string; title: string }> }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-4" aria-labelledby="add-list-heading" noValidate>
      <h3 id="add-list-heading" className="text-base font-semibold">
        Add a list address
      </h3>
      <TextField state={state} id="list-address" name="address" type="email" label="Address" required maxLength={320} autoComplete="off" placeholder="patch-team@example.com" />
      <SubscriptionFields idPrefix="list" state={state} saved={{ events: [], updates: [], weeklyDigest: false }} updates={updates} />
      <SubmitButton pendingLabel="Adding…">Add list address</SubmitButton>
      <FormFeedback state={state} />
    </form>
  );
}

export function RemoveListAddressButton({ id, address, action }: { id: number; address: string; action: Action }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-1">
      <input type="hidden" name="id" value={id} />
      <SubmitButton variant="danger" pendingLabel="Removing…" confirm={`Stop emailing ${address}?`} aria-label={`Remove list address ${address}`}>
        Remove
      </SubmitButton>
      <FormFeedback state={state} />
    </form>
  );
}

/** Sends one mail again, now, with a fresh 24-hour retry window. */
export function RedeliverEmailButton({ id, label, action }: { id: number; label: string; action: Action }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-1">
      <input type="hidden" name="id" value={id} />
      <SubmitButton variant="secondary" pendingLabel="Sending…" aria-label={`Send ${label} again`}>
        Send again
      </SubmitButton>
      <FormFeedback state={state} />
    </form>
  );
}
