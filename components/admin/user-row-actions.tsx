"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { SelectField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

type Action = (state: FormState, form: FormData) => Promise<FormState>;

type Props = {
  user: { id: number; email: string; role: string; disabled: boolean; sso: boolean };
  roles: readonly string[];
  actions: { setRole: Action; setDisabled: Action; resetPassword: Action };
};

/** A user's row actions: change the role, disable or enable, reset the password (not for single sign-on accounts). */
export function UserRowActions({ user, roles, actions }: Props) {
  const [roleState, roleAction] = useActionState(actions.setRole, EMPTY_FORM);
  const [disableState, disableAction] = useActionState(actions.setDisabled, EMPTY_FORM);
  const [resetState, resetAction] = useActionState(actions.resetPassword, EMPTY_FORM);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-2">
        <form action={roleAction} className="flex items-end gap-2">
          <input type="hidden" name="id" value={user.id} />
          <SelectField
            state={roleState}
            id={`role-${user.id}`}
            name="role"
            label={<span className="sr-only">Role of {user.email}</span>}
            options={roles}
            defaultValue={user.role}
          />
          <SubmitButton variant="secondary" pendingLabel="Changing…" aria-label={`Change role of ${user.email}`}>
            Change role
          </SubmitButton>
        </form>
        <form action={disableAction}>
          <input type="hidden" name="id" value={user.id} />
          <input type="hidden" name="disabled" value={user.disabled ? "false" : "true"} />
          <SubmitButton variant="secondary" pendingLabel={user.disabled ? "Enabling…" : "Disabling…"} aria-label={`${user.disabled ? "Enable" : "Disable"} ${user.email}`}>
            {user.disabled ? "Enable" : "Disable"}
          </SubmitButton>
        </form>
        {user.sso ? null : (
          <form action={resetAction}>
            <input type="hidden" name="id" value={user.id} />
            <SubmitButton
              variant="danger"
              pendingLabel="Resetting…"
              confirm={`Set a new password for ${user.email}? Their current password stops working and their sessions end.`}
              aria-label={`Reset password of ${user.email}`}
            >
              Reset password
            </SubmitButton>
          </form>
        )}
      </div>
      <FormFeedback state={roleState} />
      <FormFeedback state={disableState} />
      <FormFeedback state={resetState} />
    </div>
  );
}
