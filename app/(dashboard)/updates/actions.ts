"use server";
// Server actions of the update pages: the form's fields go to the DAL's mutations (which authorise,
// validate, write and audit), then the pages are revalidated.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActionActor } from "@/lib/auth/session";
import { formAction } from "@/lib/forms/form-action";
import type { FormState, FormValues } from "@/lib/forms/form-state";
import { addBuild, createUpdate, editUpdate, recordSlip } from "@/lib/updates/catalog";
import { pauseUpdate, resumeUpdate, type PauseInput } from "@/lib/updates/pause";

/** The form asks for megabytes; the catalog stores bytes. */
function updateFields(input: FormValues) {
  const sizeMb = typeof input.sizeMb === "string" && input.sizeMb.trim() !== "" ? Number(input.sizeMb) : Number.NaN;
  return { ...input, sizeBytes: String(Math.round(sizeMb * 1_000_000)) };
}

const SIZE_FIELD = { renameFields: { sizeBytes: "sizeMb" } };

export async function createUpdateAction(_: FormState, form: FormData): Promise<FormState> {
  let slug = "";
  const state = await formAction(
    form,
    async (input) => {
      ({ slug } = await createUpdate(await requireActionActor("update.write"), updateFields(input)));
      return { ok: true };
    },
    SIZE_FIELD,
  );
  if (!state.ok) return state;
  revalidatePath("/updates");
  redirect(`/updates/${slug}?created=1`);
}

export async function editUpdateAction(previousSlug: string, _: FormState, form: FormData): Promise<FormState> {
  let slug = "";
  const state = await formAction(
    form,
    async (input) => {
      ({ slug } = await editUpdate(await requireActionActor("update.write"), { ...updateFields(input), update: previousSlug }));
      return { ok: true };
    },
    SIZE_FIELD,
  );
  if (!state.ok) return state;
  revalidatePath("/updates");
  redirect(`/updates/${slug}`);
}

export async function addBuildAction(slug: string, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    await addBuild(await requireActionActor("update.write"), { ...input, update: slug });
    return { ok: true, message: `Build ${input.name} added.` };
  });
  if (state.ok) revalidatePath(`/updates/${slug}`);
  return state;
}

export async function recordSlipAction(slug: string, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    const slip = await recordSlip(await requireActionActor("update.write"), { ...input, update: slug });
    const moved = slip.moved.length ? ` ${slip.moved.length} wave ${slip.moved.length === 1 ? "date" : "dates"} dated from the release moved by ${slip.moved[0].days} days.` : "";
    return { ok: true, message: `Release date moved to ${slip.plannedDate}.${moved}` };
  });
  if (state.ok) revalidatePath(`/updates/${slug}`);
  return state;
}

/** The form's "until" is a datetime-local value, read as UTC (as the label says). */
const utc = (value: FormValues[string] | undefined) => (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value}Z` : value);

export async function pauseUpdateAction(slug: string, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    await pauseUpdate(await requireActionActor("update.write"), { ...input, until: utc(input.until), update: slug } as PauseInput);
    return { ok: true, message: "Paused: no wave offers the update until it is resumed." };
  });
  // Every page shows the pause (the dashboard layout's banner).
  if (state.ok) revalidatePath("/", "layout");
  return state;
}

export async function resumeUpdateAction(slug: string, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async () => {
    await resumeUpdate(await requireActionActor("update.write"), { update: slug });
    return { ok: true, message: "Resumed: the active waves offer the update again." };
  });
  if (state.ok) revalidatePath("/", "layout");
  return state;
}
