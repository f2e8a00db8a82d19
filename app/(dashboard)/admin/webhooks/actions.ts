"use server";
// Server actions of /admin/webhooks: the form's fields go to the DAL's mutations, then the page is
// revalidated. The signing secret is answered once, in the form's state.
import { revalidatePath } from "next/cache";
import { requireActionActor } from "@/lib/auth/session";
import { formAction } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { createWebhook, deleteWebhook, redeliverWebhookDelivery } from "@/lib/outbox/webhooks";

export async function createWebhookAction(_: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    const created = await createWebhook(await requireActionActor("webhook.manage"), input);
    return { ok: true, message: "Webhook added.", secret: { label: "Signing secret", value: created.secret } };
  });
  if (state.ok) revalidatePath("/admin/webhooks");
  return state;
}

export async function deleteWebhookAction(_: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    await deleteWebhook(await requireActionActor("webhook.manage"), input);
    return { ok: true, message: "Webhook removed; nothing more is sent to it." };
  });
  if (state.ok) revalidatePath("/admin/webhooks");
  return state;
}

export async function redeliverAction(_: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    await redeliverWebhookDelivery(await requireActionActor("webhook.manage"), input);
    return { ok: true, message: "Sent again; the log shows the answer in a moment." };
  });
  if (state.ok) revalidatePath("/admin/webhooks");
  return state;
}
