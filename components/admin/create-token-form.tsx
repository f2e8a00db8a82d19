"use client";

import { useActionState } from "react";
import { ActionFeedback, FieldError } from "./action-feedback";
import { EMPTY_STATE, type AdminActionState } from "./action-state";
import { buttonClass, inputClass } from "./form-styles";

type Props = { action: (state: AdminActionState, form: FormData) => Promise<AdminActionState> };

const SCOPES = [
  { value: "read", hint: "read updates, rollouts, devices, known issues, feed" },
  { value: "ingest", hint: "report deployment status events" },
  { value: "inventory", hint: "upload devices" },
  { value: "manage", hint: "wave actions and known issues" },
] as const;

export function CreateTokenForm({ action }: Props) {
  const [state, formAction, pending] = useActionState(action, EMPTY_STATE);
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="create-token-heading">
      <h2 id="create-token-heading" className="text-base font-semibold">
        Create a token
      </h2>
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor="token-name" className="block text-sm font-medium">
            Name
          </label>
          <input id="token-name" name="name" required maxLength={100} className={inputClass} aria-describedby="token-name-error" />
          <FieldError state={state} name="name" id="token-name-error" />
        </div>
        <div>
          <label htmlFor="token-expires" className="block text-sm font-medium">
            Expires
          </label>
          <select id="token-expires" name="expires" defaultValue="90" className={inputClass}>
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
            <option value="never">never</option>
          </select>
        </div>
      </div>
      <fieldset aria-describedby="token-scopes-error">
        <legend className="text-sm font-medium">Scopes</legend>
        <div className="mt-1 grid gap-1 sm:grid-cols-2">
          {SCOPES.map((scope) => (
            <label key={scope.value} className="flex items-start gap-2 text-sm">
              <input type="checkbox" name="scopes" value={scope.value} className="mt-1" />
              <span>
                <span className="font-medium">{scope.value}</span> — {scope.hint}
              </span>
            </label>
          ))}
        </div>
        <FieldError state={state} name="scopes" id="token-scopes-error" />
      </fieldset>
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? "Creating…" : "Create token"}
      </button>
      <ActionFeedback state={state} />
    </form>
  );
}
