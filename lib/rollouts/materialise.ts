import "server-only";
// Turns a rollout's waves into deployments: one row per (device, update) with the wave and the
// planned state (`pending`, `held`, `excluded`, `not_applicable`). Used when a plan is saved,
// when inventory changes (re-evaluates the devices of planned waves; started waves keep theirs),
// and when a safeguard hold changes. States that devices reported (downloading, installed, …)
// are never overwritten by planning; only the wave they belong to is kept current.
import { asc, eq, sql } from "drizzle-orm";
import { deployments, devices, rollouts, sites, updates, waves, type WaveTargeting } from "@/db/schema";
import type { DeploymentState } from "@/lib/deployments/states";
import { computeHeldDevices } from "./held-devices";
import { recomputeUpdateCounts } from "./summary-sync";
import { assignDevices, type Assignment, type TargetingDevice, type TargetingWave } from "./targeting";
import { txRows, type Tx } from "@/db/tx";

/** States that planning sets and may change again; every other state was reported by a device. */
export const PLANNING_STATES: readonly DeploymentState[] = ["pending", "held", "excluded", "not_applicable"];

export type InventoryDevice = TargetingDevice & { channel: "network" | "offline_media" | "technician" };

/** A site with a local distribution point downloads an update once over its WAN link and serves its machines from there. */
export type SiteInfo = { id: number; name: string; kind: "hq" | "branch" | "home"; linkKbps: number | null; distributionPoint?: string | null };

export async function loadInventory(tx: Tx): Promise<{ devices: InventoryDevice[]; sites: Map<number, SiteInfo> }> {
  const [deviceRows, siteRows] = await Promise.all([
    tx
      .select({
        id: devices.id,
        hostname: devices.hostname,
        osName: devices.osName,
        siteId: devices.siteId,
        departmentId: devices.departmentId,
        tags: devices.tags,
        channel: devices.channel,
      })
      .from(devices)
      .orderBy(asc(devices.id)),
    tx.select({ id: sites.id, name: sites.name, kind: sites.kind, linkKbps: sites.linkKbps, distributionPoint: sites.distributionPoint }).from(sites),
  ]);
  return { devices: deviceRows, sites: new Map(siteRows.map((s) => [s.id, s])) };
}

export function sampleSeed(updateId: number, position: number): string {
  return `${updateId}:${position}`;
}

type ExistingDeployment = {
  device_id: number;
  rollout_id: number | null;
  wave_id: number | null;
  state: DeploymentState;
  held_by_issue_id: number | null;
  alert: string | null;
  channel: string;
};

export type SyncResult = {
  perWave: { waveId: number; devices: number; held: number }[];
  notApplicable: number;
  excluded: number;
  written: number;
};

const CHUNK = 5_000;

/** Brings the deployments of one rollout in line with its waves, holds and the inventory. */
export async function syncRolloutDeployments(tx: Tx, rolloutId: number): Promise<SyncResult> {
  const [rollout] = await tx
    .select({ id: rollouts.id, updateId: rollouts.updateId, status: rollouts.status, applicableOsNames: updates.applicableOsNames })
    .from(rollouts)
    .innerJoin(updates, eq(updates.id, rollouts.updateId))
    .where(eq(rollouts.id, rolloutId));
  if (!rollout) throw new Error(`rollout ${rolloutId} not found`);
  const waveRows = await tx.select().from(waves).where(eq(waves.rolloutId, rolloutId)).orderBy(asc(waves.position));
  const [{ devices: inventory }, existingRows, held] = await Promise.all([
    loadInventory(tx),
    txRows<ExistingDeployment>(
      tx,
      sql`select device_id, rollout_id, wave_id, state, held_by_issue_id, alert, channel from deployments where update_id = ${rollout.updateId}`,
    ),
    computeHeldDevices(tx, rollout.updateId),
  ]);
  const existing = new Map(existingRows.map((row) => [row.device_id, row]));

  const targetingWaves: TargetingWave[] = waveRows.map((wave) => ({
    targeting: wave.targeting as WaveTargeting,
    sampleSeed: sampleSeed(rollout.updateId, wave.position),
    frozenDeviceIds:
      wave.status === "planned" ? null : existingRows.filter((d) => d.wave_id === wave.id && d.rollout_id === rolloutId).map((d) => d.device_id),
  }));
  const assignment = assignDevices(inventory, targetingWaves, rollout.applicableOsNames);

  const writes: { device_id: number; wave_id: number | null; state: DeploymentState; channel: string; held_by_issue_id: number | null }[] = [];
  const perWave = waveRows.map((wave) => ({ waveId: wave.id, devices: 0, held: 0 }));
  for (const device of inventory) {
    const plan = plannedFor(device.id, assignment, waveRows, held);
    if (plan.waveIndex !== null) {
      perWave[plan.waveIndex].devices++;
      if (plan.state === "held") perWave[plan.waveIndex].held++;
    }
    const current = existing.get(device.id);
    if (current && current.rollout_id !== rolloutId && current.rollout_id !== null && !(await isClosedRollout(tx, current.rollout_id))) continue;
    if (current && !changes(current, rolloutId, plan, device.channel)) continue;
    writes.push({ device_id: device.id, wave_id: plan.waveId, state: plan.state, channel: device.channel, held_by_issue_id: plan.heldBy });
  }

  for (let i = 0; i < writes.length; i += CHUNK) {
    const chunk = JSON.stringify(writes.slice(i, i + CHUNK));
    await tx.execute(sql`
      insert into deployments as d (device_id, update_id, rollout_id, wave_id, state, channel, held_by_issue_id, alert)
      select r.device_id, ${rollout.updateId}, ${rolloutId}, r.wave_id, r.state::deployment_state, r.channel::delivery_channel,
             r.held_by_issue_id, case when r.state = 'held' then 'safeguard_hold'::deployment_alert end
      from jsonb_to_recordset(${chunk}::jsonb) as r(device_id int, wave_id int, state text, channel text, held_by_issue_id int)
      on conflict (device_id, update_id) do update set
        rollout_id = excluded.rollout_id,
        wave_id = excluded.wave_id,
        channel = excluded.channel,
        state = case when d.state in ('pending', 'held', 'excluded', 'not_applicable') then excluded.state else d.state end,
        held_by_issue_id = case when d.state in ('pending', 'held', 'excluded', 'not_applicable') then excluded.held_by_issue_id else d.held_by_issue_id end,
        alert = case
          when d.state not in ('pending', 'held', 'excluded', 'not_applicable') then d.alert
          when excluded.state = 'held' then 'safeguard_hold'::deployment_alert
          when d.alert = 'safeguard_hold' then null
          else d.alert end,
        updated_at = now()`);
  }
  if (writes.length > 0) await recomputeUpdateCounts(tx, rollout.updateId);
  return { perWave, notApplicable: assignment.notApplicable.size, excluded: assignment.excluded.size, written: writes.length };
}

type Plan = { waveIndex: number | null; waveId: number | null; state: DeploymentState; heldBy: number | null };

function plannedFor(deviceId: number, assignment: Assignment, waveRows: { id: number }[], held: Map<number, number>): Plan {
  if (assignment.notApplicable.has(deviceId)) return { waveIndex: null, waveId: null, state: "not_applicable", heldBy: null };
  const waveIndex = assignment.waveOf.get(deviceId);
  if (waveIndex === undefined) return { waveIndex: null, waveId: null, state: "excluded", heldBy: null };
  const heldBy = held.get(deviceId) ?? null;
  return { waveIndex, waveId: waveRows[waveIndex].id, state: heldBy ? "held" : "pending", heldBy };
}

function changes(current: ExistingDeployment, rolloutId: number, plan: Plan, channel: string): boolean {
  if (current.rollout_id !== rolloutId || current.wave_id !== plan.waveId || current.channel !== channel) return true;
  if (!PLANNING_STATES.includes(current.state)) return false;
  return current.state !== plan.state || current.held_by_issue_id !== plan.heldBy || (plan.state !== "held" && current.alert === "safeguard_hold");
}

const closedRollouts = new WeakMap<Tx, Map<number, boolean>>();

/** A device already planned in another, still open rollout of the same update stays there. */
async function isClosedRollout(tx: Tx, rolloutId: number): Promise<boolean> {
  const cache = closedRollouts.get(tx) ?? new Map<number, boolean>();
  closedRollouts.set(tx, cache);
  if (!cache.has(rolloutId)) {
    const [row] = await tx.select({ status: rollouts.status }).from(rollouts).where(eq(rollouts.id, rolloutId));
    cache.set(rolloutId, !row || row.status === "cancelled" || row.status === "completed");
  }
  return cache.get(rolloutId)!;
}

/** Re-evaluates every open rollout after an inventory change (inside the import's transaction). */
export async function syncOpenRollouts(tx: Tx): Promise<number> {
  const open = await tx.select({ id: rollouts.id }).from(rollouts).where(sql`${rollouts.status} in ('draft', 'active')`).orderBy(asc(rollouts.id));
  for (const rollout of open) await syncRolloutDeployments(tx, rollout.id);
  return open.length;
}
