import "server-only";
// Which devices a safeguard hold covers: a device with an affected app whose installed version is
// in the issue's range, for known issues of the update with the hold on, minus released devices.
import { sql } from "drizzle-orm";
import { txRows, type Tx } from "@/db/tx";
import { versionInRange } from "./version-range";

type HoldRow = { device_id: number; version: string; version_range: string; issue_id: number };

/** device id → id of the (first) known issue whose safeguard hold covers it, for one update. */
export async function computeHeldDevices(tx: Tx, updateId: number): Promise<Map<number, number>> {
  const rows = await txRows<HoldRow>(
    tx,
    sql`select da.device_id, da.version, kia.version_range, ki.id as issue_id
        from known_issues ki
        join known_issue_apps kia on kia.known_issue_id = ki.id
        join apps a on a.id = kia.app_id or (kia.app_id is null and lower(a.name) = lower(kia.app_name))
        join device_apps da on da.app_id = a.id
        where ki.update_id = ${updateId} and ki.safeguard_hold
          and not exists (select 1 from safeguard_hold_releases r where r.known_issue_id = ki.id and r.device_id = da.device_id)
        order by ki.id`,
  );
  const held = new Map<number, number>();
  for (const row of rows) {
    if (!held.has(row.device_id) && versionInRange(row.version, row.version_range)) held.set(row.device_id, row.issue_id);
  }
  return held;
}

