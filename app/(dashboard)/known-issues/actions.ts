"use server";
// Server actions of the known-issue pages: each one authorises (session + permission), turns the
// form into the DAL's input, writes through the DAL (history + audit in its transaction) and
// revalidates the pages that show the issue.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { AdminActionState } from "@/components/admin/action-state";
import { runAdminAction } from "@/lib/auth/admin-action";
import { requireActionActor } from "@/lib/auth/session";
import { addHelpdeskReport, changeFixLinks, createKnownIssue, updateKnownIssue } from "@/lib/known-issues/actions";

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/** "App name | version range" per line; a line without "|" means every version. */
function parseAppLines(value: string) {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.lastIndexOf("|");
      return at === -1 ? { name: line, versionRange: "*" } : { name: line.slice(0, at).trim(), versionRange: line.slice(at + 1).trim() || "*" };
    });
}

function parseList(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((v) => v.trim())
    .filter(Boolean);
}

function refresh(advisoryId: string) {
  revalidatePath("/known-issues");
  revalidatePath(`/known-issues/${advisoryId}`);
}

export async function createIssueAction(_: AdminActionState, form: FormData): Promise<AdminActionState> {
  let advisoryId: string | null = null;
  const state = await runAdminAction(async () => {
    const actor = await requireActionActor("known_issue.write");
    const created = await createKnownIssue(actor, {
      title: text(form, "title"),
      update: text(form, "update"),
      status: text(form, "status") || "reported",
      severity: text(form, "severity") || "medium",
      originKb: text(form, "originKb"),
      affectedPlatforms: parseList(text(form, "affectedPlatforms")),
      affectedApps: parseAppLines(text(form, "affectedApps")),
      symptoms: text(form, "symptoms"),
      workaround: text(form, "workaround"),
      safeguardHold: form.get("safeguardHold") === "on",
      note: text(form, "note"),
    });
    advisoryId = created.advisoryId;
    revalidatePath("/known-issues");
    return { ok: true, message: `${created.advisoryId} created.` };
  });
  if (advisoryId) redirect(`/known-issues/${advisoryId}`);
  return state;
}

export async function changeStatusAction(_: AdminActionState, form: FormData): Promise<AdminActionState> {
  return runAdminAction(async () => {
    const actor = await requireActionActor("known_issue.write");
    const id = text(form, "advisoryId");
    const result = await updateKnownIssue(actor, id, { status: text(form, "status"), note: text(form, "note") });
    refresh(result.advisoryId);
    return { ok: true, message: "Status changed." };
  });
}

export async function setHoldAction(_: AdminActionState, form: FormData): Promise<AdminActionState> {
  return runAdminAction(async () => {
    const actor = await requireActionActor("known_issue.write");
    const id = text(form, "advisoryId");
    const on = text(form, "hold") === "on";
    const result = await updateKnownIssue(actor, id, { safeguardHold: on, note: text(form, "note") });
    refresh(result.advisoryId);
    revalidatePath("/");
    return { ok: true, message: on ? "Safeguard hold applied: affected devices are held back." : "Safeguard hold lifted: held devices may install again." };
  });
}

export async function editIssueAction(_: AdminActionState, form: FormData): Promise<AdminActionState> {
  return runAdminAction(async () => {
    const actor = await requireActionActor("known_issue.write");
    const id = text(form, "advisoryId");
    const result = await updateKnownIssue(actor, id, {
      title: text(form, "title"),
      severity: text(form, "severity"),
      symptoms: text(form, "symptoms"),
      workaround: text(form, "workaround"),
      resolution: text(form, "resolution"),
      originKb: text(form, "originKb"),
      resolvingKb: text(form, "resolvingKb"),
      affectedPlatforms: parseList(text(form, "affectedPlatforms")),
      affectedApps: parseAppLines(text(form, "affectedApps")),
      note: text(form, "note"),
    });
    refresh(result.advisoryId);
    return { ok: true, message: result.changed.length ? `Saved (${result.changed.join(", ").replace(/_/g, " ")}).` : "Nothing changed." };
  });
}

export async function addFixLinkAction(_: AdminActionState, form: FormData): Promise<AdminActionState> {
  return runAdminAction(async () => {
    const actor = await requireActionActor("known_issue.write");
    const id = text(form, "advisoryId");
    const result = await changeFixLinks(actor, id, {
      add: { vendor: text(form, "vendor"), title: text(form, "title"), url: text(form, "url"), type: text(form, "type"), publishedAt: text(form, "publishedAt") },
      note: text(form, "note"),
    });
    refresh(result.advisoryId);
    return { ok: true, message: "Fix link added." };
  });
}

export async function removeFixLinkAction(_: AdminActionState, form: FormData): Promise<AdminActionState> {
  return runAdminAction(async () => {
    const actor = await requireActionActor("known_issue.write");
    const id = text(form, "advisoryId");
    const result = await changeFixLinks(actor, id, { removeId: Number(text(form, "linkId")) });
    refresh(result.advisoryId);
    return { ok: true, message: "Fix link removed." };
  });
}

export async function reportAction(_: AdminActionState, form: FormData): Promise<AdminActionState> {
  return runAdminAction(async () => {
    const actor = await requireActionActor("helpdesk_report.create");
    const id = text(form, "advisoryId");
    const report = await addHelpdeskReport(actor, id, { ticketRef: text(form, "ticketRef"), hostname: text(form, "hostname"), note: text(form, "note") });
    refresh(report.advisoryId);
    revalidatePath(`/devices/${report.hostname}`);
    return { ok: true, message: `Ticket ${report.ticketRef} linked to ${report.advisoryId} for ${report.hostname}.` };
  });
}
