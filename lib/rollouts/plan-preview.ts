// The rollout plan's rules and preview, without the database: given a validated plan and what the
// database holds (PlanContext, read by plan.ts), say what is wrong with it per field and what each
// wave would get (devices, holds, download volume per site and the time it takes over the site's
// link). The preview and the save share it; nothing here writes.
import { z } from "zod";
import type { Wave, WaveTargeting } from "@/db/schema";
import { formatBytes, formatDuration } from "@/lib/format";
import type { FieldError } from "@/lib/http/problem";
import { sampleSeed, type InventoryDevice, type SiteInfo } from "./materialise";
import { assignDevices, isApplicable, matcher, type TargetingWave } from "./targeting";

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
  /** Ramp: at most this many new machines offered per day (empty: no ramp). */
  maxDevicesPerDay: z.preprocess(
    (v) => (v === "" ? null : v),
    z.coerce.number({ message: "Enter a number of machines per day." }).int("Whole machines only.").min(1, "A ramp offers at least 1 machine a day; leave it empty for no ramp.").max(1_000_000, "At most 1,000,000 a day.").nullable().optional(),
  ),
});

export const PlanInput = z.object({
  rolloutId: z.coerce.number().int().positive().optional(),
  buildId: z.coerce.number({ message: "Choose the build to roll out." }).int().positive("Choose the build to roll out."),
  name: z.string().trim().min(1, "Name the rollout.").max(200, "At most 200 characters."),
  waves: z.array(WaveInput).min(1, "Add at least one wave.").max(50, "At most 50 waves."),
});
export type PlanInput = z.input<typeof PlanInput>;
export type Plan = z.output<typeof PlanInput>;

export type SitePreview = {
  siteId: number;
  name: string;
  kind: SiteInfo["kind"];
  devices: number;
  networkDevices: number;
  /** What the site's machines download in all (network machines × update size). */
  downloadBytes: number;
  /** The site's local distribution point, if any: it fetches the update once and serves the machines over the LAN. */
  distributionPoint: string | null;
  /** What crosses the site's WAN link: the update once with a distribution point, otherwise every machine's download. */
  wanBytes: number;
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
  /** The ramp (machines per day), and how many days it takes to offer the update to every machine not held. */
  maxDevicesPerDay: number | null;
  rampDays: number | null;
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

/** What the plan is checked and previewed against, as the database holds it now. */
export type PlanContext = {
  build: { id: number; name: string };
  update: PlanPreview["update"];
  /** The rollout being edited (null for a new one). */
  rollout: { updateId: number; status: string } | null;
  /** A new plan: the update's rollout that is still open, if any. */
  openRollout: { name: string } | null;
  existingWaves: Wave[];
  /** The builds the waves name, with their update. */
  waveBuilds: { id: number; updateId: number }[];
  knownSiteIds: ReadonlySet<number>;
  knownDepartmentIds: ReadonlySet<number>;
  /** Lower-cased hostnames of the plan that exist. */
  knownHostnames: ReadonlySet<string>;
  inventory: InventoryDevice[];
  sites: ReadonlyMap<number, SiteInfo>;
  /** device id → the known issue holding it. */
  held: ReadonlyMap<number, number>;
  /** Devices of the rollout's waves now (started waves keep theirs). */
  members: { deviceId: number; waveId: number | null }[];
};

export type PlanEvaluation = { errors: FieldError[]; preview: PlanPreview };

/** A wave of the plan with the stored wave it edits, when it has started (its targeting and devices are fixed). */
function startedWave(plan: Plan, context: PlanContext, index: number): Wave | undefined {
  const id = plan.waves[index].id;
  const stored = id === undefined ? undefined : context.existingWaves.find((w) => w.id === id);
  return stored && stored.status !== "planned" ? stored : undefined;
}

function effectiveTargeting(plan: Plan, context: PlanContext, index: number): WaveTargeting {
  return (startedWave(plan, context, index)?.targeting as WaveTargeting | undefined) ?? plan.waves[index].targeting;
}

/** The rollout, its builds and its started waves: what an edit may not change. */
function ruleErrors(plan: Plan, context: PlanContext): FieldError[] {
  const errors: FieldError[] = [];
  const { rollout, update } = context;
  if (rollout) {
    if (rollout.updateId !== update.id) errors.push({ path: "buildId", message: "A rollout stays with its update; choose a build of the same update." });
    if (rollout.status === "cancelled" || rollout.status === "completed") errors.push({ path: "rolloutId", message: `This rollout is ${rollout.status}; it cannot be changed.` });
  } else if (context.openRollout) {
    errors.push({ path: "buildId", message: `${update.title} already has an open rollout ("${context.openRollout.name}"); add waves to that one instead.` });
  }
  plan.waves.forEach((wave, i) => {
    if (wave.buildId && !context.waveBuilds.some((b) => b.id === wave.buildId && b.updateId === update.id)) {
      errors.push({ path: `waves.${i}.buildId`, message: "Choose a build of this update." });
    }
  });
  const byId = new Map(context.existingWaves.map((w) => [w.id, w]));
  plan.waves.forEach((wave, i) => {
    if (wave.id !== undefined && !byId.has(wave.id)) errors.push({ path: `waves.${i}.id`, message: "This wave is not part of the rollout." });
    const stored = startedWave(plan, context, i);
    if (stored && stored.position !== i) errors.push({ path: `waves.${i}.name`, message: `"${stored.name}" has started; it keeps its place in the order.` });
  });
  for (const stored of context.existingWaves) {
    if (stored.status !== "planned" && !plan.waves.some((w) => w.id === stored.id)) {
      errors.push({ path: "waves", message: `"${stored.name}" has started and cannot be removed.` });
    }
  }
  return errors;
}

const firstTen = (list: string[]) => `${list.slice(0, 10).join(", ")}${list.length > 10 ? ", …" : ""}`;

/** Referenced sites, departments and hostnames exist; no hostname is listed in two waves. */
function targetingErrors(plan: Plan, context: PlanContext): FieldError[] {
  const errors: FieldError[] = [];
  const firstWaveOfHost = new Map<string, number>();
  plan.waves.forEach((_wave, i) => {
    const targeting = effectiveTargeting(plan, context, i);
    const path = `waves.${i}.targeting`;
    const badSites = (targeting.siteIds ?? []).filter((id) => !context.knownSiteIds.has(id));
    if (badSites.length) errors.push({ path: `${path}.siteIds`, message: `Unknown site ids: ${badSites.join(", ")}.` });
    const badDepartments = (targeting.departmentIds ?? []).filter((id) => !context.knownDepartmentIds.has(id));
    if (badDepartments.length) errors.push({ path: `${path}.departmentIds`, message: `Unknown department ids: ${badDepartments.join(", ")}.` });
    const unknownHosts = (targeting.hostnames ?? []).filter((h) => !context.knownHostnames.has(h.toLowerCase()));
    if (unknownHosts.length) errors.push({ path: `${path}.hostnames`, message: `Unknown hostnames: ${firstTen(unknownHosts)}.` });
    const repeated: string[] = [];
    for (const host of targeting.hostnames ?? []) {
      const first = firstWaveOfHost.get(host.toLowerCase());
      if (first !== undefined && first !== i) repeated.push(`${host} (already in "${plan.waves[first].name}")`);
      else firstWaveOfHost.set(host.toLowerCase(), i);
    }
    if (repeated.length) errors.push({ path: `${path}.hostnames`, message: `Overlapping targeting: ${firstTen(repeated)}. A device belongs to one wave only.` });
  });
  return errors;
}

/** Checks the plan against what the database holds and computes what every wave would get. Pure. */
export function evaluatePlan(plan: Plan, context: PlanContext): PlanEvaluation {
  const { update, inventory } = context;
  const targetingWaves: TargetingWave[] = plan.waves.map((_wave, i) => {
    const started = startedWave(plan, context, i);
    return {
      targeting: effectiveTargeting(plan, context, i),
      sampleSeed: sampleSeed(update.id, i),
      frozenDeviceIds: started ? context.members.filter((m) => m.waveId === started.id).map((m) => m.deviceId) : null,
    };
  });
  const assignment = assignDevices(inventory, targetingWaves, update.applicableOsNames);
  const deviceById = new Map(inventory.map((d) => [d.id, d]));

  const emptyWaves: FieldError[] = [];
  const waves = plan.waves.map((wave, i) => {
    const members = assignment.perWave[i].map((id) => deviceById.get(id)!);
    const started = startedWave(plan, context, i) !== undefined;
    if (!started && members.length === 0) {
      const matches = inventory.filter((d) => isApplicable(d.osName, update.applicableOsNames) && matcher(targetingWaves[i].targeting)(d)).length;
      emptyWaves.push({
        path: `waves.${i}.targeting`,
        message:
          matches === 0
            ? "This wave gets no devices: no applicable device matches its targeting."
            : `This wave gets no devices: the ${matches} devices it matches are all taken by earlier waves (overlapping targeting).`,
      });
    }
    return previewWave(i, wave.name, started, members, context, wave.maxDevicesPerDay ?? null);
  });

  const naByOs = new Map<string, number>();
  for (const id of assignment.notApplicable) {
    const os = deviceById.get(id)!.osName;
    naByOs.set(os, (naByOs.get(os) ?? 0) + 1);
  }
  return {
    errors: [...ruleErrors(plan, context), ...targetingErrors(plan, context), ...emptyWaves],
    preview: {
      update,
      build: context.build,
      total: inventory.length,
      notApplicable: assignment.notApplicable.size,
      notApplicableByOs: [...naByOs].map(([osName, count]) => ({ osName, devices: count })).sort((a, b) => b.devices - a.devices),
      excluded: assignment.excluded.size,
      waves,
    },
  };
}

function previewWave(index: number, name: string, started: boolean, members: InventoryDevice[], context: PlanContext, maxDevicesPerDay: number | null): WavePreview {
  const perSite = new Map<number, { devices: number; network: number }>();
  let heldCount = 0;
  let network = 0;
  for (const device of members) {
    if (context.held.has(device.id)) heldCount++;
    const entry = perSite.get(device.siteId) ?? { devices: 0, network: 0 };
    entry.devices++;
    if (device.channel === "network") {
      entry.network++;
      network++;
    }
    perSite.set(device.siteId, entry);
  }
  const sites = [...perSite].map(([siteId, counts]) => sitePreview(siteId, counts, context.sites.get(siteId)!, context.update.sizeBytes));
  const warnings = sites
    .filter((s) => s.saturates)
    .map(
      (s) =>
        `${s.name}: ${formatBytes(s.wanBytes)} over a ${s.linkKbps} kbit/s link takes ${formatDuration(s.transferSeconds!)}, more than a working day. ${
          s.distributionPoint ? "Even one copy to the distribution point is too slow; ship it on media." : "Split the wave or use the local distribution point."
        }`,
    );
  sites.sort((a, b) => b.downloadBytes - a.downloadBytes || a.name.localeCompare(b.name));
  const rampDays = rampDaysFor(members.length - heldCount, maxDevicesPerDay);
  return { index, name, started, devices: members.length, held: heldCount, network, offline: members.length - network, maxDevicesPerDay, rampDays, sites, warnings };
}

/** Days a ramp of `perDay` new machines a day needs to offer the update to `machines` (held ones wait for their hold, not the ramp). */
export function rampDaysFor(machines: number, perDay: number | null): number | null {
  if (!perDay) return null;
  return Math.ceil(machines / perDay);
}

function sitePreview(siteId: number, counts: { devices: number; network: number }, site: SiteInfo, sizeBytes: number): SitePreview {
  const downloadBytes = counts.network * sizeBytes;
  const distributionPoint = site.distributionPoint ?? null;
  // The distribution point fetches the update once over the WAN link; its machines then download over the LAN.
  const wanBytes = distributionPoint ? (counts.network > 0 ? sizeBytes : 0) : downloadBytes;
  const transferSeconds = site.linkKbps ? (wanBytes * 8) / (site.linkKbps * 1000) : null;
  const saturates = site.kind === "branch" && transferSeconds !== null && transferSeconds > SATURATION_SECONDS;
  return {
    siteId,
    name: site.name,
    kind: site.kind,
    devices: counts.devices,
    networkDevices: counts.network,
    downloadBytes,
    distributionPoint,
    wanBytes,
    linkKbps: site.linkKbps,
    transferSeconds,
    saturates,
  };
}
