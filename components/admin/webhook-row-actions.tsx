"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

type Action = (state: FormState, form: FormData) => Promise<FormState>;

/** Removes a webhook (and its delivery log) after asking. */
export function DeleteWebhookButton({ webhookId, url, action }: { webhookId: number; url: string; action: Action }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-1">
      <input type="hidden" name="id" value={webhookId} />
      <SubmitButton variant="danger" pendingLabel="Removing…" confirm={`Remove the webhook to ${url}? Nothing more is sent to it, and its delivery log goes too.`} aria-label={`Remove webhook ${url}`}>
        Remove
      </SubmitButton>
      <FormFeedback state={state} />
    </form>
  );
}

/** Sends one delivery again, now, with a fresh 24-hour retry window. */
export function RedeliverButton({ webhookId, deliveryId, eventType, action }: { webhookId: number; deliveryId: number; eventType: string; action: Action }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-1">
      <input type="hidden" name="webhookId" value={webhookId} />
      <input type="hidden" name="deliveryId" value={deliveryId} />
      <SubmitButton variant="secondary" pendingLabel="Sending…" aria-label={`Redeliver ${eventType} delivery ${deliveryId}`}>
        Redeliver
      </SubmitButton>
      <FormFeedback state={state} />
    </form>
  );
}
