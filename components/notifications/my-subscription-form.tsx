"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";
import { SubscriptionFields } from "./subscription-fields";

type Props = {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  email: string;
  saved: { events: string[]; updates: string[]; weeklyDigest: boolean };
  updates: Array<{ slug: string; title: string }>;
};

/** The signed-in user's own email subscription. */
export function MySubscriptionForm({ action, email, saved, updates }: Props) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-4" aria-labelledby="my-subscription-heading" noValidate>
      <h2 id="my-subscription-heading" className="text-base font-semibold">
        Email to <span className="break-all">{email}</span>
      </h2>
      <SubscriptionFields idPrefix="mine" state={state} saved={saved} updates={updates} />
      <SubmitButton>Save</SubmitButton>
      <FormFeedback state={state} />
    </form>
  );
}
