"use server";
// Server actions of /settings/notifications: a user's own subscription (every role), list addresses (admins).
import { revalidatePath } from "next/cache";
import { requireActionActor } from "@/lib/auth/session";
import { formAction } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { emailEnabled } from "@/lib/notifications/mail-config";
import { addListSubscription, deleteListSubscription, redeliverEmail, saveMySubscription } from "@/lib/notifications/subscriptions";

const PATH = "/settings/notifications";

export async function saveMySubscriptionAction(_: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    await saveMySubscription(await requireActionActor("dashboard.read"), input);
    return { ok: true, message: emailEnabled() ? "Saved." : "Saved. Email is off on this server, so nothing is sent until an administrator sets SMTP_URL." };
  });
  if (state.ok) revalidatePath(PATH);
  return state;
}

export async function addListAddressAction(_: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    await addListSubscription(await requireActionActor("webhook.manage"), input);
    return { ok: true, message: "List address added." };
  });
  if (state.ok) revalidatePath(PATH);
  return state;
}

export async function removeListAddressAction(_: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    await deleteListSubscription(await requireActionActor("webhook.manage"), input);
    return { ok: true, message: "Removed; nothing more is sent to it." };
  });
  if (state.ok) revalidatePath(PATH);
  return state;
}

export async function redeliverEmailAction(_: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    await redeliverEmail(await requireActionActor("webhook.manage"), input);
    return { ok: true, message: "Sent again; the log shows the answer in a moment." };
  });
  if (state.ok) revalidatePath(PATH);
  return state;
}
