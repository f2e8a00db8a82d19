import "server-only";
// "May this machine install now?" — asked by a distribution tool's pre-install script.
// One answer per (device, update): eligible only when the device's wave is active (or completed,
// for stragglers) and nothing holds it back. The answer names the build to install: the wave's
// target build, else the rollout's. A machine that installed an older build than its wave now
// targets (builds are newer when their id is greater) is "installed, behind" and is offered the
// newer one; the update's emergency pause stops every wave, and a wave's ramp offers the update
// to at most N new machines a day (./ramp.ts).
import { and, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { getDb } from "@/db/client";
import { builds, deployments, devices, knownIssues, rollouts, updates, waves } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { HttpError } from "@/lib/http/problem";
import { isPausedAt } from "@/lib/updates/pause-rule";
import { rampAllowance, rampOffersAt, rampPositionOf } from "./ramp";

export const ELIGIBILITY_REASONS = [
  "wave_not_started",
  "wave_paused",
  "wave_halted",
  "wave_throttled",
  "update_paused",
  "held",
  "excluded",
  "not_applicable",
  "already_installed",
  "not_in_rollout",
] as const;
export type EligibilityReason = (typeof ELIGIBILITY_REASONS)[number];

export type Eligibility = {
  eligible: boolean;
  /** null when the device may install now */
  reason: EligibilityReason | null;
  wave: { id: number; name: string; position: number; status: string } | null;
  /** The build to install (the wave's target, else the rollout's); null outside every wave. */
  build: { name: string; version: string } | null;
  /** A sentence for people (the same facts as `reason`). */
  detail: string;
  heldBy?: { advisoryId: string; title: string } | null;
  /** Installed an older build than the wave targets: eligible for the newer one. */
  behind?: boolean;
};

export const EligibilityInput = z.object({
  hostname: z.string().trim().min(1).max(253),
  update: z.string().trim().min(1, "Say which update: ?update=<slug>.").max(200),
});

const waveBuild = alias(builds, "wave_build");
const rolloutBuild = alias(builds, "rollout_build");
const installedBuild = alias(builds, "installed_build");

export async function getEligibility(actor: Actor | null, input: z.input<typeof EligibilityInput>, now = new Date()): Promise<Eligibility> {
  assertCan(actor, "device.read");
  const parsed = EligibilityInput.safeParse(input);
  if (!parsed.success) throw new HttpError(422, "Say which update: ?update=<slug>.", { errors: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
  const { hostname, update } = parsed.data;
  const db = await getDb();
  const [device] = await db.select({ id: devices.id, hostname: devices.hostname }).from(devices).where(sql`lower(${devices.hostname}) = lower(${hostname})`);
  if (!device) throw new HttpError(404, `No device named ${hostname}.`);
  const [upd] = await db
    .select({ id: updates.id, title: updates.title, pausedAt: updates.pausedAt, pausedUntil: updates.pausedUntil, pauseReason: updates.pauseReason })
    .from(updates)
    .where(eq(updates.slug, update));
  if (!upd) throw new HttpError(404, `No update with slug ${update}.`);

  const [row] = await db
    .select({
      state: deployments.state,
      installedBuildId: deployments.buildId,
      installedBuildName: installedBuild.name,
      rampPosition: deployments.rampPosition,
      rolloutStatus: rollouts.status,
      waveId: waves.id,
      waveName: waves.name,
      wavePosition: waves.position,
      waveStatus: waves.status,
      waveStartedAt: waves.startedAt,
      maxDevicesPerDay: waves.maxDevicesPerDay,
      haltReason: waves.haltReason,
      waveBuildId: waveBuild.id,
      waveBuildName: waveBuild.name,
      waveBuildVersion: waveBuild.version,
      rolloutBuildId: rolloutBuild.id,
      rolloutBuildName: rolloutBuild.name,
      rolloutBuildVersion: rolloutBuild.version,
      issueAdvisory: knownIssues.advisoryId,
      issueTitle: knownIssues.title,
    })
    .from(deployments)
    .leftJoin(rollouts, eq(rollouts.id, deployments.rolloutId))
    .leftJoin(waves, eq(waves.id, deployments.waveId))
    .leftJoin(waveBuild, eq(waveBuild.id, waves.buildId))
    .leftJoin(rolloutBuild, eq(rolloutBuild.id, rollouts.buildId))
    .leftJoin(installedBuild, eq(installedBuild.id, deployments.buildId))
    .leftJoin(knownIssues, eq(knownIssues.id, deployments.heldByIssueId))
    .where(and(eq(deployments.deviceId, device.id), eq(deployments.updateId, upd.id)));

  const wave = row?.waveId != null ? { id: row.waveId, name: row.waveName!, position: row.wavePosition!, status: row.waveStatus! } : null;
  const target =
    wave && row?.waveBuildId != null
      ? { id: row.waveBuildId, name: row.waveBuildName!, version: row.waveBuildVersion! }
      : wave && row?.rolloutBuildId != null
        ? { id: row.rolloutBuildId, name: row.rolloutBuildName!, version: row.rolloutBuildVersion! }
        : null;
  const build = target ? { name: target.name, version: target.version } : null;
  const no = (reason: EligibilityReason, detail: string, extra: Partial<Eligibility> = {}): Eligibility => ({ eligible: false, reason, wave, build, detail, ...extra });

  const behind = row?.state === "installed" && target !== null && row.installedBuildId !== null && row.installedBuildId < target.id;
  if (row?.state === "installed" && !behind) return no("already_installed", `${device.hostname} already has ${upd.title}${row.installedBuildName ? ` (${row.installedBuildName})` : ""}.`);
  if (!row || !row.rolloutStatus || row.rolloutStatus === "cancelled") return no("not_in_rollout", `${device.hostname} is not part of a rollout of ${upd.title}.`, { build: null });
  if (row.state === "not_applicable") return no("not_applicable", `${upd.title} does not apply to ${device.hostname}'s operating system.`);
  if (row.state === "excluded" || !wave) return no("excluded", `${device.hostname} is not in any wave of the rollout.`);
  if (isPausedAt(upd, now)) {
    const until = upd.pausedUntil ? ` until ${upd.pausedUntil.toISOString()}` : " until it is resumed";
    return no("update_paused", `${upd.title} is paused${until}: ${upd.pauseReason ?? "emergency pause"}.`);
  }
  if (row.state === "held") {
    const heldBy = row.issueAdvisory ? { advisoryId: row.issueAdvisory, title: row.issueTitle! } : null;
    return no("held", `A safeguard hold${heldBy ? ` (${heldBy.advisoryId}: ${heldBy.title})` : ""} keeps ${device.hostname} back.`, { heldBy });
  }
  if (wave.status === "planned") return no("wave_not_started", `${wave.name} has not started yet.`);
  if (wave.status === "paused") return no("wave_paused", `${wave.name} is paused.`);
  if (wave.status === "halted") return no("wave_halted", `${wave.name} is halted${row.haltReason ? `: ${row.haltReason}` : "."}`);
  if (wave.status === "active" && row.maxDevicesPerDay != null && row.maxDevicesPerDay > 0) {
    const position = await rampPositionOf(db, wave.id, device.id, row.rampPosition);
    if (position >= rampAllowance(row.maxDevicesPerDay, row.waveStartedAt, now)) {
      const at = rampOffersAt(position, row.maxDevicesPerDay, row.waveStartedAt);
      return no("wave_throttled", `${wave.name} offers ${upd.title} to ${row.maxDevicesPerDay} new machines a day; ${device.hostname} is number ${position + 1} in its order${at ? `, offered from ${at.toISOString()}` : ""}.`);
    }
  }
  const offer = `${build ? ` ${build.name}` : ""}`;
  if (behind) {
    return { eligible: true, reason: null, wave, build, behind: true, detail: `${device.hostname} installed ${row.installedBuildName ?? "an older build"}, behind ${wave.name}'s target: it may install${offer} now.` };
  }
  return { eligible: true, reason: null, wave, build, detail: `${device.hostname} may install ${upd.title}${offer} now (${wave.name} is ${wave.status}).` };
}
