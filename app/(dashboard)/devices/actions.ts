"use server";
// Server actions of the device pages: release one device from a safeguard hold, create sites and
// departments. The form's fields go to the DAL's mutations (which authorise, validate, write and
// audit), then the pages are revalidated.
import { revalidatePath } from "next/cache";
import { requireActionActor } from "@/lib/auth/session";
import { createDepartment, createSite } from "@/lib/devices/sites";
import { formAction } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { releaseDeviceFromHold } from "@/lib/rollouts/holds";

export async function releaseHoldAction(hostname: string, update: string, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    const released = await releaseDeviceFromHold(await requireActionActor("rollout.write"), { ...input, hostname, update });
    return { ok: true, message: `${released.hostname} released: now ${released.state}.` };
  });
  if (state.ok) revalidatePath(`/devices/${encodeURIComponent(hostname)}`);
  return state;
}

export async function createSiteAction(_: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    const site = await createSite(await requireActionActor("inventory.write"), input);
    return { ok: true, message: `Site ${site.name} created.` };
  });
  if (state.ok) revalidatePath("/devices/sites");
  return state;
}

export async function createDepartmentAction(_: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    const department = await createDepartment(await requireActionActor("inventory.write"), input);
    return { ok: true, message: `Department ${department.name} created.` };
  });
  if (state.ok) revalidatePath("/devices/sites");
  return state;
}
