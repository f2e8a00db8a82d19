"use server";
// Promotion from the rollout page (issue #17): the DAL's mutation authorises, validates, writes and audits.
import { revalidatePath } from "next/cache";
import { requireActionActor } from "@/lib/auth/session";
import { formAction } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { promoteRollout } from "@/lib/rollouts/promote";

export async function promoteBuildAction(rolloutId: number, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    const promotion = await promoteRollout(await requireActionActor("rollout.write"), { ...input, rolloutId: String(rolloutId) });
    const waves = promotion.moved.length;
    return { ok: true, message: `Promoted to ${promotion.to.name}: ${waves} ${waves === 1 ? "wave targets" : "waves target"} it now.` };
  });
  if (state.ok) revalidatePath(`/rollouts/${rolloutId}`);
  return state;
}
