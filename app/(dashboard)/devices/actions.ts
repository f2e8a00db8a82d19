"use server";
// Server actions of the device pages: release one device from a safeguard hold, create sites and
// departments. Authorise, write through the DAL (audited in its transaction), revalidate.
import { revalidatePath } from "next/cache";
import type { FormState } from "@/components/rollouts/form-state";
import { requireActionActor } from "@/lib/auth/session";
import { createDepartment, createSite } from "@/lib/devices/sites";
import { runFormAction } from "@/lib/rollouts/form-action";
import { releaseDeviceFromHold } from "@/lib/rollouts/holds";

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

export async function releaseHoldAction(hostname: string, update: string, _: FormState, form: FormData): Promise<FormState> {
  const state = await runFormAction(async () => {
    const actor = await requireActionActor("rollout.write");
    const result = await releaseDeviceFromHold(actor, { hostname, update, reason: text(form, "reason") });
    return { ok: true, message: `${result.hostname} released: now ${result.state}.` };
  });
  if (state.ok) revalidatePath(`/devices/${encodeURIComponent(hostname)}`);
  return state;
}

export async function createSiteAction(_: FormState, form: FormData): Promise<FormState> {
  const state = await runFormAction(async () => {
    const actor = await requireActionActor("inventory.write");
    const site = await createSite(actor, { name: text(form, "name"), kind: text(form, "kind") as never, linkKbps: text(form, "linkKbps"), distributionPoint: text(form, "distributionPoint") });
    return { ok: true, message: `Site ${site.name} created.` };
  });
  if (state.ok) revalidatePath("/devices/sites");
  return state;
}

export async function createDepartmentAction(_: FormState, form: FormData): Promise<FormState> {
  const state = await runFormAction(async () => {
    const actor = await requireActionActor("inventory.write");
    const department = await createDepartment(actor, { name: text(form, "name") });
    return { ok: true, message: `Department ${department.name} created.` };
  });
  if (state.ok) revalidatePath("/devices/sites");
  return state;
}
