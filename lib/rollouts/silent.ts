import "server-only";
// Silent machines (issue #18 item 6): in a started wave that is not completed (active, paused or
// halted), a machine that should still be reporting but has sent nothing for the rollout's
// `silentAfterDays` (default 7) is "silent" — its own population, neither success nor failure.
//
// Which machines can be silent:
// - network channel only: machines on offline media or a technician's visit report only once
//   installed, and their own journey (lib/rollouts/media.ts) says when they are overdue;
// - deployment states that still expect a report: pending, scheduled, deferred, downloading,
//   installing, reboot_required. Installed, failed and rolled back are outcomes (success or failure,
//   never also silent); not applicable and excluded are out of scope; held machines wait for
//   Rollcall's own safeguard hold, not for the machine.
// - no report since the cut-off (now − silentAfterDays), and the wave started before the cut-off:
//   a machine that never reported since its wave started becomes silent once the wave is that old;
// - not in a cancelled rollout (it offers nothing, so nothing is expected of its machines).
import { eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { rollouts } from "@/db/schema";
import { txRows, type Tx } from "@/db/tx";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { mutation } from "@/lib/dal/mutation";
import type { DeploymentState } from "@/lib/deployments/states";
import { HttpError } from "@/lib/http/problem";

export const DEFAULT_SILENT_AFTER_DAYS = 7;
export const SILENT_STATES: readonly DeploymentState[] = ["pending", "scheduled", "deferred", "downloading", "installing", "reboot_required"];
export const SILENT_WAVE_STATUSES = ["active", "paused", "halted"] as const;

const list = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);

/**
 * The condition that deployment `d` (of wave `w`, whose rollout is `r`) is silent at `now`. The
 * same text serves the counts, the device list and the CSV export, so they always agree.
 */
export function silentCondition(now: Date, aliases: { d: string; w: string; r: string } = { d: "d", w: "w", r: "r" }): SQL {
  const d = sql.raw(aliases.d);
  const w = sql.raw(aliases.w);
  const r = sql.raw(aliases.r);
  const cutoff = sql`(${now.toISOString()}::timestamptz - make_interval(days => ${r}.silent_after_days))`;
  return sql`(${r}.status <> 'cancelled' and ${w}.status in (${list(SILENT_WAVE_STATUSES)}) and ${w}.started_at <= ${cutoff}
    and ${d}.channel = 'network' and ${d}.state in (${list(SILENT_STATES)})
    and (${d}.last_reported_at is null or ${d}.last_reported_at < ${cutoff}))`;
}

/** A pure restatement of the rule for one machine (the tests check the SQL against it). */
export function isSilent(
  machine: { state: DeploymentState; channel: string; lastReportedAt: Date | null },
  wave: { status: string; startedAt: Date | null },
  silentAfterDays: number,
  now: Date,
): boolean {
  const cutoff = now.getTime() - silentAfterDays * 86_400_000;
  if (!(SILENT_WAVE_STATUSES as readonly string[]).includes(wave.status) || !wave.startedAt || wave.startedAt.getTime() > cutoff) return false;
  if (machine.channel !== "network" || !SILENT_STATES.includes(machine.state)) return false;
  return machine.lastReportedAt === null || machine.lastReportedAt.getTime() < cutoff;
}

/**
 * Silent machines per wave of a rollout (every wave of it is in the map, 0 when none). One
 * statement over the partial index deployments_silent_idx (wave, last report) of the rows that can
 * be silent, so a wave of 100,000 machines is counted from the index, not from the table.
 */
export async function silentCountsByWave(tx: Tx, rolloutId: number, now = new Date()): Promise<Map<number, number>> {
  const rows = await txRows<{ wave_id: number; silent: number }>(
    tx,
    sql`select w.id as wave_id, (select count(*) from deployments d where d.wave_id = w.id and ${silentCondition(now)})::int as silent
        from waves w join rollouts r on r.id = w.rollout_id
        where w.rollout_id = ${rolloutId}`,
  );
  return new Map(rows.map((row) => [Number(row.wave_id), Number(row.silent)]));
}

export type SilentWave = { waveId: number; cutoff: Date; silent: number };

/** The waves of an update's rollouts whose machines can be silent now, with their cut-off and count (from the index). */
export async function silentWavesOfUpdate(tx: Tx, updateId: number, now = new Date()): Promise<SilentWave[]> {
  const rows = await txRows<{ wave_id: number; cutoff: string | Date; silent: number }>(
    tx,
    sql`select w.id as wave_id, (${now.toISOString()}::timestamptz - make_interval(days => r.silent_after_days)) as cutoff,
          (select count(*) from deployments d where d.wave_id = w.id and ${silentCondition(now)})::int as silent
        from waves w join rollouts r on r.id = w.rollout_id
        where r.update_id = ${updateId} and r.status <> 'cancelled' and w.status in (${list(SILENT_WAVE_STATUSES)})`,
  );
  return rows.filter((r) => Number(r.silent) > 0).map((r) => ({ waveId: Number(r.wave_id), cutoff: new Date(r.cutoff), silent: Number(r.silent) }));
}

/**
 * The device list's condition on `deployments` for "silent only", given silentWavesOfUpdate: the same
 * rule with each wave's cut-off as a constant, so the partial index finds the rows. Nothing silent: false.
 */
export function silentRowsCondition(silentWaves: readonly SilentWave[], alias = "deployments"): SQL {
  if (silentWaves.length === 0) return sql`false`;
  const d = sql.raw(alias);
  const perWave = silentWaves.map((w) => sql`(${d}.wave_id = ${w.waveId} and (${d}.last_reported_at is null or ${d}.last_reported_at < ${w.cutoff.toISOString()}::timestamptz))`);
  return sql`(${d}.channel = 'network' and ${d}.state in (${list(SILENT_STATES)}) and (${sql.join(perWave, sql` or `)}))`;
}

/** The same for a reader: 401/403 first, 404 for an unknown rollout. */
export async function getSilentCounts(actor: Actor | null, rolloutId: number, now = new Date()): Promise<{ silentAfterDays: number; perWave: Map<number, number> }> {
  assertCan(actor, "rollout.read");
  const db = await getDb();
  const [rollout] = await db.select({ silentAfterDays: rollouts.silentAfterDays }).from(rollouts).where(eq(rollouts.id, rolloutId));
  if (!rollout) throw new HttpError(404, "No such rollout.");
  return { silentAfterDays: rollout.silentAfterDays, perWave: await silentCountsByWave(db, rolloutId, now) };
}

export const SilentAfterDaysInput = z.object({
  rolloutId: z.coerce.number().int().positive(),
  silentAfterDays: z.coerce
    .number({ message: "Enter a number of days." })
    .int("Whole days only.")
    .min(1, "At least 1 day.")
    .max(365, "At most 365 days."),
});

/** How many days without a report make a machine of this rollout silent (manage / editor, audited). */
export const setSilentAfterDays = mutation({
  action: "rollout.write",
  input: SilentAfterDaysInput,
  invalid: "The number of days is not valid; nothing was saved.",
  run: async (tx, _actor, data) => {
    const [before] = await tx.select({ days: rollouts.silentAfterDays }).from(rollouts).where(eq(rollouts.id, data.rolloutId)).for("update");
    if (!before) throw new HttpError(404, "No such rollout.");
    await tx.update(rollouts).set({ silentAfterDays: data.silentAfterDays }).where(eq(rollouts.id, data.rolloutId));
    return { before: before.days };
  },
  audit: (data, result) => ({
    action: "rollout.silent_after_days",
    targetType: "rollout",
    targetId: data.rolloutId,
    before: { silentAfterDays: result.before },
    after: { silentAfterDays: data.silentAfterDays },
  }),
});
