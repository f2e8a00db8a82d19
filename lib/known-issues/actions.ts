import "server-only";
// Writes to known issues: create, change (status transitions, texts, affected apps, fix links,
// safeguard hold) and helpdesk reports. Each one validates, authorises, writes, records a history
// row per change and an audit entry — all in one transaction, so nothing is ever half-saved.
import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { getDb, type Db } from "@/db/client";
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
import { actorLabel, type Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/log";
import { forgetCountedImpact } from "./impact-cache";
import { HttpError, type FieldError } from "@/lib/http/problem";
import { haltWavesForBlockingIssue } from "@/lib/rollouts/gates";
import { syncHoldsForUpdate } from "@/lib/rollouts/holds";
import { checkTransition, formatAdvisoryId, isResolved, STATUS_LABELS, type KnownIssueStatus } from "./lifecycle";
import {
  CreateKnownIssueInput,
  FixLinkInput,
  HelpdeskReportInput,
  UpdateKnownIssueInput,
  type AffectedAppInput,
} from "./validation";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Serialises advisory-id allocation (both drivers): max + 1 under a transaction-scoped lock. */
const ADVISORY_ID_LOCK = 72_430_001;

function invalid(detail: string, errors: FieldError[]): HttpError {
  return new HttpError(422, detail, { errors });
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw invalid(
      "The known issue has invalid fields; nothing was saved.",
      result.error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message })),
    );
  }
  return result.data;
}

async function rows<T>(tx: Pick<Db, "execute">, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await tx.execute(query)) as unknown as { rows: T[] }).rows;
}

async function allocateAdvisoryId(tx: Tx): Promise<string> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ADVISORY_ID_LOCK})`);
  const [{ next }] = await rows<{ next: number }>(
    tx,
    sql`select (coalesce(max(substring(advisory_id from 4)::int), 0) + 1)::int as next
        from known_issues where advisory_id ~ '^RC-[0-9]+$'`,
  );
  return formatAdvisoryId(next);
}

async function findUpdate(tx: Tx, slug: string, path: string): Promise<{ id: number; slug: string }> {
  const [row] = await tx.select({ id: updates.id, slug: updates.slug }).from(updates).where(eq(updates.slug, slug)).limit(1);
  if (!row) throw invalid(`There is no update "${slug}".`, [{ path, message: `Unknown update "${slug}".` }]);
  return row;
}

async function findBuild(tx: Tx, updateId: number, name: string): Promise<number> {
  const [row] = await tx
    .select({ id: builds.id })
    .from(builds)
    .where(and(eq(builds.updateId, updateId), sql`lower(${builds.name}) = lower(${name})`))
    .limit(1);
  if (!row) throw invalid(`The update has no build "${name}".`, [{ path: "build", message: `Unknown build "${name}".` }]);
  return row.id;
}

type ResolvedApp = { appId: number; appName: string; versionRange: string };

/** Affected apps must be apps the inventory knows (case-insensitive); an unknown one is refused by name. */
async function resolveApps(tx: Tx, input: AffectedAppInput[]): Promise<ResolvedApp[]> {
  if (input.length === 0) return [];
  const names = [...new Set(input.map((a) => a.name.toLowerCase()))];
  const found = await rows<{ id: number; name: string; key: string }>(
    tx,
    sql`select id, name, lower(name) as key from apps where lower(name) = any(${sql.param(names)}::text[])`,
  );
  const byKey = new Map(found.map((r) => [r.key, r]));
  const errors: FieldError[] = [];
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
  if (errors.length) throw invalid("An affected app is not in the inventory; nothing was saved.", errors);
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

type Change = { field: string; from: string | null; to: string | null };

async function writeHistory(tx: Tx, actor: Actor, issueId: number, changes: Change[], note: string, at: Date): Promise<void> {
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

export type CreatedKnownIssue = { id: number; advisoryId: string };

export async function createKnownIssue(actor: Actor | null, input: unknown): Promise<CreatedKnownIssue> {
  const who = assertCan(actor, "known_issue.write");
  const data = parse(CreateKnownIssueInput, input);
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    const update = await findUpdate(tx, data.update, "update");
    const buildId = data.build ? await findBuild(tx, update.id, data.build) : null;
    const resolvingUpdate = data.resolvingUpdate ? await findUpdate(tx, data.resolvingUpdate, "resolvingUpdate") : null;
    const affected = await resolveApps(tx, data.affectedApps);
    if (data.status !== "reported") {
      // A new issue may start further along the lifecycle; the rules for getting there still apply.
      const check = checkTransition("reported", data.status, { note: data.note, hasVendorFix: data.fixLinks.length > 0 || !!data.resolvingKb });
      if (!check.ok && check.field !== "status") throw invalid(check.message, [{ path: check.field, message: check.message }]);
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
        updatedAt: now,
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
    await recordAudit(tx, who, {
      action: "known_issue.create",
      targetType: "known_issue",
      targetId: advisoryId,
      after: { ...data, advisoryId },
    });
    return { id: created.id, advisoryId };
  });
  forgetCountedImpact();
  return result;
}

function checkHold(on: boolean, status: KnownIssueStatus, appCount: number): void {
  if (!on) return;
  if (isResolved(status)) {
    const message = "A resolved issue cannot hold devices back: lift the safeguard hold or reopen the issue.";
    throw invalid(message, [{ path: "safeguardHold", message }]);
  }
  if (appCount === 0) {
    const message = "A safeguard hold needs at least one affected app: it holds back the devices that have it.";
    throw invalid(message, [{ path: "safeguardHold", message }]);
  }
}

export type UpdateResult = { advisoryId: string; changed: string[] };

/** Changes one issue; returns what changed (empty when the request changed nothing). */
export async function updateKnownIssue(actor: Actor | null, advisoryId: string, input: unknown): Promise<UpdateResult> {
  const who = assertCan(actor, "known_issue.write");
  const data = parse(UpdateKnownIssueInput, input);
  const db = await getDb();
  const result = await db.transaction((tx) => updateInTransaction(tx, who, advisoryId, data));
  forgetCountedImpact();
  return result;
}

/** Adds or removes one vendor fix link (the page's buttons), read and written under the issue's row lock. */
export async function changeFixLinks(
  actor: Actor | null,
  advisoryId: string,
  change: { add?: unknown; removeId?: number; note?: string },
): Promise<UpdateResult> {
  const who = assertCan(actor, "known_issue.write");
  const add = change.add === undefined ? undefined : parse(FixLinkInput, change.add);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [issue] = await tx
      .select({ id: knownIssues.id })
      .from(knownIssues)
      .where(eq(knownIssues.advisoryId, advisoryId.trim().toUpperCase()))
      .for("update");
    if (!issue) throw new HttpError(404, `There is no known issue ${advisoryId}.`);
    const stored = await tx.select().from(knownIssueFixLinks).where(eq(knownIssueFixLinks.knownIssueId, issue.id)).orderBy(knownIssueFixLinks.id);
    if (change.removeId !== undefined && !stored.some((l) => l.id === change.removeId)) throw new HttpError(404, "That fix link is already gone.");
    const next: FixLinkInput[] = stored
      .filter((l) => l.id !== change.removeId)
      .map(({ vendor, title, url, type, publishedAt }) => ({ vendor, title, url, type, publishedAt }));
    if (add) next.push(add);
    const data = parse(UpdateKnownIssueInput, { fixLinks: next, note: change.note ?? "" });
    return updateInTransaction(tx, who, advisoryId, data);
  });
}

async function updateInTransaction(tx: Tx, who: Actor, advisoryId: string, data: z.output<typeof UpdateKnownIssueInput>): Promise<UpdateResult> {
  const [issue] = await tx
    .select()
    .from(knownIssues)
    .where(eq(knownIssues.advisoryId, advisoryId.trim().toUpperCase()))
    .for("update");
  if (!issue) throw new HttpError(404, `There is no known issue ${advisoryId}.`);

  const changes: Change[] = [];
  const set: Partial<KnownIssue> = {};
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const record = (field: keyof KnownIssue, historyField: string, from: unknown, to: unknown, show: (v: unknown) => string | null) => {
    before[field] = from;
    after[field] = to;
    changes.push({ field: historyField, from: show(from), to: show(to) });
  };
  const plain = (v: unknown) => (v === null || v === undefined || v === "" ? null : String(v));

  for (const field of ["title", "severity", "symptoms", "workaround", "resolution", "originKb", "resolvingKb"] as const) {
    const next = data[field];
    if (next === undefined || next === issue[field]) continue;
    (set as Record<string, unknown>)[field] = next;
    record(field, snake(field), issue[field], next, plain);
  }
  if (data.blocking !== undefined && data.blocking !== issue.blocking) {
    set.blocking = data.blocking;
    record("blocking", "blocking", issue.blocking, data.blocking, (v) => (v ? "yes" : "no"));
  }
  if (data.affectedPlatforms !== undefined && data.affectedPlatforms.join("\n") !== issue.affectedPlatforms.join("\n")) {
    set.affectedPlatforms = data.affectedPlatforms;
    record("affectedPlatforms", "affected_platforms", issue.affectedPlatforms, data.affectedPlatforms, (v) => (v as string[]).join(", ") || null);
  }
  if (data.build !== undefined) {
    const buildId = data.build ? await findBuild(tx, issue.updateId, data.build) : null;
    if (buildId !== issue.buildId) {
      set.buildId = buildId;
      record("buildId", "build", issue.buildId, buildId, plain);
    }
  }
  if (data.resolvingUpdate !== undefined) {
    const target = data.resolvingUpdate ? await findUpdate(tx, data.resolvingUpdate, "resolvingUpdate") : null;
    if ((target?.id ?? null) !== issue.resolvingUpdateId) {
      set.resolvingUpdateId = target?.id ?? null;
      record("resolvingUpdateId", "resolving_update", issue.resolvingUpdateId, target?.slug ?? null, plain);
    }
  }

  // Affected apps and fix links: the request's list replaces the stored one.
  const storedApps = await tx
    .select({ appId: knownIssueApps.appId, appName: knownIssueApps.appName, versionRange: knownIssueApps.versionRange })
    .from(knownIssueApps)
    .where(eq(knownIssueApps.knownIssueId, issue.id))
    .orderBy(knownIssueApps.id);
  let appCount = storedApps.length;
  let appsChanged = false;
  if (data.affectedApps !== undefined) {
    const next = await resolveApps(tx, data.affectedApps);
    if (describeApps(next) !== describeApps(storedApps)) {
      appsChanged = true;
      await tx.delete(knownIssueApps).where(eq(knownIssueApps.knownIssueId, issue.id));
      if (next.length) await tx.insert(knownIssueApps).values(next.map((a) => ({ knownIssueId: issue.id, ...a })));
      before.affectedApps = storedApps.map(({ appName, versionRange }) => ({ name: appName, versionRange }));
      after.affectedApps = next.map(({ appName, versionRange }) => ({ name: appName, versionRange }));
      changes.push({ field: "affected_apps", from: describeApps(storedApps) || null, to: describeApps(next) || null });
    }
    appCount = next.length;
  }

  const storedLinks = await tx.select().from(knownIssueFixLinks).where(eq(knownIssueFixLinks.knownIssueId, issue.id)).orderBy(knownIssueFixLinks.id);
  let linkCount = storedLinks.length;
  if (data.fixLinks !== undefined) {
    const nextKeys = new Set(data.fixLinks.map(linkKey));
    const storedKeys = new Set(storedLinks.map(linkKey));
    const removed = storedLinks.filter((l) => !nextKeys.has(linkKey(l)));
    const added = dedupeLinks(data.fixLinks).filter((l) => !storedKeys.has(linkKey(l)));
    for (const link of removed) {
      await tx.delete(knownIssueFixLinks).where(eq(knownIssueFixLinks.id, link.id));
      changes.push({ field: "fix_link", from: describeLink(link), to: null });
    }
    if (added.length) await tx.insert(knownIssueFixLinks).values(added.map((l) => ({ knownIssueId: issue.id, ...l })));
    for (const link of added) changes.push({ field: "fix_link", from: null, to: describeLink(link) });
    if (removed.length || added.length) {
      before.fixLinks = storedLinks.map(({ vendor, title, url, type }) => ({ vendor, title, url, type }));
      after.fixLinks = data.fixLinks.map(({ vendor, title, url, type }) => ({ vendor, title, url, type }));
    }
    linkCount = storedLinks.length - removed.length + added.length;
  }

  let status = issue.status;
  if (data.status !== undefined && data.status !== issue.status) {
    const resolvingKb = data.resolvingKb !== undefined ? data.resolvingKb : issue.resolvingKb;
    const check = checkTransition(issue.status, data.status, { note: data.note, hasVendorFix: linkCount > 0 || !!resolvingKb });
    if (!check.ok) throw invalid(check.message, [{ path: check.field, message: check.message }]);
    status = data.status;
    set.status = status;
    set.resolvedAt = isResolved(status) ? new Date() : null;
    record("status", "status", issue.status, status, (v) => String(v));
  } else if (data.status !== undefined && !changes.length && data.safeguardHold === undefined) {
    const message = `The issue is already ${STATUS_LABELS[issue.status].toLowerCase()}.`;
    throw invalid(message, [{ path: "status", message }]);
  }

  // Resolving lifts the hold (there is nothing left to hold devices back from) unless asked otherwise.
  let hold = data.safeguardHold ?? issue.safeguardHold;
  if (data.safeguardHold === undefined && hold && isResolved(status)) hold = false;
  checkHold(hold, status, appCount);
  const holdChanged = hold !== issue.safeguardHold;
  if (holdChanged) {
    set.safeguardHold = hold;
    if (hold && !issue.safeguardHoldId) set.safeguardHoldId = `SH-${issue.advisoryId}`;
    record("safeguardHold", "safeguard_hold", issue.safeguardHold, hold, (v) => (v ? "on" : "off"));
  }

  const note = data.note.trim();
  if (changes.length === 0 && note) changes.push({ field: "comment", from: null, to: null });
  if (changes.length === 0) return { advisoryId: issue.advisoryId, changed: [] };

  const now = new Date();
  await tx
    .update(knownIssues)
    .set({ ...set, updatedAt: now })
    .where(eq(knownIssues.id, issue.id));
  await writeHistory(tx, who, issue.id, changes, note, now);
  if (holdChanged || (hold && appsChanged)) await syncHoldsForUpdate(tx, issue.updateId);
  // A confirmed blocking issue halts the active waves of its update (the rollout area decides which).
  if ((set.status !== undefined || set.blocking !== undefined) && status === "confirmed" && (set.blocking ?? issue.blocking)) {
    await haltWavesForBlockingIssue(tx, issue.id, who, now);
  }
  await recordAudit(tx, who, {
    action: "known_issue.update",
    targetType: "known_issue",
    targetId: issue.advisoryId,
    before,
    after: note ? { ...after, note } : after,
  });
  return { advisoryId: issue.advisoryId, changed: changes.map((c) => c.field) };
}

function snake(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
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

export type CreatedHelpdeskReport = { id: number; advisoryId: string; ticketRef: string; hostname: string; note: string; createdAt: Date };

/** A helpdesk user links a ticket and the caller's machine to a known issue. */
export async function addHelpdeskReport(actor: Actor | null, advisoryId: string, input: unknown): Promise<CreatedHelpdeskReport> {
  const who = assertCan(actor, "helpdesk_report.create");
  const data = parse(HelpdeskReportInput, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [issue] = await tx
      .select({ id: knownIssues.id, advisoryId: knownIssues.advisoryId })
      .from(knownIssues)
      .where(eq(knownIssues.advisoryId, advisoryId.trim().toUpperCase()))
      .limit(1);
    if (!issue) throw new HttpError(404, `There is no known issue ${advisoryId}.`);
    const [device] = await tx
      .select({ id: devices.id, hostname: devices.hostname })
      .from(devices)
      .where(sql`lower(${devices.hostname}) = lower(${data.hostname})`)
      .limit(1);
    if (!device) {
      const message = `There is no device named "${data.hostname}".`;
      throw invalid(message, [{ path: "hostname", message }]);
    }
    const [report] = await tx
      .insert(helpdeskReports)
      .values({
        knownIssueId: issue.id,
        deviceId: device.id,
        ticketRef: data.ticketRef,
        note: data.note,
        reportedBy: who.kind === "user" ? who.userId : null,
      })
      .returning({ id: helpdeskReports.id, createdAt: helpdeskReports.createdAt });
    await recordAudit(tx, who, {
      action: "helpdesk_report.create",
      targetType: "known_issue",
      targetId: issue.advisoryId,
      after: { ticketRef: data.ticketRef, hostname: device.hostname, note: data.note },
    });
    return { id: report.id, advisoryId: issue.advisoryId, ticketRef: data.ticketRef, hostname: device.hostname, note: data.note, createdAt: report.createdAt };
  });
}
