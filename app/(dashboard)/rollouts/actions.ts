"use server";
// Server actions of the rollout pages: preview and save a plan, wave lifecycle actions, offline
// media shipments, releasing one device from a hold. Each authorises, writes through the DAL
// (one transaction with its audit entry) and revalidates.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { FormState } from "@/components/rollouts/form-state";
import { requireActionActor } from "@/lib/auth/session";
import { formAction } from "@/lib/forms/form-action";
import { formStateFromError, runFormAction } from "@/lib/rollouts/form-action";
import { performWaveAction, type WaveAction } from "@/lib/rollouts/lifecycle";
import { recordShipment } from "@/lib/rollouts/media";
import { previewRolloutPlan, saveRolloutPlan, type PlanPreview } from "@/lib/rollouts/plan";

export type PlanActionResult = { preview?: PlanPreview; errors?: { path: string; message: string }[]; error?: string };

function planError(error: unknown): PlanActionResult {
  const state = formStateFromError(error);
  return { error: state.error, errors: Object.entries(state.fieldErrors ?? {}).flatMap(([path, messages]) => (messages ?? []).map((message) => ({ path, message }))) };
}

export async function previewPlanAction(plan: unknown): Promise<PlanActionResult> {
  try {
    const actor = await requireActionActor("rollout.write");
    const result = await previewRolloutPlan(actor, plan);
    return result.ok ? { preview: result.preview } : { preview: result.preview, errors: result.errors, error: "The plan has problems; see the messages next to the fields." };
  } catch (error) {
    return planError(error);
  }
}

export async function savePlanAction(plan: unknown): Promise<PlanActionResult> {
  let rolloutId: number;
  try {
    const actor = await requireActionActor("rollout.write");
    ({ rolloutId } = await saveRolloutPlan(actor, plan));
  } catch (error) {
    return planError(error);
  }
  revalidatePath("/rollouts");
  revalidatePath(`/rollouts/${rolloutId}`);
  redirect(`/rollouts/${rolloutId}`);
}

export async function waveActionAction(rolloutId: number, waveId: number, _: FormState, form: FormData): Promise<FormState> {
  const action = String(form.get("action") ?? "") as WaveAction;
  const reason = String(form.get("reason") ?? "");
  const state = await runFormAction(async () => {
    const actor = await requireActionActor("wave.action");
    const { wave } = await performWaveAction(actor, { rolloutId, waveId, action, reason: reason || undefined });
    return { ok: true, message: `${wave.name} is now ${wave.status}.` };
  });
  if (state.ok) {
    revalidatePath(`/rollouts/${rolloutId}`);
    revalidatePath("/");
  }
  return state;
}

export async function shipmentAction(rolloutId: number, waveId: number, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    await recordShipment(await requireActionActor("rollout.write"), { ...input, waveId: String(waveId) });
    return { ok: true, message: "Shipment recorded." };
  });
  if (state.ok) revalidatePath(`/rollouts/${rolloutId}`);
  return state;
}
