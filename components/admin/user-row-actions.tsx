"use client";

import { useActionState } from "react";
import { ActionFeedback } from "./action-feedback";
import { EMPTY_STATE, type AdminActionState } from "./action-state";
import { inputClass, secondaryButtonClass } from "./form-styles";

type Action = (state: AdminActionState, form: FormData) => Promise<AdminActionState>;

type Props = {
  user: { id: number; email: string; role: string; disabled: boolean; sso: boolean };
  roles: readonly string[];
  actions: { setRole: Action; setDisabled: Action; resetPassword: Action };
};

export function UserRowActions({ user, roles, actions }: Props) {
  const [roleState, roleAction, rolePending] = useActionState(actions.setRole, EMPTY_STATE);
  const [disableState, disableAction, disablePending] = useActionState(actions.setDisabled, EMPTY_STATE);
  const [resetState, resetAction, resetPending] = useActionState(actions.resetPassword, EMPTY_STATE);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-2">
        <form action={roleAction} className="flex items-end gap-2">
          <input type="hidden" name="userId" value={user.id} />
          <label className="text-sm">
            <span className="sr-only">Role of {user.email}</span>
            <select name="role" defaultValue={user.role} className={inputClass}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className={secondaryButtonClass} disabled={rolePending} aria-label={`Change role of ${user.email}`}>
            Change role
          </button>
        </form>
        <form action={disableAction}>
          <input type="hidden" name="userId" value={user.id} />
          <input type="hidden" name="disabled" value={user.disabled ? "false" : "true"} />
          <button type="submit" className={secondaryButtonClass} disabled={disablePending} aria-label={`${user.disabled ? "Enable" : "Disable"} ${user.email}`}>
            {user.disabled ? "Enable" : "Disable"}
          </button>
        </form>
        {user.sso ? null : (
          <form action={resetAction}>
            <input type="hidden" name="userId" value={user.id} />
            <button type="submit" className={secondaryButtonClass} disabled={resetPending} aria-label={`Reset password of ${user.email}`}>
              Reset password
            </button>
          </form>
        )}
      </div>
      <ActionFeedback state={roleState} />
      <ActionFeedback state={disableState} />
      <ActionFeedback state={resetState} />
    </div>
  );
}
