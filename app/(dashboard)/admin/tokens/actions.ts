"use server";
// Server actions of /admin/tokens. The plaintext token is returned once in the action state.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { AdminActionState } from "@/components/admin/action-state";
import { TOKEN_SCOPES } from "@/lib/auth/actor";
import { runAdminAction } from "@/lib/auth/admin-action";
import { requireActionActor } from "@/lib/auth/session";
import { createApiToken, revokeApiToken } from "@/lib/auth/tokens";

const EXPIRY_DAYS = { "30": 30, "90": 90, "365": 365, never: null } as const;

const CreateForm = z.object({
  name: z.string().trim().min(1, "Give the token a name.").max(100, "At most 100 characters."),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, "Choose at least one scope."),
  expires: z.enum(["30", "90", "365", "never"], { message: "Choose an expiry." }),
});

export async function createTokenAction(_: AdminActionState, form: FormData): Promise<AdminActionState> {
  return runAdminAction(async () => {
    const actor = await requireActionActor("token.manage");
    const input = CreateForm.safeParse({ name: form.get("name"), scopes: form.getAll("scopes"), expires: form.get("expires") });
    if (!input.success) return { error: "Check the highlighted fields.", fieldErrors: z.flattenError(input.error).fieldErrors };
    const days = EXPIRY_DAYS[input.data.expires];
    const expiresAt = days === null ? null : new Date(Date.now() + days * 86_400_000);
    const created = await createApiToken(actor, { name: input.data.name, scopes: input.data.scopes, expiresAt });
    revalidatePath("/admin/tokens");
    return { ok: true, message: `Token "${created.name}" created.`, secret: { label: `Token "${created.name}"`, value: created.token } };
  });
}

const RevokeForm = z.object({ tokenId: z.coerce.number().int().positive() });

export async function revokeTokenAction(_: AdminActionState, form: FormData): Promise<AdminActionState> {
  return runAdminAction(async () => {
    const actor = await requireActionActor("token.manage");
    const input = RevokeForm.safeParse(Object.fromEntries(form));
    if (!input.success) return { error: "Invalid request." };
    await revokeApiToken(actor, input.data.tokenId);
    revalidatePath("/admin/tokens");
    return { ok: true, message: "Token revoked; requests with it now get 401." };
  });
}
