import "server-only";
// The ramp of a wave (issue #18 item 3): a wave with `maxDevicesPerDay = N` offers the update to the
// machines at ramp positions 0 … N·(d+1)−1 on day d since it started (24-hour days from startedAt),
// so exactly N new machines a day, and the rest get eligibility `wave_throttled`.
//
// The order is stable and spread over sites: within each site the machines are ranked by a hash of
// (wave, device), and the sites are interleaved (every site's first machine, then every site's
// second, …). It is stored in deployments.ramp_position when the wave starts, once, so an
// eligibility question is a read of the machine's own row (at 100,000 devices a wave of 40,000
// machines would otherwise be hashed and sorted on every question a distribution tool asks).
// Machines that join the wave later (or a wave started before positions existed) have no stored
// position; they come after the stored ones, in the same order among themselves, computed on read.
import { sql } from "drizzle-orm";
import { txRows, type Tx } from "@/db/tx";

const DAY_MS = 86_400_000;

/** The machines of the wave without a position, numbered after the positioned ones (0-based). */
const unpositioned = (waveId: number) => sql`
  select o.id, o.device_id, (select coalesce(max(p.ramp_position), -1) from deployments p where p.wave_id = ${waveId})
           + row_number() over (order by o.site_rank, o.site_key) as position
  from (
    select dep.id, dep.device_id, coalesce(dev.site_id, 0) as site_key,
           row_number() over (partition by coalesce(dev.site_id, 0) order by md5(${String(waveId)} || ':' || dep.device_id::text), dep.device_id) as site_rank
    from deployments dep
    join devices dev on dev.id = dep.device_id
    where dep.wave_id = ${waveId} and dep.ramp_position is null
  ) o`;

/**
 * Stores the ramp order of the wave's machines that have none yet (all of them when it starts),
 * after the machines already positioned, which never move. Runs in the caller's transaction.
 */
export async function assignRampPositions(tx: Tx, waveId: number): Promise<number> {
  const rows = await txRows<{ n: number }>(
    tx,
    sql`with ordered as (${unpositioned(waveId)}),
         changed as (update deployments d set ramp_position = ordered.position::int from ordered where d.id = ordered.id returning 1)
         select count(*)::int as n from changed`,
  );
  return Number(rows[0]?.n ?? 0);
}

/** The machine's place in the wave's ramp order (0-based): stored, or computed after the stored ones. */
export async function rampPositionOf(tx: Tx, waveId: number, deviceId: number, stored: number | null): Promise<number> {
  if (stored !== null) return stored;
  const rows = await txRows<{ position: number }>(tx, sql`select position::int as position from (${unpositioned(waveId)}) u where u.device_id = ${deviceId}`);
  return Number(rows[0]?.position ?? Number.MAX_SAFE_INTEGER);
}

/** Which day of the ramp `now` is (0 on the day the wave started, counted in 24-hour days). */
export function rampDay(startedAt: Date | null, now: Date): number {
  if (!startedAt) return 0;
  return Math.max(0, Math.floor((now.getTime() - startedAt.getTime()) / DAY_MS));
}

/** How many machines (by ramp position) the wave offers the update to by `now`. */
export function rampAllowance(maxDevicesPerDay: number, startedAt: Date | null, now: Date): number {
  return maxDevicesPerDay * (rampDay(startedAt, now) + 1);
}

/** When the machine at `position` is offered the update (the start of its ramp day). */
export function rampOffersAt(position: number, maxDevicesPerDay: number, startedAt: Date | null): Date | null {
  if (!startedAt) return null;
  return new Date(startedAt.getTime() + Math.floor(position / maxDevicesPerDay) * DAY_MS);
}
