"use server";
// Server actions of the rollout pages: preview and save a plan, wave lifecycle actions, offline
// media's overdue threshold per wave. The DAL's mutations authorise, validate, write and audit; these adapt the
// planner's plan or the form's fields, answer refusals per field, and revalidate.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { FormState } from "@/lib/forms/form-state";
import { requireActionActor } from "@/lib/auth/session";
import { formAction, formStateFromError } from "@/lib/forms/form-action";
import { fieldErrorsOf } from "@/lib/http/problem";
import { performWaveAction } from "@/lib/rollouts/lifecycle";
import { setMediaOverdueDays } from "@/lib/rollouts/media";
import { setSilentAfterDays } from "@/lib/rollouts/silent";
import { cancelRollout } from "@/lib/rollouts/cancel";
import { previewRolloutPlan, saveRolloutPlan, type PlanInput, type PlanPreview } from "@/lib/rollouts/plan";

/** The planner keeps what was typed in its own state; a refusal answers the messages per field path. */
export type PlanActionResult = FormState & { preview?: PlanPreview };

export async function previewPlanAction(plan: PlanInput): Promise<PlanActionResult> {
  try {
    const result = await previewRolloutPlan(await requireActionActor("rollout.write"), plan);
    if (result.ok) return { ok: true, preview: result.preview };
    return { preview: result.preview, error: "The plan has problems; see the messages next to the fields.", fieldErrors: fieldErrorsOf(result.errors) };
  } catch (error) {
    return formStateFromError(error);
  }
}

export async function savePlanAction(plan: PlanInput): Promise<PlanActionResult> {
  let rolloutId: number;
  try {
    ({ rolloutId } = await saveRolloutPlan(await requireActionActor("rollout.write"), plan));
  } catch (error) {
    return formStateFromError(error);
  }
  revalidatePath("/rollouts");
  revalidatePath(`/rollouts/${rolloutId}`);
  // The rollout page confirms the save ("Plan saved: N devices in M waves").
  redirect(`/rollouts/${rolloutId}?saved=1`);
}

export async function waveActionAction(rolloutId: number, waveId: number, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    const { wave } = await performWaveAction(await requireActionActor("wave.action"), { ...input, rolloutId: String(rolloutId), waveId: String(waveId) });
    return { ok: true, message: `${wave.name} is now ${wave.status}.` };
  });
  if (state.ok) {
    revalidatePath(`/rollouts/${rolloutId}`);
    revalidatePath("/");
  }
  return state;
}

export async function mediaOverdueDaysAction(rolloutId: number, waveId: number, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    await setMediaOverdueDays(await requireActionActor("rollout.write"), { ...input, waveId: String(waveId) });
    return { ok: true, message: `Overdue after ${input.mediaOverdueDays} days.` };
  });
  if (state.ok) {
    revalidatePath(`/rollouts/${rolloutId}`);
    revalidatePath(`/rollouts/${rolloutId}/media`);
  }
  return state;
}

export async function silentAfterDaysAction(rolloutId: number, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    await setSilentAfterDays(await requireActionActor("rollout.write"), { ...input, rolloutId: String(rolloutId) });
    return { ok: true, message: `Silent after ${input.silentAfterDays} days without a report.` };
  });
  if (state.ok) revalidatePath(`/rollouts/${rolloutId}`);
  return state;
}

export async function cancelRolloutAction(rolloutId: number, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    const cancelled = await cancelRollout(await requireActionActor("rollout.write"), { ...input, rolloutId: String(rolloutId) });
    return { ok: true, message: `${cancelled.name} is cancelled.` };
  });
  if (state.ok) {
    revalidatePath(`/rollouts/${rolloutId}`);
    revalidatePath("/rollouts");
    revalidatePath("/");
  }
  return state;
}
