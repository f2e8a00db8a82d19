import "server-only";
// "May this machine install now?" — asked by a distribution tool's pre-install script.
// One answer per (device, update): eligible only when the device's wave is active (or completed,
// for stragglers) and nothing holds it back.
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { deployments, devices, knownIssues, rollouts, updates, waves } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { HttpError } from "@/lib/http/problem";

export const ELIGIBILITY_REASONS = [
  "wave_not_started",
  "wave_paused",
  "wave_halted",
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
  /** A sentence for people (the same facts as `reason`). */
  detail: string;
  heldBy?: { advisoryId: string; title: string } | null;
};

export const EligibilityInput = z.object({
  hostname: z.string().trim().min(1).max(253),
  update: z.string().trim().min(1, "Say which update: ?update=<slug>.").max(200),
});

export async function getEligibility(actor: Actor | null, input: z.input<typeof EligibilityInput>): Promise<Eligibility> {
  assertCan(actor, "device.read");
  const parsed = EligibilityInput.safeParse(input);
  if (!parsed.success) throw new HttpError(422, "Say which update: ?update=<slug>.", { errors: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
  const { hostname, update } = parsed.data;
  const db = await getDb();
  const [device] = await db.select({ id: devices.id, hostname: devices.hostname }).from(devices).where(sql`lower(${devices.hostname}) = lower(${hostname})`);
  if (!device) throw new HttpError(404, `No device named ${hostname}.`);
  const [upd] = await db.select({ id: updates.id, title: updates.title }).from(updates).where(eq(updates.slug, update));
  if (!upd) throw new HttpError(404, `No update with slug ${update}.`);

  const [row] = await db
    .select({
      state: deployments.state,
      rolloutStatus: rollouts.status,
      waveId: waves.id,
      waveName: waves.name,
      wavePosition: waves.position,
      waveStatus: waves.status,
      haltReason: waves.haltReason,
      issueAdvisory: knownIssues.advisoryId,
      issueTitle: knownIssues.title,
    })
    .from(deployments)
    .leftJoin(rollouts, eq(rollouts.id, deployments.rolloutId))
    .leftJoin(waves, eq(waves.id, deployments.waveId))
    .leftJoin(knownIssues, eq(knownIssues.id, deployments.heldByIssueId))
    .where(and(eq(deployments.deviceId, device.id), eq(deployments.updateId, upd.id)));

  const wave = row?.waveId != null ? { id: row.waveId, name: row.waveName!, position: row.wavePosition!, status: row.waveStatus! } : null;
  const no = (reason: EligibilityReason, detail: string, extra: Partial<Eligibility> = {}): Eligibility => ({ eligible: false, reason, wave, detail, ...extra });

  if (row?.state === "installed") return no("already_installed", `${device.hostname} already has ${upd.title}.`);
  if (!row || !row.rolloutStatus || row.rolloutStatus === "cancelled") return no("not_in_rollout", `${device.hostname} is not part of a rollout of ${upd.title}.`);
  if (row.state === "not_applicable") return no("not_applicable", `${upd.title} does not apply to ${device.hostname}'s operating system.`);
  if (row.state === "excluded" || !wave) return no("excluded", `${device.hostname} is not in any wave of the rollout.`);
  if (row.state === "held") {
    const heldBy = row.issueAdvisory ? { advisoryId: row.issueAdvisory, title: row.issueTitle! } : null;
    return no("held", `A safeguard hold${heldBy ? ` (${heldBy.advisoryId}: ${heldBy.title})` : ""} keeps ${device.hostname} back.`, { heldBy });
  }
  if (wave.status === "planned") return no("wave_not_started", `${wave.name} has not started yet.`);
  if (wave.status === "paused") return no("wave_paused", `${wave.name} is paused.`);
  if (wave.status === "halted") return no("wave_halted", `${wave.name} is halted${row.haltReason ? `: ${row.haltReason}` : "."}`);
  return { eligible: true, reason: null, wave, detail: `${device.hostname} may install ${upd.title} now (${wave.name} is ${wave.status}).` };
}
