import "server-only";
// Planning a rollout: read what the plan is checked against (PlanContext), let the pure rules say
// what is wrong and what each wave would get (plan-preview.ts), then save: the rollout, its waves
// and every device's deployment in ONE transaction, with an audit entry (a kernel mutation).
import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { builds, departments, deployments, devices, knownIssues, rollouts, sites, updates, waveBlockingIssues, waves, type Wave, type WaveTargeting } from "@/db/schema";
import type { Tx } from "@/db/tx";
import type { Actor } from "@/lib/auth/actor";
import { applyWaveBlockingIssues } from "./blocking-issues";
import { assertCan } from "@/lib/auth/permissions";
import { mutation } from "@/lib/dal/mutation";
import { forgetCountedImpact } from "@/lib/known-issues/impact-cache";
import { HttpError, zodErrors, type FieldError } from "@/lib/http/problem";
import { computeHeldDevices } from "./held-devices";
import { loadInventory, syncRolloutDeployments } from "./materialise";
import { calendarErrors, PlanInput, resolvedDates, type Plan } from "./plan-calendar";
import { evaluatePlan, type PlanContext, type PlanPreview, type TargetingInput } from "./plan-preview";

export { SATURATION_SECONDS, TargetingInput, type PlanPreview, type SitePreview, type WavePreview } from "./plan-preview";
export { PlanInput, WaveInput } from "./plan-calendar";

export type PlanResult = { ok: true; preview: PlanPreview } | { ok: false; errors: FieldError[]; preview?: PlanPreview };

/** Reads what the plan is checked against; a missing build or rollout is the one refusal found here. */
async function loadPlanContext(tx: Tx, plan: Plan): Promise<PlanContext | { errors: FieldError[] }> {
  const [build] = await tx.select({ id: builds.id, name: builds.name, updateId: builds.updateId }).from(builds).where(eq(builds.id, plan.buildId));
  if (!build) return { errors: [{ path: "buildId", message: "No such build." }] };
  const [update] = await tx
    .select({ id: updates.id, slug: updates.slug, title: updates.title, sizeBytes: updates.sizeBytes, applicableOsNames: updates.applicableOsNames })
    .from(updates)
    .where(eq(updates.id, build.updateId));
  const [rollout] = plan.rolloutId ? await tx.select().from(rollouts).where(eq(rollouts.id, plan.rolloutId)) : [null];
  if (rollout === undefined) return { errors: [{ path: "rolloutId", message: "No such rollout." }] };

  const waveBuildIds = [...new Set(plan.waves.map((w) => w.buildId).filter((id): id is number => typeof id === "number"))];
  const siteIds = [...new Set(plan.waves.flatMap((w) => w.targeting.siteIds))];
  const departmentIds = [...new Set(plan.waves.flatMap((w) => w.targeting.departmentIds))];
  const hostnames = [...new Set(plan.waves.flatMap((w) => w.targeting.hostnames.map((h) => h.toLowerCase())))];
  const [existingWaves, openRollout, waveBuilds, siteRows, departmentRows, hostRows, inventory, held, members] = await Promise.all([
    rollout ? tx.select().from(waves).where(eq(waves.rolloutId, rollout.id)).orderBy(asc(waves.position)) : Promise.resolve([] as Wave[]),
    rollout
      ? Promise.resolve([])
      : tx
          .select({ name: rollouts.name })
          .from(rollouts)
          .where(and(eq(rollouts.updateId, update.id), inArray(rollouts.status, ["draft", "active"]))),
    waveBuildIds.length ? tx.select({ id: builds.id, updateId: builds.updateId }).from(builds).where(inArray(builds.id, waveBuildIds)) : [],
    siteIds.length ? tx.select({ id: sites.id }).from(sites).where(inArray(sites.id, siteIds)) : [],
    departmentIds.length ? tx.select({ id: departments.id }).from(departments).where(inArray(departments.id, departmentIds)) : [],
    hostnames.length
      ? tx.select({ hostname: sql<string>`lower(${devices.hostname})` }).from(devices).where(inArray(sql`lower(${devices.hostname})`, hostnames))
      : [],
    loadInventory(tx),
    computeHeldDevices(tx, update.id),
    rollout
      ? tx
          .select({ deviceId: deployments.deviceId, waveId: deployments.waveId })
          .from(deployments)
          .where(and(eq(deployments.rolloutId, rollout.id), isNotNull(deployments.waveId)))
      : Promise.resolve([]),
  ]);
  return {
    build: { id: build.id, name: build.name },
    update,
    rollout,
    openRollout: openRollout[0] ?? null,
    existingWaves,
    waveBuilds,
    knownSiteIds: new Set(siteRows.map((s) => s.id)),
    knownDepartmentIds: new Set(departmentRows.map((d) => d.id)),
    knownHostnames: new Set(hostRows.map((h) => h.hostname)),
    inventory: inventory.devices,
    sites: inventory.sites,
    held,
    members,
  };
}

/** The preview an editor sees before saving; never writes. It tells which devices and hostnames exist, so it needs device.read too. */
export async function previewRolloutPlan(actor: Actor | null, input: unknown): Promise<PlanResult> {
  assertCan(actor, "rollout.write");
  assertCan(actor, "device.read");
  const parsed = PlanInput.safeParse(input);
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error) };
  const context = await loadPlanContext(await getDb(), parsed.data);
  if ("errors" in context) return { ok: false, errors: context.errors };
  const { errors, preview } = evaluatePlan(parsed.data, context);
  errors.push(...(await settingErrors(await getDb(), parsed.data, context)));
  return errors.length ? { ok: false, errors, preview } : { ok: true, preview };
}

const PLAN_REFUSED = "The rollout plan has problems; nothing was saved.";

/** Writes the rollout and its waves (started waves keep their targeting), then materialises the deployments. */
async function persistPlan(tx: Tx, actor: Actor, plan: Plan, context: PlanContext) {
  let rolloutId = plan.rolloutId;
  if (rolloutId) {
    await tx.update(rollouts).set({ name: plan.name, buildId: plan.buildId, silentAfterDays: plan.silentAfterDays }).where(eq(rollouts.id, rolloutId));
  } else {
    const [created] = await tx
      .insert(rollouts)
      .values({ updateId: context.update.id, buildId: plan.buildId, name: plan.name, status: "draft", silentAfterDays: plan.silentAfterDays, createdBy: actor.kind === "user" ? actor.userId : null })
      .returning({ id: rollouts.id });
    rolloutId = created.id;
  }

  const keep = new Set(plan.waves.map((w) => w.id).filter((id): id is number => id !== undefined));
  const removed = context.existingWaves.filter((w) => !keep.has(w.id));
  if (removed.length) await tx.delete(waves).where(inArray(waves.id, removed.map((w) => w.id)));
  // Move kept waves out of the way of the unique (rollout, position) index before renumbering.
  if (keep.size) await tx.update(waves).set({ position: sql`${waves.position} + 100000` }).where(and(eq(waves.rolloutId, rolloutId), inArray(waves.id, [...keep])));

  const storedById = new Map(context.existingWaves.map((w) => [w.id, w]));
  const release = await plannedReleaseDate(tx, context.update.id);
  const blocking: { waveId: number; ids: string[]; position: number; completed: boolean }[] = [];
  for (const [position, wave] of plan.waves.entries()) {
    const stored = wave.id !== undefined ? storedById.get(wave.id) : undefined;
    const started = stored !== undefined && stored.status !== "planned";
    const dates = resolvedDates(wave, release);
    const values = {
      position,
      name: wave.name,
      buildId: wave.buildId ?? null,
      targeting: started ? (stored.targeting as WaveTargeting) : compactTargeting(wave.targeting),
      ...dates,
      // A moved deadline is a new question: its risk is announced afresh.
      ...(stored && stored.deadlineAt?.getTime() !== dates.deadlineAt?.getTime() ? { deadlineRiskNotifiedAt: null } : {}),
      startOffsetDays: wave.startOffsetDays ?? null,
      deadlineOffsetDays: wave.deadlineOffsetDays ?? null,
      complianceTargetPct: wave.complianceTargetPct,
      maxDevicesPerDay: wave.maxDevicesPerDay ?? null,
      gateMinSuccessPct: wave.gateMinSuccessPct,
      gateMaxFailurePct: wave.gateMaxFailurePct,
      gateMinAttempted: wave.gateMinAttempted,
      gateAction: wave.gateAction,
      gateMaxRollbackPct: wave.gateMaxRollbackPct ?? null,
      regressionMinReports: wave.regressionMinReports ?? null,
      regressionMaxRatio: wave.regressionMaxRatio,
      readinessMaxUntestedPct: wave.readinessMaxUntestedPct ?? null,
      autoStart: wave.autoStart,
      soakDays: wave.soakDays,
    };
    let waveId = stored?.id;
    if (stored) await tx.update(waves).set(values).where(eq(waves.id, stored.id));
    else [{ id: waveId }] = await tx.insert(waves).values({ rolloutId, ...values }).returning({ id: waves.id });
    blocking.push({ waveId: waveId!, ids: wave.blockingIssues, position, completed: stored?.status === "completed" });
  }
  // The plan names every wave's blocking issues: what it does not name no longer blocks that wave.
  // The same rules as the API's PUT …/blocking-issues: an issue's blocking flag follows its links
  // (an issue blocking no wave any more stops blocking; one without links blocks every wave), and a
  // confirmed issue newly set on a running wave halts it. A completed wave's list no longer changes.
  for (const b of blocking) {
    if (!b.completed) await applyWaveBlockingIssues(tx, actor, { rolloutId, waveId: b.waveId, ids: b.ids }, `waves.${b.position}.blockingIssues`);
  }

  const sync = await syncRolloutDeployments(tx, rolloutId);
  const after = await tx.select().from(waves).where(eq(waves.rolloutId, rolloutId)).orderBy(asc(waves.position));
  return { rolloutId, after, devices: { perWave: sync.perWave, notApplicable: sync.notApplicable, excluded: sync.excluded } };
}

/**
 * Creates or updates a rollout with its waves and materialises every device's deployment, in one
 * transaction. Invalid plans throw HttpError 422 with `errors[]` (paths like `waves.1.targeting`).
 */
export const saveRolloutPlan = mutation({
  action: "rollout.write",
  input: PlanInput,
  invalid: PLAN_REFUSED,
  run: async (tx, actor, plan) => {
    // Serialise edits of one rollout (and its waves' lifecycle actions).
    if (plan.rolloutId) await tx.select({ id: rollouts.id }).from(rollouts).where(eq(rollouts.id, plan.rolloutId)).for("update");
    const context = await loadPlanContext(tx, plan);
    if ("errors" in context) throw new HttpError(422, PLAN_REFUSED, { errors: context.errors });
    const { errors, preview } = evaluatePlan(plan, context);
    errors.push(...(await settingErrors(tx, plan, context)));
    if (errors.length) throw new HttpError(422, PLAN_REFUSED, { errors });
    const saved = await persistPlan(tx, actor, plan, context);
    return { rolloutId: saved.rolloutId, preview, before: plan.rolloutId ? context.existingWaves : null, after: saved.after, devices: saved.devices };
  },
  audit: (plan, saved) => ({
    action: plan.rolloutId ? "rollout.update" : "rollout.create",
    targetType: "rollout",
    targetId: saved.rolloutId,
    before: saved.before ? { waves: saved.before.map(waveAudit) } : null,
    after: { name: plan.name, buildId: plan.buildId, silentAfterDays: plan.silentAfterDays, waves: saved.after.map(waveAudit), devices: saved.devices },
  }),
  // The rollout pages count the impact of known issues afresh.
  afterCommit: () => forgetCountedImpact(),
});

async function plannedReleaseDate(tx: Tx, updateId: number): Promise<string | null> {
  const [row] = await tx.select({ plannedReleaseDate: updates.plannedReleaseDate }).from(updates).where(eq(updates.id, updateId));
  return row?.plannedReleaseDate ?? null;
}

/** The update's known issues by advisory id (the planner's blocking issues are chosen among them). */
async function blockingIssueIds(tx: Tx, updateId: number): Promise<Map<string, number>> {
  const rows = await tx.select({ id: knownIssues.id, advisoryId: knownIssues.advisoryId }).from(knownIssues).where(eq(knownIssues.updateId, updateId));
  return new Map(rows.map((r) => [r.advisoryId.toUpperCase(), r.id]));
}

/** Dates (offsets need a release date, the deadline comes after the start) and blocking issues of this update. */
async function settingErrors(tx: Tx, plan: Plan, context: PlanContext): Promise<FieldError[]> {
  const release = await plannedReleaseDate(tx, context.update.id);
  const issueIds = await blockingIssueIds(tx, context.update.id);
  const errors = calendarErrors(plan, release);
  plan.waves.forEach((wave, i) => {
    const unknown = wave.blockingIssues.filter((id) => !issueIds.has(id));
    if (unknown.length) errors.push({ path: `waves.${i}.blockingIssues`, message: `Not a known issue of ${context.update.title}: ${unknown.join(", ")}.` });
  });
  return errors;
}

function compactTargeting(t: z.output<typeof TargetingInput>): WaveTargeting {
  const out: WaveTargeting = {};
  if (t.siteIds.length) out.siteIds = t.siteIds;
  if (t.departmentIds.length) out.departmentIds = t.departmentIds;
  if (t.osNames.length) out.osNames = t.osNames;
  if (t.tags.length) out.tags = t.tags;
  if (t.hostnames.length) out.hostnames = t.hostnames;
  if (t.samplePercent !== undefined && t.samplePercent < 100) out.samplePercent = t.samplePercent;
  return out;
}

const waveAudit = (w: Wave) => ({
  id: w.id,
  position: w.position,
  name: w.name,
  status: w.status,
  targeting: w.targeting,
  gate: { minSuccessPct: w.gateMinSuccessPct, maxFailurePct: w.gateMaxFailurePct, minAttempted: w.gateMinAttempted, action: w.gateAction, maxRollbackPct: w.gateMaxRollbackPct },
  regression: w.regressionMinReports === null ? null : { minReports: w.regressionMinReports, maxRatio: w.regressionMaxRatio },
  dates: { plannedStartAt: w.plannedStartAt, startOffsetDays: w.startOffsetDays, deadlineAt: w.deadlineAt, deadlineOffsetDays: w.deadlineOffsetDays },
  complianceTargetPct: w.complianceTargetPct,
  maxDevicesPerDay: w.maxDevicesPerDay,
  readinessMaxUntestedPct: w.readinessMaxUntestedPct,
  autoStart: w.autoStart,
  soakDays: w.soakDays,
});


/** What the planner's calendar and controls choose from: the update's planned release date and its known issues. */
export async function planCalendarChoices(actor: Actor | null, updateSlug: string) {
  assertCan(actor, "rollout.write");
  const db = await getDb();
  const [update] = await db.select({ id: updates.id, plannedReleaseDate: updates.plannedReleaseDate }).from(updates).where(eq(updates.slug, updateSlug));
  if (!update) throw new HttpError(404, `No update with slug ${updateSlug}.`);
  const issues = await db
    .select({ advisoryId: knownIssues.advisoryId, title: knownIssues.title })
    .from(knownIssues)
    .where(eq(knownIssues.updateId, update.id))
    .orderBy(asc(knownIssues.advisoryId));
  return { releaseDate: update.plannedReleaseDate, knownIssues: issues };
}

export type SavedWaveSettings = Wave & { blockingIssues: string[] };

/** A saved plan's settings as the planner edits them: per wave its stored calendar and controls, and the issues linked to it. */
export async function planSettings(actor: Actor | null, rolloutId: number) {
  assertCan(actor, "rollout.write");
  const db = await getDb();
  const [rollout] = await db.select({ silentAfterDays: rollouts.silentAfterDays }).from(rollouts).where(eq(rollouts.id, rolloutId));
  if (!rollout) throw new HttpError(404, "No such rollout.");
  const waveRows = await db.select().from(waves).where(eq(waves.rolloutId, rolloutId)).orderBy(asc(waves.position));
  const links = waveRows.length
    ? await db
        .select({ waveId: waveBlockingIssues.waveId, advisoryId: knownIssues.advisoryId })
        .from(waveBlockingIssues)
        .innerJoin(knownIssues, eq(knownIssues.id, waveBlockingIssues.knownIssueId))
        .where(inArray(waveBlockingIssues.waveId, waveRows.map((w) => w.id)))
    : [];
  return {
    silentAfterDays: rollout.silentAfterDays,
    waves: new Map<number, SavedWaveSettings>(waveRows.map((w) => [w.id, { ...w, blockingIssues: links.filter((l) => l.waveId === w.id).map((l) => l.advisoryId) }])),
  };
}
