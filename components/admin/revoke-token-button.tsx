"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

type Props = { tokenId: number; name: string; action: (state: FormState, form: FormData) => Promise<FormState> };

/** Revokes a token after asking: anything using it stops working at once. */
export function RevokeTokenButton({ tokenId, name, action }: Props) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-1">
      <input type="hidden" name="id" value={tokenId} />
      <SubmitButton
        variant="danger"
        pendingLabel="Revoking…"
        confirm={`Revoke the token "${name}"? Anything using it stops working at once.`}
        aria-label={`Revoke token ${name}`}
      >
        Revoke
      </SubmitButton>
      <FormFeedback state={state} />
    </form>
  );
}
