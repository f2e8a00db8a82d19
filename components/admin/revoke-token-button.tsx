"use client";

import { useActionState } from "react";
import { ActionFeedback } from "./action-feedback";
import { EMPTY_STATE, type AdminActionState } from "./action-state";
import { secondaryButtonClass } from "./form-styles";

type Props = { tokenId: number; name: string; action: (state: AdminActionState, form: FormData) => Promise<AdminActionState> };

export function RevokeTokenButton({ tokenId, name, action }: Props) {
  const [state, formAction, pending] = useActionState(action, EMPTY_STATE);
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (!window.confirm(`Revoke the token "${name}"? Anything using it stops working at once.`)) event.preventDefault();
      }}
    >
      <input type="hidden" name="tokenId" value={tokenId} />
      <button type="submit" className={secondaryButtonClass} disabled={pending} aria-label={`Revoke token ${name}`}>
        Revoke
      </button>
      <ActionFeedback state={state} />
    </form>
  );
}
