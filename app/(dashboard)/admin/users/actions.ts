"use server";
// Server actions of /admin/users: the form's fields go to the DAL's mutations (which authorise,
// validate, write and audit in one transaction), then the page is revalidated. Every action is a
// public POST endpoint, so each asks for the caller itself. A generated password is answered once.
import { revalidatePath } from "next/cache";
import { requireActionActor } from "@/lib/auth/session";
import { createUser, resetUserPassword, setUserDisabled, setUserRole } from "@/lib/auth/users";
import { formAction } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";

function revalidated(state: FormState): FormState {
  if (state.ok) revalidatePath("/admin/users");
  return state;
}

export async function createUserAction(_: FormState, form: FormData): Promise<FormState> {
  return revalidated(
    await formAction(form, async (input) => {
      const { user, generatedPassword } = await createUser(await requireActionActor("user.manage"), input);
      return {
        ok: true,
        message: `Created ${user.role} ${user.email}.`,
        ...(generatedPassword ? { secret: { label: `Password for ${user.email}`, value: generatedPassword } } : {}),
      };
    }),
  );
}

export async function setRoleAction(_: FormState, form: FormData): Promise<FormState> {
  return revalidated(
    await formAction(form, async (input) => {
      const { user } = await setUserRole(await requireActionActor("user.manage"), input);
      return { ok: true, message: `${user.email} is now ${user.role}.` };
    }),
  );
}

export async function setDisabledAction(_: FormState, form: FormData): Promise<FormState> {
  return revalidated(
    await formAction(form, async (input) => {
      const { user } = await setUserDisabled(await requireActionActor("user.manage"), input);
      return { ok: true, message: user.disabled ? `${user.email} is disabled; their sessions ended.` : `${user.email} is enabled.` };
    }),
  );
}

export async function resetPasswordAction(_: FormState, form: FormData): Promise<FormState> {
  return revalidated(
    await formAction(form, async (input) => {
      // The button sets a generated password; a password field is not part of this form.
      const { user, generatedPassword } = await resetUserPassword(await requireActionActor("user.manage"), { id: input.id });
      return {
        ok: true,
        message: `New password set for ${user.email}; their sessions ended.`,
        ...(generatedPassword ? { secret: { label: `New password for ${user.email}`, value: generatedPassword } } : {}),
      };
    }),
  );
}
