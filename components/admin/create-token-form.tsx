"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { CheckboxField, FieldMessages, SelectField, TextField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

type Props = { action: (state: FormState, form: FormData) => Promise<FormState> };

/** What each scope allows (lib/auth/permissions.ts; `manage` implies `read`). */
const SCOPES = [
  { value: "read", hint: "read updates, rollouts, devices, known issues, feed" },
  { value: "ingest", hint: "report deployment status events" },
  { value: "inventory", hint: "upload devices" },
  { value: "manage", hint: "wave actions and known issues, and everything read allows" },
  { value: "report", hint: "link helpdesk tickets to known issues (ticketing systems)" },
] as const;

const EXPIRIES = [
  { value: "30", label: "in 30 days" },
  { value: "90", label: "in 90 days" },
  { value: "365", label: "in a year" },
  { value: "never", label: "never" },
];

/** Creates a token shown once; a refused form keeps the name, expiry and ticked scopes. */
export function CreateTokenForm({ action }: Props) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  const scopeErrors = state.fieldErrors?.scopes ?? [];
  // The boxes refill from what was sent; the scopes' message is shown once, under the group.
  const ticked: FormState = { values: state.values };
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="create-token-heading" noValidate>
      <h2 id="create-token-heading" className="text-base font-semibold">
        Create a token
      </h2>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField state={state} id="token-name" name="name" label="Name" required maxLength={100} autoComplete="off" />
        <SelectField state={state} id="token-expires" name="expires" label="Expires" options={EXPIRIES} defaultValue="90" />
      </div>
      <fieldset aria-describedby={scopeErrors.length ? "token-scopes-error" : undefined}>
        <legend className="text-sm font-medium">Scopes</legend>
        <div className="mt-1 grid gap-1 sm:grid-cols-2">
          {SCOPES.map((scope) => (
            <CheckboxField
              key={scope.value}
              state={ticked}
              id={`token-scope-${scope.value}`}
              name="scopes"
              value={scope.value}
              label={
                <>
                  {scope.value} <span className="font-normal">— {scope.hint}</span>
                </>
              }
            />
          ))}
        </div>
        <FieldMessages id="token-scopes" messages={scopeErrors} />
      </fieldset>
      <SubmitButton pendingLabel="Creating…">Create token</SubmitButton>
      <FormFeedback state={state} />
    </form>
  );
}
