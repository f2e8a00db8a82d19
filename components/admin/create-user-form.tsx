"use client";

import { useActionState } from "react";
import { ActionFeedback, FieldError } from "./action-feedback";
import { EMPTY_STATE, type AdminActionState } from "./action-state";
import { buttonClass, inputClass } from "./form-styles";

type Props = { action: (state: AdminActionState, form: FormData) => Promise<AdminActionState>; roles: readonly string[] };

export function CreateUserForm({ action, roles }: Props) {
  const [state, formAction, pending] = useActionState(action, EMPTY_STATE);
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="create-user-heading">
      <h2 id="create-user-heading" className="text-base font-semibold">
        Add a user
      </h2>
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor="new-email" className="block text-sm font-medium">
            Email
          </label>
          <input id="new-email" name="email" type="email" required maxLength={320} className={inputClass} aria-describedby="new-email-error" />
          <FieldError state={state} name="email" id="new-email-error" />
        </div>
        <div>
          <label htmlFor="new-name" className="block text-sm font-medium">
            Name
          </label>
          <input id="new-name" name="name" type="text" maxLength={200} className={inputClass} />
        </div>
        <div>
          <label htmlFor="new-role" className="block text-sm font-medium">
            Role
          </label>
          <select id="new-role" name="role" defaultValue="viewer" className={inputClass}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="new-password" className="block text-sm font-medium">
            Password <span className="font-normal text-slate-600 dark:text-slate-300">(leave empty to generate one)</span>
          </label>
          <input
            id="new-password"
            name="password"
            type="password"
            autoComplete="new-password"
            maxLength={1024}
            className={inputClass}
            aria-describedby="new-password-hint new-password-error"
          />
          <p id="new-password-hint" className="mt-1 text-xs text-slate-600 dark:text-slate-300">
            12–128 characters, not a commonly used password.
          </p>
          <FieldError state={state} name="password" id="new-password-error" />
        </div>
      </div>
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? "Adding…" : "Add user"}
      </button>
      <ActionFeedback state={state} />
    </form>
  );
}
