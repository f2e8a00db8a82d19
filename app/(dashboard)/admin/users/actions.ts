"use server";
// Server actions of /admin/users: authorise, validate, write + audit in one transaction (in the
// DAL), revalidate. Every action is a public POST endpoint, so each checks the caller itself.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { AdminActionState } from "@/components/admin/action-state";
import { runAdminAction } from "@/lib/auth/admin-action";
import { requireActionActor } from "@/lib/auth/session";
import { createUser, resetUserPassword, RoleInput, setUserDisabled, setUserRole } from "@/lib/auth/users";

const UserId = z.coerce.number().int().positive();

const CreateForm = z.object({
  email: z.string(),
  name: z.string().optional().default(""),
  role: RoleInput,
  password: z.string().max(1024).optional(),
});

export async function createUserAction(_: AdminActionState, form: FormData): Promise<AdminActionState> {
  return runAdminAction(async () => {
    const actor = await requireActionActor("user.manage");
    const input = CreateForm.safeParse(Object.fromEntries(form));
    if (!input.success) return { error: "Check the highlighted fields.", fieldErrors: z.flattenError(input.error).fieldErrors };
    const { user, generatedPassword } = await createUser(actor, { ...input.data, password: input.data.password || undefined });
    revalidatePath("/admin/users");
    return {
      ok: true,
      message: `Created ${user.role} ${user.email}.`,
      ...(generatedPassword ? { secret: { label: `Password for ${user.email}`, value: generatedPassword } } : {}),
    };
  });
}

const RoleForm = z.object({ userId: UserId, role: RoleInput });

export async function setRoleAction(_: AdminActionState, form: FormData): Promise<AdminActionState> {
  return runAdminAction(async () => {
    const actor = await requireActionActor("user.manage");
    const input = RoleForm.safeParse(Object.fromEntries(form));
    if (!input.success) return { error: "Choose one of the four roles." };
    const user = await setUserRole(actor, input.data.userId, input.data.role);
    revalidatePath("/admin/users");
    return { ok: true, message: `${user.email} is now ${user.role}.` };
  });
}

const DisableForm = z.object({ userId: UserId, disabled: z.enum(["true", "false"]).transform((v) => v === "true") });

export async function setDisabledAction(_: AdminActionState, form: FormData): Promise<AdminActionState> {
  return runAdminAction(async () => {
    const actor = await requireActionActor("user.manage");
    const input = DisableForm.safeParse(Object.fromEntries(form));
    if (!input.success) return { error: "Invalid request." };
    const user = await setUserDisabled(actor, input.data.userId, input.data.disabled);
    revalidatePath("/admin/users");
    return { ok: true, message: user.disabled ? `${user.email} is disabled; their sessions ended.` : `${user.email} is enabled.` };
  });
}

const ResetForm = z.object({ userId: UserId });

export async function resetPasswordAction(_: AdminActionState, form: FormData): Promise<AdminActionState> {
  return runAdminAction(async () => {
    const actor = await requireActionActor("user.manage");
    const input = ResetForm.safeParse(Object.fromEntries(form));
    if (!input.success) return { error: "Invalid request." };
    const { user, generatedPassword } = await resetUserPassword(actor, input.data.userId);
    revalidatePath("/admin/users");
    return {
      ok: true,
      message: `New password set for ${user.email}; their sessions ended.`,
      ...(generatedPassword ? { secret: { label: `New password for ${user.email}`, value: generatedPassword } } : {}),
    };
  });
}
