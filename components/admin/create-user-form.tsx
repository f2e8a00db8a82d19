"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { SelectField, TextField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

type Props = { action: (state: FormState, form: FormData) => Promise<FormState>; roles: readonly string[] };

/** Adds a person; a refused form keeps what was typed except the password, a generated password is shown once. */
export function CreateUserForm({ action, roles }: Props) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="create-user-heading" noValidate>
      <h2 id="create-user-heading" className="text-base font-semibold">
        Add a user
      </h2>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField state={state} id="new-email" name="email" label="Email" type="email" required maxLength={320} autoComplete="off" />
        <TextField state={state} id="new-name" name="name" label="Name" maxLength={200} autoComplete="off" />
        <SelectField state={state} id="new-role" name="role" label="Role" options={roles} defaultValue="viewer" />
        <TextField
          state={state}
          id="new-password"
          name="password"
          type="password"
          autoComplete="new-password"
          maxLength={1024}
          label={
            <>
              Password <span className="font-normal text-slate-600 dark:text-slate-300">(leave empty to generate one)</span>
            </>
          }
          hint="12–128 characters, not a commonly used password."
        />
      </div>
      <SubmitButton pendingLabel="Adding…">Add user</SubmitButton>
      <FormFeedback state={state} />
    </form>
  );
}
