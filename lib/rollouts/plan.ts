import "server-only";
// Planning a rollout: validate the waves, preview what each wave gets (devices, holds, download
// volume per site and the time it takes over the site's link), then save: the rollout, its waves
// and every device's deployment in ONE transaction, with an audit entry.
import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { builds, departments, deployments, devices, rollouts, sites, updates, waves, type WaveTargeting } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/log";
import { HttpError, type FieldError } from "@/lib/http/problem";
import { computeHeldDevices } from "./held-devices";
import { loadInventory, sampleSeed, syncRolloutDeployments, type InventoryDevice, type SiteInfo } from "./materialise";
import { forgetCountedImpact } from "@/lib/known-issues/impact-cache";
import { assignDevices, isApplicable, matcher, type TargetingWave } from "./targeting";
import type { Tx } from "@/db/tx";

/** A wave that keeps a branch link busy longer than this "would saturate" it: a working day. */
export const SATURATION_SECONDS = 8 * 3600;

const idList = z.array(z.coerce.number().int().positive()).default([]);
const textList = (max: number) =>
  z
    .array(z.string().trim().max(max))
    .default([])
    .transform((values) => [...new Set(values.filter((v) => v.length > 0))]);

export const TargetingInput = z.object({
  siteIds: idList,
  departmentIds: idList,
  osNames: textList(100),
  tags: textList(100),
  hostnames: textList(253),
  samplePercent: z.coerce
    .number({ message: "Enter a whole percentage from 1 to 100." })
    .int("Enter a whole percentage from 1 to 100.")
    .min(1, "Enter a whole percentage from 1 to 100.")
    .max(100, "Enter a whole percentage from 1 to 100.")
    .optional(),
});

const pctField = (fallback: number) =>
  z.coerce.number({ message: "Enter a percentage from 0 to 100." }).int("Whole percentages only.").min(0, "At least 0.").max(100, "At most 100.").default(fallback);

export const WaveInput = z.object({
  id: z.coerce.number().int().positive().optional(),
  name: z.string().trim().min(1, "Name the wave.").max(200, "At most 200 characters."),
  buildId: z.coerce.number().int().positive().nullable().optional(),
  targeting: TargetingInput,
  plannedStartAt: z.coerce.date({ message: "Enter a valid date." }).nullable().optional(),
  gateMinSuccessPct: pctField(95),
  gateMaxFailurePct: pctField(5),
  gateMinAttempted: z.coerce.number({ message: "Enter a number of devices." }).int().min(1, "At least 1 device.").max(1_000_000).default(10),
  autoStart: z.boolean().default(false),
  soakDays: z.coerce.number({ message: "Enter a number of days." }).int().min(0, "At least 0 days.").max(365, "At most 365 days.").default(0),
});

export const PlanInput = z.object({
  rolloutId: z.coerce.number().int().positive().optional(),
  buildId: z.coerce.number({ message: "Choose the build to roll out." }).int().positive("Choose the build to roll out."),
  name: z.string().trim().min(1, "Name the rollout.").max(200, "At most 200 characters."),
  waves: z.array(WaveInput).min(1, "Add at least one wave.").max(50, "At most 50 waves."),
});
export type PlanInput = z.input<typeof PlanInput>;
type Plan = z.output<typeof PlanInput>;

export type SitePreview = {
  siteId: number;
  name: string;
  kind: SiteInfo["kind"];
  devices: number;
  networkDevices: number;
  downloadBytes: number;
  linkKbps: number | null;
  transferSeconds: number | null;
  saturates: boolean;
};

export type WavePreview = {
  index: number;
  name: string;
  started: boolean;
  devices: number;
  held: number;
  network: number;
  offline: number;
  sites: SitePreview[];
  warnings: string[];
};

export type PlanPreview = {
  update: { id: number; slug: string; title: string; sizeBytes: number; applicableOsNames: string[] };
  build: { id: number; name: string };
  total: number;
  notApplicable: number;
  notApplicableByOs: { osName: string; devices: number }[];
  excluded: number;
  waves: WavePreview[];
};

export type PlanResult = { ok: true; preview: PlanPreview } | { ok: false; errors: FieldError[]; preview?: PlanPreview };

type ExistingWave = typeof waves.$inferSelect;

/** Validates the plan against the database and computes what each wave would get. */
async function evaluatePlan(tx: Tx, raw: unknown): Promise<PlanResult & { plan?: Plan; existingWaves?: ExistingWave[] }> {
  const parsed = PlanInput.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message })) };
  }
  const plan = parsed.data;
  const errors: FieldError[] = [];

  const [build] = await tx
    .select({ id: builds.id, name: builds.name, updateId: builds.updateId })
    .from(builds)
    .where(eq(builds.id, plan.buildId));
  if (!build) return { ok: false, errors: [{ path: "buildId", message: "No such build." }] };
  const [update] = await tx
    .select({ id: updates.id, slug: updates.slug, title: updates.title, sizeBytes: updates.sizeBytes, applicableOsNames: updates.applicableOsNames })
    .from(updates)
    .where(eq(updates.id, build.updateId));

  let existingWaves: ExistingWave[] = [];
  if (plan.rolloutId) {
    const [rollout] = await tx.select().from(rollouts).where(eq(rollouts.id, plan.rolloutId));
    if (!rollout) return { ok: false, errors: [{ path: "rolloutId", message: "No such rollout." }] };
    if (rollout.updateId !== update.id) errors.push({ path: "buildId", message: "A rollout stays with its update; choose a build of the same update." });
    if (rollout.status === "cancelled" || rollout.status === "completed") errors.push({ path: "rolloutId", message: `This rollout is ${rollout.status}; it cannot be changed.` });
    existingWaves = await tx.select().from(waves).where(eq(waves.rolloutId, rollout.id)).orderBy(asc(waves.position));
  } else {
    const [open] = await tx
      .select({ id: rollouts.id, name: rollouts.name })
      .from(rollouts)
      .where(and(eq(rollouts.updateId, update.id), inArray(rollouts.status, ["draft", "active"])));
    if (open) errors.push({ path: "buildId", message: `${update.title} already has an open rollout ("${open.name}"); add waves to that one instead.` });
  }

  // Builds of waves belong to the same update.
  const buildIds = [...new Set(plan.waves.map((w) => w.buildId).filter((id): id is number => typeof id === "number"))];
  if (buildIds.length) {
    const rows = await tx.select({ id: builds.id, updateId: builds.updateId }).from(builds).where(inArray(builds.id, buildIds));
    plan.waves.forEach((wave, i) => {
      if (wave.buildId && !rows.some((b) => b.id === wave.buildId && b.updateId === update.id)) {
        errors.push({ path: `waves.${i}.buildId`, message: "Choose a build of this update." });
      }
    });
  }

  // Started waves keep their place and their devices.
  const byId = new Map(existingWaves.map((w) => [w.id, w]));
  plan.waves.forEach((wave, i) => {
    if (wave.id !== undefined && !byId.has(wave.id)) errors.push({ path: `waves.${i}.id`, message: "This wave is not part of the rollout." });
    const stored = wave.id !== undefined ? byId.get(wave.id) : undefined;
    if (stored && stored.status !== "planned" && stored.position !== i) {
      errors.push({ path: `waves.${i}.name`, message: `"${stored.name}" has started; it keeps its place in the order.` });
    }
  });
  for (const stored of existingWaves) {
    if (stored.status !== "planned" && !plan.waves.some((w) => w.id === stored.id)) {
      errors.push({ path: "waves", message: `"${stored.name}" has started and cannot be removed.` });
    }
  }

  // Referenced sites, departments and hostnames exist; no hostname is listed in two waves.
  const siteIds = [...new Set(plan.waves.flatMap((w) => w.targeting.siteIds))];
  const departmentIds = [...new Set(plan.waves.flatMap((w) => w.targeting.departmentIds))];
  const hostnames = [...new Set(plan.waves.flatMap((w) => w.targeting.hostnames.map((h) => h.toLowerCase())))];
  const [siteRows, departmentRows, hostRows] = await Promise.all([
    siteIds.length ? tx.select({ id: sites.id }).from(sites).where(inArray(sites.id, siteIds)) : [],
    departmentIds.length ? tx.select({ id: departments.id }).from(departments).where(inArray(departments.id, departmentIds)) : [],
    hostnames.length
      ? tx.select({ hostname: sql<string>`lower(${devices.hostname})` }).from(devices).where(inArray(sql`lower(${devices.hostname})`, hostnames))
      : [],
  ]);
  const knownSites = new Set(siteRows.map((s) => s.id));
  const knownDepartments = new Set(departmentRows.map((d) => d.id));
  const knownHosts = new Set(hostRows.map((h) => h.hostname));
  const firstWaveOfHost = new Map<string, number>();
  plan.waves.forEach((wave, i) => {
    const stored = wave.id !== undefined ? byId.get(wave.id) : undefined;
    const targeting = stored && stored.status !== "planned" ? (stored.targeting as WaveTargeting) : wave.targeting;
    const badSites = (targeting.siteIds ?? []).filter((id) => !knownSites.has(id));
    if (badSites.length) errors.push({ path: `waves.${i}.targeting.siteIds`, message: `Unknown site ids: ${badSites.join(", ")}.` });
    const badDepartments = (targeting.departmentIds ?? []).filter((id) => !knownDepartments.has(id));
    if (badDepartments.length) errors.push({ path: `waves.${i}.targeting.departmentIds`, message: `Unknown department ids: ${badDepartments.join(", ")}.` });
    const unknownHosts = (targeting.hostnames ?? []).filter((h) => !knownHosts.has(h.toLowerCase()));
    if (unknownHosts.length) errors.push({ path: `waves.${i}.targeting.hostnames`, message: `Unknown hostnames: ${unknownHosts.slice(0, 10).join(", ")}${unknownHosts.length > 10 ? ", …" : ""}.` });
    const repeated: string[] = [];
    for (const host of targeting.hostnames ?? []) {
      const first = firstWaveOfHost.get(host.toLowerCase());
      if (first !== undefined && first !== i) repeated.push(`${host} (already in "${plan.waves[first].name}")`);
      else firstWaveOfHost.set(host.toLowerCase(), i);
    }
    if (repeated.length) errors.push({ path: `waves.${i}.targeting.hostnames`, message: `Overlapping targeting: ${repeated.slice(0, 10).join(", ")}. A device belongs to one wave only.` });
  });

  // What every wave would get.
  const [{ devices: inventory, sites: siteInfo }, held, existingMembers] = await Promise.all([
    loadInventory(tx),
    computeHeldDevices(tx, update.id),
    plan.rolloutId
      ? tx
          .select({ deviceId: deployments.deviceId, waveId: deployments.waveId })
          .from(deployments)
          .where(and(eq(deployments.rolloutId, plan.rolloutId), isNotNull(deployments.waveId)))
      : Promise.resolve([] as { deviceId: number; waveId: number | null }[]),
  ]);
  const targetingWaves: TargetingWave[] = plan.waves.map((wave, i) => {
    const stored = wave.id !== undefined ? byId.get(wave.id) : undefined;
    const started = stored && stored.status !== "planned";
    return {
      targeting: started ? (stored.targeting as WaveTargeting) : wave.targeting,
      sampleSeed: sampleSeed(update.id, i),
      frozenDeviceIds: started ? existingMembers.filter((m) => m.waveId === stored.id).map((m) => m.deviceId) : null,
    };
  });
  const assignment = assignDevices(inventory, targetingWaves, update.applicableOsNames);
  const deviceById = new Map(inventory.map((d) => [d.id, d]));

  const wavePreviews: WavePreview[] = plan.waves.map((wave, i) => {
    const members = assignment.perWave[i].map((id) => deviceById.get(id)!);
    const stored = wave.id !== undefined ? byId.get(wave.id) : undefined;
    const started = Boolean(stored && stored.status !== "planned");
    const preview = previewWave(i, wave.name, started, members, held, siteInfo, update.sizeBytes);
    if (!started && members.length === 0) {
      const matches = inventory.filter((d) => isApplicable(d.osName, update.applicableOsNames) && matcher(targetingWaves[i].targeting)(d)).length;
      errors.push({
        path: `waves.${i}.targeting`,
        message:
          matches === 0
            ? "This wave gets no devices: no applicable device matches its targeting."
            : `This wave gets no devices: the ${matches} devices it matches are all taken by earlier waves (overlapping targeting).`,
      });
    }
    return preview;
  });

  const naByOs = new Map<string, number>();
  for (const id of assignment.notApplicable) {
    const os = deviceById.get(id)!.osName;
    naByOs.set(os, (naByOs.get(os) ?? 0) + 1);
  }
  const preview: PlanPreview = {
    update: { id: update.id, slug: update.slug, title: update.title, sizeBytes: update.sizeBytes, applicableOsNames: update.applicableOsNames },
    build: { id: build.id, name: build.name },
    total: inventory.length,
    notApplicable: assignment.notApplicable.size,
    notApplicableByOs: [...naByOs].map(([osName, count]) => ({ osName, devices: count })).sort((a, b) => b.devices - a.devices),
    excluded: assignment.excluded.size,
    waves: wavePreviews,
  };
  if (errors.length) return { ok: false, errors, preview };
  return { ok: true, preview, plan, existingWaves };
}

function previewWave(
  index: number,
  name: string,
  started: boolean,
  members: InventoryDevice[],
  held: Map<number, number>,
  siteInfo: Map<number, SiteInfo>,
  sizeBytes: number,
): WavePreview {
  const perSite = new Map<number, { devices: number; network: number }>();
  let heldCount = 0;
  let network = 0;
  for (const device of members) {
    if (held.has(device.id)) heldCount++;
    const entry = perSite.get(device.siteId) ?? { devices: 0, network: 0 };
    entry.devices++;
    if (device.channel === "network") {
      entry.network++;
      network++;
    }
    perSite.set(device.siteId, entry);
  }
  const warnings: string[] = [];
  const sitePreviews = [...perSite].map(([siteId, counts]) => {
    const site = siteInfo.get(siteId)!;
    const downloadBytes = counts.network * sizeBytes;
    const transferSeconds = site.linkKbps ? (downloadBytes * 8) / (site.linkKbps * 1000) : null;
    const saturates = site.kind === "branch" && transferSeconds !== null && transferSeconds > SATURATION_SECONDS;
    if (saturates) {
      warnings.push(
        `${site.name}: ${formatBytes(downloadBytes)} over a ${site.linkKbps} kbit/s link takes ${formatDuration(transferSeconds!)}, more than a working day. Split the wave or use the local distribution point.`,
      );
    }
    return { siteId, name: site.name, kind: site.kind, devices: counts.devices, networkDevices: counts.network, downloadBytes, linkKbps: site.linkKbps, transferSeconds, saturates };
  });
  sitePreviews.sort((a, b) => b.downloadBytes - a.downloadBytes || a.name.localeCompare(b.name));
  return { index, name, started, devices: members.length, held: heldCount, network, offline: members.length - network, sites: sitePreviews, warnings };
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

/** The preview an editor sees before saving; never writes. It tells which devices and hostnames exist, so it needs device.read too. */
export async function previewRolloutPlan(actor: Actor | null, input: unknown): Promise<PlanResult> {
  assertCan(actor, "rollout.write");
  assertCan(actor, "device.read");
  const db = await getDb();
  const { ok, errors, preview } = (await evaluatePlan(db, input)) as PlanResult & { errors?: FieldError[] };
  return ok ? { ok: true, preview: preview! } : { ok: false, errors: errors!, preview };
}

/**
 * Creates or updates a rollout with its waves and materialises every device's deployment, in one
 * transaction. Invalid plans throw HttpError 422 with `errors[]` (paths like `waves.1.targeting`).
 */
export async function saveRolloutPlan(actor: Actor | null, input: unknown): Promise<{ rolloutId: number; preview: PlanPreview }> {
  assertCan(actor, "rollout.write");
  const db = await getDb();
  const done = await db.transaction(async (tx) => {
    const raw = input as { rolloutId?: unknown };
    if (raw && typeof raw === "object" && raw.rolloutId) {
      // Serialise edits of one rollout (and its waves' lifecycle actions).
      await tx.select({ id: rollouts.id }).from(rollouts).where(eq(rollouts.id, Number(raw.rolloutId))).for("update");
    }
    const result = await evaluatePlan(tx, input);
    if (!result.ok) throw new HttpError(422, "The rollout plan has problems; nothing was saved.", { errors: result.errors });
    const plan = result.plan!;
    const existingWaves = result.existingWaves!;
    const before = plan.rolloutId ? { waves: existingWaves.map(waveAudit) } : null;

    let rolloutId = plan.rolloutId;
    if (rolloutId) {
      await tx.update(rollouts).set({ name: plan.name, buildId: plan.buildId, updatedAt: new Date() }).where(eq(rollouts.id, rolloutId));
    } else {
      const [created] = await tx
        .insert(rollouts)
        .values({ updateId: result.preview.update.id, buildId: plan.buildId, name: plan.name, status: "draft", createdBy: actor!.kind === "user" ? actor!.userId : null })
        .returning({ id: rollouts.id });
      rolloutId = created.id;
    }

    const keep = new Set(plan.waves.map((w) => w.id).filter((id): id is number => id !== undefined));
    const removed = existingWaves.filter((w) => !keep.has(w.id));
    if (removed.length) await tx.delete(waves).where(inArray(waves.id, removed.map((w) => w.id)));
    // Move kept waves out of the way of the unique (rollout, position) index before renumbering.
    if (keep.size) await tx.update(waves).set({ position: sql`${waves.position} + 100000` }).where(and(eq(waves.rolloutId, rolloutId), inArray(waves.id, [...keep])));

    const storedById = new Map(existingWaves.map((w) => [w.id, w]));
    for (const [position, wave] of plan.waves.entries()) {
      const stored = wave.id !== undefined ? storedById.get(wave.id) : undefined;
      const started = stored !== undefined && stored.status !== "planned";
      const values = {
        position,
        name: wave.name,
        buildId: wave.buildId ?? null,
        targeting: started ? (stored.targeting as WaveTargeting) : compactTargeting(wave.targeting),
        plannedStartAt: wave.plannedStartAt ?? null,
        gateMinSuccessPct: wave.gateMinSuccessPct,
        gateMaxFailurePct: wave.gateMaxFailurePct,
        gateMinAttempted: wave.gateMinAttempted,
        autoStart: wave.autoStart,
        soakDays: wave.soakDays,
        updatedAt: new Date(),
      };
      if (stored) await tx.update(waves).set(values).where(eq(waves.id, stored.id));
      else await tx.insert(waves).values({ rolloutId, ...values });
    }

    const sync = await syncRolloutDeployments(tx, rolloutId);
    const after = await tx.select().from(waves).where(eq(waves.rolloutId, rolloutId)).orderBy(asc(waves.position));
    await recordAudit(tx, actor!, {
      action: plan.rolloutId ? "rollout.update" : "rollout.create",
      targetType: "rollout",
      targetId: rolloutId,
      before,
      after: {
        name: plan.name,
        buildId: plan.buildId,
        waves: after.map(waveAudit),
        devices: { perWave: sync.perWave, notApplicable: sync.notApplicable, excluded: sync.excluded },
      },
    });
    return { rolloutId, preview: result.preview };
  });
  // After the commit: the rollout pages count the impact of known issues afresh.
  forgetCountedImpact();
  return done;
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

const waveAudit = (w: ExistingWave) => ({
  id: w.id,
  position: w.position,
  name: w.name,
  status: w.status,
  targeting: w.targeting,
  gate: { minSuccessPct: w.gateMinSuccessPct, maxFailurePct: w.gateMaxFailurePct, minAttempted: w.gateMinAttempted },
  autoStart: w.autoStart,
  soakDays: w.soakDays,
});

