"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { CheckboxField, FieldMessages, SelectField, TextField } from "@/components/ui/form-field";
import { EVENT_TYPES } from "@/lib/outbox/event-types";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

type Props = { action: (state: FormState, form: FormData) => Promise<FormState> };

const FORMATS = [
  { value: "json", label: "JSON, signed (your own receiver)" },
  { value: "slack", label: "Slack incoming webhook" },
  { value: "teams", label: "Microsoft Teams incoming webhook" },
];

/** Adds a webhook; its signing secret is shown once. A refused form keeps the address, format and ticked events. */
export function CreateWebhookForm({ action }: Props) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  const eventErrors = state.fieldErrors?.events ?? [];
  const ticked: FormState = { values: state.values };
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="create-webhook-heading" noValidate>
      <h2 id="create-webhook-heading" className="text-base font-semibold">
        Add a webhook
      </h2>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField state={state} id="webhook-url" name="url" type="url" label="Receiver address" required maxLength={2000} autoComplete="off" placeholder="https://hooks.example.com/rollcall" />
        <SelectField state={state} id="webhook-format" name="format" label="Format" options={FORMATS} defaultValue="json" />
      </div>
      <fieldset aria-describedby={eventErrors.length ? "webhook-events-error" : undefined}>
        <legend className="text-sm font-medium">Events</legend>
        <div className="mt-1 grid gap-1 sm:grid-cols-2">
          <CheckboxField state={ticked} id="webhook-event-all" name="events" value="*" label="Every event, including types added later" />
          {EVENT_TYPES.map((type) => (
            <CheckboxField key={type} state={ticked} id={`webhook-event-${type.replace(".", "-")}`} name="events" value={type} label={<span className="font-mono text-xs">{type}</span>} />
          ))}
        </div>
        <FieldMessages id="webhook-events" messages={eventErrors} />
      </fieldset>
      <SubmitButton pendingLabel="Adding…">Add webhook</SubmitButton>
      <FormFeedback state={state} />
    </form>
  );
}
