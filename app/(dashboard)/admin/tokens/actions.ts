"use server";
// Server actions of /admin/tokens: the form's fields go to the DAL's mutations, then the page is
// revalidated. The plaintext token is answered once, in the form's state.
import { revalidatePath } from "next/cache";
import { requireActionActor } from "@/lib/auth/session";
import { createApiToken, revokeApiToken } from "@/lib/auth/tokens";
import { formAction } from "@/lib/forms/form-action";
import type { FormState, FormValues } from "@/lib/forms/form-state";
import { fieldProblem } from "@/lib/http/problem";

/** The form offers an expiry in days (or never); the DAL takes the date. */
const EXPIRY_DAYS: Record<string, number | null> = { "30": 30, "90": 90, "365": 365, never: null };

function expiresAt(input: FormValues): string {
  const choice = typeof input.expires === "string" ? input.expires : "";
  if (!(choice in EXPIRY_DAYS)) throw fieldProblem(422, "expires", "Choose an expiry.");
  const days = EXPIRY_DAYS[choice];
  return days === null ? "" : new Date(Date.now() + days * 86_400_000).toISOString();
}

export async function createTokenAction(_: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    const created = await createApiToken(await requireActionActor("token.manage"), { ...input, expiresAt: expiresAt(input) });
    return { ok: true, message: `Token "${created.name}" created.`, secret: { label: `Token "${created.name}"`, value: created.token } };
  });
  if (state.ok) revalidatePath("/admin/tokens");
  return state;
}

export async function revokeTokenAction(_: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    await revokeApiToken(await requireActionActor("token.manage"), input);
    return { ok: true, message: "Token revoked; requests with it now get 401." };
  });
  if (state.ok) revalidatePath("/admin/tokens");
  return state;
}
