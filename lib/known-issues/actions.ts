import "server-only";
// Writes to known issues: create, change (status transitions, texts, affected apps, fix links,
// safeguard hold) and helpdesk reports. Each is a kernel mutation (lib/dal/mutation.ts): it
// authorises, validates, writes a history row per change and its audit entry in one transaction,
// so nothing is ever half-saved; the counted impact is forgotten once the change has committed.
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import {
  builds,
  devices,
  helpdeskReports,
  knownIssueApps,
  knownIssueFixLinks,
  knownIssueHistory,
  knownIssues,
  updates,
  type KnownIssue,
} from "@/db/schema";
import { txRows, type Transaction } from "@/db/tx";
import { actorLabel, type Actor } from "@/lib/auth/actor";
import { mutation } from "@/lib/dal/mutation";
import { fieldProblem, HttpError, invalidInput } from "@/lib/http/problem";
import type { OutboxEvent } from "@/lib/outbox/events";
import { haltWavesForBlockingIssue } from "@/lib/rollouts/gates";
import { syncHoldsForUpdate } from "@/lib/rollouts/holds";
import { forgetCountedImpact } from "./impact-cache";
import { checkTransition, formatAdvisoryId, isResolved, STATUS_LABELS, type KnownIssueStatus } from "./lifecycle";
import {
  CreateKnownIssueInput,
  FixLinkInput,
  HelpdeskReportInput,
  UpdateKnownIssueInput,
  type AffectedAppInput,
  type UpdateKnownIssue,
} from "./validation";

/** Serialises advisory-id allocation (both drivers): max + 1 under a transaction-scoped lock. */
const ADVISORY_ID_LOCK = 72_430_001;

/** Which issue a change is for: its advisory id ("RC-0001", any case), from the address, never the body. */
const KnownIssueRef = z.object({ knownIssue: z.string().trim().min(1).max(40) });

const ISSUE_NOT_SAVED = "The known issue was not saved: correct the marked fields.";

async function allocateAdvisoryId(tx: Transaction): Promise<string> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ADVISORY_ID_LOCK})`);
  const [{ next }] = await txRows<{ next: number }>(
    tx,
    sql`select (coalesce(max(substring(advisory_id from 4)::int), 0) + 1)::int as next
        from known_issues where advisory_id ~ '^RC-[0-9]+$'`,
  );
  return formatAdvisoryId(next);
}

async function findUpdate(tx: Transaction, slug: string, path: string): Promise<{ id: number; slug: string }> {
  const [row] = await tx.select({ id: updates.id, slug: updates.slug }).from(updates).where(eq(updates.slug, slug)).limit(1);
  if (!row) throw fieldProblem(422, path, `Unknown update "${slug}".`);
  return row;
}

async function findBuild(tx: Transaction, updateId: number, name: string): Promise<number> {
  const [row] = await tx
    .select({ id: builds.id })
    .from(builds)
    .where(and(eq(builds.updateId, updateId), sql`lower(${builds.name}) = lower(${name})`))
    .limit(1);
  if (!row) throw fieldProblem(422, "build", `Unknown build "${name}".`);
  return row.id;
}

type ResolvedApp = { appId: number; appName: string; versionRange: string };

/** Affected apps must be apps the inventory knows (case-insensitive); an unknown one is refused by name. */
async function resolveApps(tx: Transaction, input: AffectedAppInput[]): Promise<ResolvedApp[]> {
  if (input.length === 0) return [];
  const names = [...new Set(input.map((a) => a.name.toLowerCase()))];
  const found = await txRows<{ id: number; name: string; key: string }>(
    tx,
    sql`select id, name, lower(name) as key from apps where lower(name) = any(${sql.param(names)}::text[])`,
  );
  const byKey = new Map(found.map((r) => [r.key, r]));
  const errors: { path: string; message: string }[] = [];
  const resolved: ResolvedApp[] = [];
  const seen = new Set<string>();
  input.forEach((app, index) => {
    const hit = byKey.get(app.name.toLowerCase());
    if (!hit) {
      errors.push({ path: `affectedApps.${index}.name`, message: `Unknown app "${app.name}": it is not in the inventory.` });
      return;
    }
    const key = `${hit.id}\u001f${app.versionRange}`;
    if (seen.has(key)) return;
    seen.add(key);
    resolved.push({ appId: hit.id, appName: hit.name, versionRange: app.versionRange });
  });
  if (errors.length) throw new HttpError(422, "An affected app is not in the inventory; nothing was saved.", { errors });
  return resolved;
}

function describeApps(list: { appName: string; versionRange: string }[]): string {
  return list.map((a) => `${a.appName} ${a.versionRange}`).join("; ");
}

function describeLink(link: { vendor: string; title: string; url: string; type: string }): string {
  return `${link.vendor}: ${link.title} (${link.type}) ${link.url}`;
}

function linkKey(link: { vendor: string; title: string; url: string; type: string; publishedAt: Date | null }): string {
  return [link.vendor, link.title, link.url, link.type, link.publishedAt?.toISOString() ?? ""].join("\u001f");
}

function dedupeLinks(links: FixLinkInput[]): FixLinkInput[] {
  const seen = new Set<string>();
  return links.filter((l) => {
    const key = linkKey(l);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

type Change = { field: string; from: string | null; to: string | null };

async function writeHistory(tx: Transaction, actor: Actor, issueId: number, changes: Change[], note: string, at: Date): Promise<void> {
  if (changes.length === 0) return;
  await tx.insert(knownIssueHistory).values(
    changes.map((c, i) => ({
      knownIssueId: issueId,
      at,
      actorUserId: actor.kind === "user" ? actor.userId : null,
      actorLabel: actorLabel(actor),
      field: c.field,
      fromValue: c.from,
      toValue: c.to,
      // The note explains the whole change; it is kept once, on the status row when there is one.
      note: (changes.some((x) => x.field === "status") ? c.field === "status" : i === 0) ? note : "",
    })),
  );
}

function checkHold(on: boolean, status: KnownIssueStatus, appCount: number): void {
  if (!on) return;
  if (isResolved(status)) {
    throw fieldProblem(422, "safeguardHold", "A resolved issue cannot hold devices back: lift the safeguard hold or reopen the issue.");
  }
  if (appCount === 0) {
    throw fieldProblem(422, "safeguardHold", "A safeguard hold needs at least one affected app: it holds back the devices that have it.");
  }
}

export type CreatedKnownIssue = { id: number; advisoryId: string };

export const createKnownIssue = mutation({
  action: "known_issue.write",
  input: CreateKnownIssueInput,
  invalid: ISSUE_NOT_SAVED,
  run: async (tx, who, data): Promise<CreatedKnownIssue> => {
    const update = await findUpdate(tx, data.update, "update");
    const buildId = data.build ? await findBuild(tx, update.id, data.build) : null;
    const resolvingUpdate = data.resolvingUpdate ? await findUpdate(tx, data.resolvingUpdate, "resolvingUpdate") : null;
    const affected = await resolveApps(tx, data.affectedApps);
    if (data.status !== "reported") {
      // A new issue may start further along the lifecycle; the rules for getting there still apply.
      const check = checkTransition("reported", data.status, { note: data.note, hasVendorFix: data.fixLinks.length > 0 || !!data.resolvingKb });
      if (!check.ok && check.field !== "status") throw fieldProblem(422, check.field, check.message);
    }
    checkHold(data.safeguardHold, data.status, affected.length);

    const advisoryId = await allocateAdvisoryId(tx);
    const now = new Date();
    const [created] = await tx
      .insert(knownIssues)
      .values({
        advisoryId,
        title: data.title,
        updateId: update.id,
        buildId,
        originKb: data.originKb ?? null,
        resolvingUpdateId: resolvingUpdate?.id ?? null,
        resolvingKb: data.resolvingKb ?? null,
        status: data.status,
        severity: data.severity,
        affectedPlatforms: data.affectedPlatforms,
        symptoms: data.symptoms,
        workaround: data.workaround,
        resolution: data.resolution,
        safeguardHold: data.safeguardHold,
        safeguardHoldId: data.safeguardHold ? `SH-${advisoryId}` : null,
        blocking: data.blocking,
        createdAt: now,
        resolvedAt: isResolved(data.status) ? now : null,
      })
      .returning({ id: knownIssues.id });
    if (affected.length) await tx.insert(knownIssueApps).values(affected.map((a) => ({ knownIssueId: created.id, ...a })));
    if (data.fixLinks.length) await tx.insert(knownIssueFixLinks).values(data.fixLinks.map((l) => ({ knownIssueId: created.id, ...l })));

    const changes: Change[] = [{ field: "created", from: null, to: data.status }];
    if (data.workaround) changes.push({ field: "workaround", from: null, to: data.workaround });
    if (data.resolution) changes.push({ field: "resolution", from: null, to: data.resolution });
    for (const link of data.fixLinks) changes.push({ field: "fix_link", from: null, to: describeLink(link) });
    if (data.safeguardHold) changes.push({ field: "safeguard_hold", from: "off", to: "on" });
    await writeHistory(tx, who, created.id, changes, data.note, now);
    if (data.safeguardHold) await syncHoldsForUpdate(tx, update.id);
    if (data.blocking && data.status === "confirmed") await haltWavesForBlockingIssue(tx, created.id, who, now);
    return { id: created.id, advisoryId };
  },
  audit: (data, { advisoryId }) => ({ action: "known_issue.create", targetType: "known_issue", targetId: advisoryId, after: { ...data, advisoryId } }),
  events: (data, { advisoryId }) => [
    {
      type: "known_issue.created",
      path: issuePath(advisoryId),
      data: { advisoryId, title: data.title, update: data.update, status: data.status, severity: data.severity, blocking: data.blocking, safeguardHold: data.safeguardHold },
    },
  ],
  afterCommit: () => forgetCountedImpact(),
});

export type UpdateResult = { advisoryId: string; changed: string[] };

/** What one request changes so far: the row's new values, the history rows, the audit's before and after. */
class IssueChanges {
  readonly set: Partial<KnownIssue> = {};
  readonly history: Change[] = [];
  readonly before: Record<string, unknown> = {};
  readonly after: Record<string, unknown> = {};
  readonly addedLinks: FixLinkInput[] = [];

  /** A column of the issue's row changes (`shown`: what the history and audit say it became, when not the stored value). */
  column(field: keyof KnownIssue, historyField: string, from: unknown, to: unknown, show: (v: unknown) => string | null, shown: unknown = to) {
    (this.set as Record<string, unknown>)[field] = to;
    this.list(field, historyField, from, shown, show(from), show(shown));
  }

  /** A value changes (a list replaced, a link added or removed): audit and history only. */
  list(key: string, historyField: string, from: unknown, to: unknown, fromText: string | null, toText: string | null) {
    this.before[key] = from;
    this.after[key] = to;
    this.history.push({ field: historyField, from: fromText, to: toText });
  }
}

const plain = (v: unknown) => (v === null || v === undefined || v === "" ? null : String(v));
const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

async function lockIssue(tx: Transaction, advisoryId: string): Promise<KnownIssue> {
  const [issue] = await tx
    .select()
    .from(knownIssues)
    .where(eq(knownIssues.advisoryId, advisoryId.trim().toUpperCase()))
    .for("update");
  if (!issue) throw new HttpError(404, `There is no known issue ${advisoryId}.`);
  return issue;
}

/** Texts, severity, KBs, blocking, platforms, build and resolving update: each one that differs. */
async function changeFields(tx: Transaction, issue: KnownIssue, data: UpdateKnownIssue, changes: IssueChanges): Promise<void> {
  for (const field of ["title", "severity", "symptoms", "workaround", "resolution", "originKb", "resolvingKb"] as const) {
    const next = data[field];
    if (next === undefined || next === issue[field]) continue;
    changes.column(field, snake(field), issue[field], next, plain);
  }
  if (data.blocking !== undefined && data.blocking !== issue.blocking) {
    changes.column("blocking", "blocking", issue.blocking, data.blocking, (v) => (v ? "yes" : "no"));
  }
  if (data.affectedPlatforms !== undefined && data.affectedPlatforms.join("\n") !== issue.affectedPlatforms.join("\n")) {
    changes.column("affectedPlatforms", "affected_platforms", issue.affectedPlatforms, data.affectedPlatforms, (v) => (v as string[]).join(", ") || null);
  }
  if (data.build !== undefined) {
    const buildId = data.build ? await findBuild(tx, issue.updateId, data.build) : null;
    if (buildId !== issue.buildId) changes.column("buildId", "build", issue.buildId, buildId, plain);
  }
  if (data.resolvingUpdate !== undefined) {
    const target = data.resolvingUpdate ? await findUpdate(tx, data.resolvingUpdate, "resolvingUpdate") : null;
    if ((target?.id ?? null) !== issue.resolvingUpdateId) {
      changes.column("resolvingUpdateId", "resolving_update", issue.resolvingUpdateId, target?.id ?? null, plain, target?.slug ?? null);
    }
  }
}

/** Affected apps: the request's list replaces the stored one. Answers how many apps the issue names now. */
async function replaceAffectedApps(tx: Transaction, issue: KnownIssue, next: AffectedAppInput[] | undefined, changes: IssueChanges) {
  const stored = await tx
    .select({ appId: knownIssueApps.appId, appName: knownIssueApps.appName, versionRange: knownIssueApps.versionRange })
    .from(knownIssueApps)
    .where(eq(knownIssueApps.knownIssueId, issue.id))
    .orderBy(knownIssueApps.id);
  if (next === undefined) return { appCount: stored.length, appsChanged: false };
  const resolved = await resolveApps(tx, next);
  const appsChanged = describeApps(resolved) !== describeApps(stored);
  if (appsChanged) {
    await tx.delete(knownIssueApps).where(eq(knownIssueApps.knownIssueId, issue.id));
    if (resolved.length) await tx.insert(knownIssueApps).values(resolved.map((a) => ({ knownIssueId: issue.id, ...a })));
    const named = (list: { appName: string; versionRange: string }[]) => list.map(({ appName, versionRange }) => ({ name: appName, versionRange }));
    changes.list("affectedApps", "affected_apps", named(stored), named(resolved), describeApps(stored) || null, describeApps(resolved) || null);
  }
  return { appCount: resolved.length, appsChanged };
}

/** Fix links: the request's list replaces the stored one, a history row per link added or removed. Answers the count now. */
async function replaceFixLinks(tx: Transaction, issue: KnownIssue, next: FixLinkInput[] | undefined, changes: IssueChanges): Promise<number> {
  const stored = await tx.select().from(knownIssueFixLinks).where(eq(knownIssueFixLinks.knownIssueId, issue.id)).orderBy(knownIssueFixLinks.id);
  if (next === undefined) return stored.length;
  const nextKeys = new Set(next.map(linkKey));
  const storedKeys = new Set(stored.map(linkKey));
  const removed = stored.filter((l) => !nextKeys.has(linkKey(l)));
  const added = dedupeLinks(next).filter((l) => !storedKeys.has(linkKey(l)));
  for (const link of removed) await tx.delete(knownIssueFixLinks).where(eq(knownIssueFixLinks.id, link.id));
  if (added.length) await tx.insert(knownIssueFixLinks).values(added.map((l) => ({ knownIssueId: issue.id, ...l })));
  if (removed.length || added.length) {
    changes.before.fixLinks = stored.map(({ vendor, title, url, type }) => ({ vendor, title, url, type }));
    changes.after.fixLinks = next.map(({ vendor, title, url, type }) => ({ vendor, title, url, type }));
    for (const link of removed) changes.history.push({ field: "fix_link", from: describeLink(link), to: null });
    for (const link of added) changes.history.push({ field: "fix_link", from: null, to: describeLink(link) });
    changes.addedLinks.push(...added);
  }
  return stored.length - removed.length + added.length;
}

/** A status transition, checked against the lifecycle table (a note to resolve, a vendor fix to resolve externally). */
function changeStatus(issue: KnownIssue, data: UpdateKnownIssue, linkCount: number, changes: IssueChanges): KnownIssueStatus {
  if (data.status === undefined) return issue.status;
  if (data.status === issue.status) {
    if (changes.history.length === 0 && data.safeguardHold === undefined) {
      throw fieldProblem(422, "status", `The issue is already ${STATUS_LABELS[issue.status].toLowerCase()}.`);
    }
    return issue.status;
  }
  const resolvingKb = data.resolvingKb !== undefined ? data.resolvingKb : issue.resolvingKb;
  const check = checkTransition(issue.status, data.status, { note: data.note, hasVendorFix: linkCount > 0 || !!resolvingKb });
  if (!check.ok) throw fieldProblem(422, check.field, check.message);
  changes.column("status", "status", issue.status, data.status, (v) => String(v));
  changes.set.resolvedAt = isResolved(data.status) ? new Date() : null;
  return data.status;
}

/** The safeguard hold: resolving lifts it (there is nothing left to hold devices back from) unless asked otherwise. */
function changeHold(issue: KnownIssue, data: UpdateKnownIssue, status: KnownIssueStatus, appCount: number, changes: IssueChanges) {
  let hold = data.safeguardHold ?? issue.safeguardHold;
  if (data.safeguardHold === undefined && hold && isResolved(status)) hold = false;
  checkHold(hold, status, appCount);
  const holdChanged = hold !== issue.safeguardHold;
  if (holdChanged) {
    changes.column("safeguardHold", "safeguard_hold", issue.safeguardHold, hold, (v) => (v ? "on" : "off"));
    if (hold && !issue.safeguardHoldId) changes.set.safeguardHoldId = `SH-${issue.advisoryId}`;
  }
  return { hold, holdChanged };
}

type AppliedChange = UpdateResult & { before: Record<string, unknown>; after: Record<string, unknown>; note: string; title: string; addedLinks: FixLinkInput[] };

/** Changes one issue under its row lock; answers what changed (nothing: `changed` is empty and no audit entry is written). */
async function applyChange(tx: Transaction, who: Actor, advisoryId: string, data: UpdateKnownIssue): Promise<AppliedChange> {
  const issue = await lockIssue(tx, advisoryId);
  const changes = new IssueChanges();
  await changeFields(tx, issue, data, changes);
  const { appCount, appsChanged } = await replaceAffectedApps(tx, issue, data.affectedApps, changes);
  const linkCount = await replaceFixLinks(tx, issue, data.fixLinks, changes);
  const status = changeStatus(issue, data, linkCount, changes);
  const { hold, holdChanged } = changeHold(issue, data, status, appCount, changes);

  const note = data.note.trim();
  if (changes.history.length === 0 && note) changes.history.push({ field: "comment", from: null, to: null });
  const result = {
    advisoryId: issue.advisoryId,
    changed: changes.history.map((c) => c.field),
    before: changes.before,
    after: changes.after,
    note,
    title: changes.set.title ?? issue.title,
    addedLinks: changes.addedLinks,
  };
  if (changes.history.length === 0) return result;

  const now = new Date();
  // Stamped with the history rows' time, and a comment alone (no column changes) still touches the issue.
  await tx
    .update(knownIssues)
    .set({ ...changes.set, updatedAt: now })
    .where(eq(knownIssues.id, issue.id));
  await writeHistory(tx, who, issue.id, changes.history, note, now);
  if (holdChanged || (hold && appsChanged)) await syncHoldsForUpdate(tx, issue.updateId);
  // A confirmed blocking issue halts the active waves of its update (the rollout area decides which).
  if ((changes.set.status !== undefined || changes.set.blocking !== undefined) && status === "confirmed" && (changes.set.blocking ?? issue.blocking)) {
    await haltWavesForBlockingIssue(tx, issue.id, who, now);
  }
  return result;
}

function changeAudit({ advisoryId, changed, before, after, note }: AppliedChange) {
  if (changed.length === 0) return null;
  return { action: "known_issue.update", targetType: "known_issue", targetId: advisoryId, before, after: note ? { ...after, note } : after };
}

const issuePath = (advisoryId: string) => `/known-issues/${encodeURIComponent(advisoryId)}`;

/** The notifiable part of a change: a new status, the hold switched, vendor fix links added. */
function changeEvents({ advisoryId, title, before, after, note, addedLinks }: AppliedChange): OutboxEvent[] {
  const path = issuePath(advisoryId);
  const events: OutboxEvent[] = [];
  if ("status" in after) events.push({ type: "known_issue.status_changed", path, data: { advisoryId, title, from: before.status, to: after.status, note: note || null } });
  if ("safeguardHold" in after) {
    events.push({ type: after.safeguardHold ? "known_issue.hold_applied" : "known_issue.hold_lifted", path, data: { advisoryId, title, safeguardHoldId: `SH-${advisoryId}` } });
  }
  for (const { vendor, title: linkTitle, url, type } of addedLinks) {
    events.push({ type: "known_issue.fix_link_added", path, data: { advisoryId, title, fixLink: { vendor, title: linkTitle, url, type } } });
  }
  return events;
}

/** Changes one issue (`knownIssue` names it); answers what changed (empty when the request changed nothing). */
export const updateKnownIssue = mutation({
  action: "known_issue.write",
  input: UpdateKnownIssueInput.extend(KnownIssueRef.shape),
  invalid: ISSUE_NOT_SAVED,
  run: async (tx, who, { knownIssue, ...data }) => applyChange(tx, who, knownIssue, data),
  audit: (_data, applied) => changeAudit(applied),
  events: (_data, applied) => changeEvents(applied),
  afterCommit: () => forgetCountedImpact(),
});

/** The fix links after adding or removing one, checked as a PATCH of the list would be. */
async function nextFixLinks(tx: Transaction, advisoryId: string, change: { add?: FixLinkInput; removeId?: number }): Promise<FixLinkInput[]> {
  const issue = await lockIssue(tx, advisoryId);
  const stored = await tx.select().from(knownIssueFixLinks).where(eq(knownIssueFixLinks.knownIssueId, issue.id)).orderBy(knownIssueFixLinks.id);
  if (change.removeId !== undefined && !stored.some((l) => l.id === change.removeId)) throw new HttpError(404, "That fix link is already gone.");
  const next: FixLinkInput[] = stored
    .filter((l) => l.id !== change.removeId)
    .map(({ vendor, title, url, type, publishedAt }) => ({ vendor, title, url, type, publishedAt }));
  if (change.add) next.push(change.add);
  const list = UpdateKnownIssueInput.pick({ fixLinks: true }).safeParse({ fixLinks: next });
  if (!list.success) throw invalidInput(list.error, ISSUE_NOT_SAVED);
  return list.data.fixLinks ?? [];
}

const NOTE = UpdateKnownIssueInput.shape.note;

/** Adds one vendor fix link (the page's form), read and written under the issue's row lock. */
export const addFixLink = mutation({
  action: "known_issue.write",
  input: FixLinkInput.extend({ ...KnownIssueRef.shape, note: NOTE }),
  invalid: "The fix link was not added: correct the marked fields.",
  run: async (tx, who, { knownIssue, note, ...link }) => applyChange(tx, who, knownIssue, { fixLinks: await nextFixLinks(tx, knownIssue, { add: link }), note }),
  audit: (_data, applied) => changeAudit(applied),
  events: (_data, applied) => changeEvents(applied),
});

/** Removes one vendor fix link (the page's button). */
export const removeFixLink = mutation({
  action: "known_issue.write",
  input: KnownIssueRef.extend({ linkId: z.coerce.number().int().positive(), note: NOTE }),
  run: async (tx, who, { knownIssue, linkId, note }) => applyChange(tx, who, knownIssue, { fixLinks: await nextFixLinks(tx, knownIssue, { removeId: linkId }), note }),
  audit: (_data, applied) => changeAudit(applied),
});

export type CreatedHelpdeskReport = { id: number; advisoryId: string; ticketRef: string; hostname: string; note: string; createdAt: Date };

/** A helpdesk user links a ticket and the caller's machine to a known issue (`knownIssue`). */
export const addHelpdeskReport = mutation({
  action: "helpdesk_report.create",
  input: HelpdeskReportInput.extend(KnownIssueRef.shape),
  invalid: "The report was not filed: correct the marked fields.",
  run: async (tx, who, data): Promise<CreatedHelpdeskReport> => {
    const [issue] = await tx
      .select({ id: knownIssues.id, advisoryId: knownIssues.advisoryId })
      .from(knownIssues)
      .where(eq(knownIssues.advisoryId, data.knownIssue.toUpperCase()))
      .limit(1);
    if (!issue) throw new HttpError(404, `There is no known issue ${data.knownIssue}.`);
    const [device] = await tx
      .select({ id: devices.id, hostname: devices.hostname })
      .from(devices)
      .where(sql`lower(${devices.hostname}) = lower(${data.hostname})`)
      .limit(1);
    if (!device) throw fieldProblem(422, "hostname", `There is no device named "${data.hostname}".`);
    const [report] = await tx
      .insert(helpdeskReports)
      .values({ knownIssueId: issue.id, deviceId: device.id, ticketRef: data.ticketRef, note: data.note, reportedBy: who.kind === "user" ? who.userId : null })
      .returning({ id: helpdeskReports.id, createdAt: helpdeskReports.createdAt });
    return { id: report.id, advisoryId: issue.advisoryId, ticketRef: data.ticketRef, hostname: device.hostname, note: data.note, createdAt: report.createdAt };
  },
  audit: (_data, report) => ({
    action: "helpdesk_report.create",
    targetType: "known_issue",
    targetId: report.advisoryId,
    after: { ticketRef: report.ticketRef, hostname: report.hostname, note: report.note },
  }),
});
