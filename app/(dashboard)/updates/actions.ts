"use server";
// Server actions of the update pages: authorise, write through the DAL (audit in its transaction),
// revalidate, and answer errors per field.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { FormState } from "@/components/rollouts/form-state";
import { requireActionActor } from "@/lib/auth/session";
import { runFormAction } from "@/lib/rollouts/form-action";
import { addBuild, createUpdate, editUpdate, recordSlip } from "@/lib/updates/catalog";

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

const updateFields = (form: FormData) => ({
  slug: text(form, "slug"),
  title: text(form, "title"),
  vendor: text(form, "vendor"),
  product: text(form, "product"),
  kind: text(form, "kind") as never,
  kb: text(form, "kb"),
  sizeBytes: Math.round(Number(text(form, "sizeMb") || "NaN") * 1_000_000),
  description: text(form, "description"),
  vendorStatus: text(form, "vendorStatus"),
  applicableOsNames: text(form, "applicableOsNames"),
  plannedReleaseDate: text(form, "plannedReleaseDate"),
});

export async function createUpdateAction(_: FormState, form: FormData): Promise<FormState> {
  let slug = "";
  const state = await runFormAction(async () => {
    const actor = await requireActionActor("update.write");
    ({ slug } = await createUpdate(actor, updateFields(form)));
    return { ok: true };
  });
  if (!state.ok) return renameSize(state);
  revalidatePath("/updates");
  redirect(`/updates/${slug}`);
}

export async function editUpdateAction(previousSlug: string, _: FormState, form: FormData): Promise<FormState> {
  let slug = "";
  const state = await runFormAction(async () => {
    const actor = await requireActionActor("update.write");
    ({ slug } = await editUpdate(actor, previousSlug, updateFields(form)));
    return { ok: true };
  });
  if (!state.ok) return renameSize(state);
  revalidatePath("/updates");
  redirect(`/updates/${slug}`);
}

/** The form asks for megabytes; errors on sizeBytes belong next to that field. */
function renameSize(state: FormState): FormState {
  if (state.fieldErrors?.sizeBytes) state.fieldErrors.sizeMb = ["Enter the size in MB (a number, 0 or more)."];
  return state;
}

export async function addBuildAction(slug: string, _: FormState, form: FormData): Promise<FormState> {
  const state = await runFormAction(async () => {
    const actor = await requireActionActor("update.write");
    await addBuild(actor, slug, { name: text(form, "name"), version: text(form, "version"), kind: text(form, "kind") as never, releasedAt: text(form, "releasedAt") });
    return { ok: true, message: `Build ${text(form, "name")} added.` };
  });
  if (state.ok) revalidatePath(`/updates/${slug}`);
  return state;
}

export async function recordSlipAction(slug: string, _: FormState, form: FormData): Promise<FormState> {
  const state = await runFormAction(async () => {
    const actor = await requireActionActor("update.write");
    await recordSlip(actor, slug, { plannedDate: text(form, "plannedDate"), note: text(form, "note") });
    return { ok: true, message: `Release date moved to ${text(form, "plannedDate")}.` };
  });
  if (state.ok) revalidatePath(`/updates/${slug}`);
  return state;
}
