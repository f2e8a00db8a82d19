"use server";
// Server actions of the known-issue pages: the form's fields go to the DAL's mutations (which
// authorise, validate, write the history and audit), then the pages that show the issue are
// revalidated. A refused form answers its messages per field and keeps what was typed.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActionActor } from "@/lib/auth/session";
import { formAction } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { addFixLink, addHelpdeskReport, createKnownIssue, removeFixLink, updateKnownIssue } from "@/lib/known-issues/actions";

/**
 * The forms send affected apps and platforms as one text area each; a message about one line of it
 * ("affectedApps.1.name") is shown under that text area, saying which line.
 */
function underTextAreas(state: FormState): FormState {
  const errors = state.fieldErrors;
  if (!errors) return state;
  for (const [path, messages] of Object.entries(errors)) {
    const match = /^(affectedApps|affectedPlatforms)\.(\d+)(?:\.|$)/.exec(path);
    if (!match || !messages) continue;
    const [, field, index] = match;
    errors[field] = [...(errors[field] ?? []), ...messages.map((m) => `Line ${Number(index) + 1}: ${m}`)];
    delete errors[path];
  }
  return state;
}

function refresh(advisoryId: string) {
  revalidatePath("/known-issues");
  revalidatePath(`/known-issues/${advisoryId}`);
}

export async function createIssueAction(_: FormState, form: FormData): Promise<FormState> {
  let advisoryId = "";
  const state = await formAction(form, async (input) => {
    ({ advisoryId } = await createKnownIssue(await requireActionActor("known_issue.write"), input));
    return { ok: true, message: `${advisoryId} created.` };
  });
  if (!state.ok) return underTextAreas(state);
  revalidatePath("/known-issues");
  redirect(`/known-issues/${advisoryId}`);
}

export async function changeStatusAction(advisoryId: string, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    await updateKnownIssue(await requireActionActor("known_issue.write"), { ...input, knownIssue: advisoryId });
    return { ok: true, message: "Status changed." };
  });
  if (state.ok) refresh(advisoryId);
  return state;
}

export async function setHoldAction(advisoryId: string, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    await updateKnownIssue(await requireActionActor("known_issue.write"), { ...input, knownIssue: advisoryId });
    return input.safeguardHold === "on"
      ? { ok: true, message: "Safeguard hold applied: affected devices are held back." }
      : { ok: true, message: "Safeguard hold lifted: held devices may install again." };
  });
  if (state.ok) {
    refresh(advisoryId);
    revalidatePath("/");
  }
  return state;
}

export async function editIssueAction(advisoryId: string, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    const { changed } = await updateKnownIssue(await requireActionActor("known_issue.write"), { ...input, knownIssue: advisoryId });
    return { ok: true, message: changed.length ? `Saved (${changed.join(", ").replace(/_/g, " ")}).` : "Nothing changed." };
  });
  if (state.ok) refresh(advisoryId);
  return underTextAreas(state);
}

export async function addFixLinkAction(advisoryId: string, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    await addFixLink(await requireActionActor("known_issue.write"), { ...input, knownIssue: advisoryId });
    return { ok: true, message: "Fix link added." };
  });
  if (state.ok) refresh(advisoryId);
  return state;
}

export async function removeFixLinkAction(advisoryId: string, linkId: number, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async () => {
    await removeFixLink(await requireActionActor("known_issue.write"), { knownIssue: advisoryId, linkId });
    return { ok: true, message: "Fix link removed." };
  });
  if (state.ok) refresh(advisoryId);
  return state;
}

export async function reportAction(advisoryId: string, _: FormState, form: FormData): Promise<FormState> {
  let hostname = "";
  const state = await formAction(form, async (input) => {
    const report = await addHelpdeskReport(await requireActionActor("helpdesk_report.create"), { ...input, knownIssue: advisoryId });
    hostname = report.hostname;
    return { ok: true, message: `Ticket ${report.ticketRef} linked to ${report.advisoryId} for ${report.hostname}.` };
  });
  if (state.ok) {
    refresh(advisoryId);
    revalidatePath(`/devices/${hostname}`);
  }
  return state;
}
