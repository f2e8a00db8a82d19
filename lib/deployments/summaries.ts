// Summary tables: deployment_counts and adoption_daily always equal a GROUP BY over deployments.
// Ingest keeps them exact with deltas in its own transaction; this module recomputes them whole
// (after a seed or bulk import) and measures drift.
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

type Tx = Pick<Db, "execute">;

const COUNTS_FROM_DEPLOYMENTS = sql`
  select d.update_id, coalesce(d.rollout_id, 0) as rollout_id, coalesce(d.wave_id, 0) as wave_id,
         v.site_id, v.os_name, d.state, count(*)::int as count
  from deployments d join devices v on v.id = d.device_id
  group by 1, 2, 3, 4, 5, 6`;

const ADOPTION_FROM_DEPLOYMENTS = sql`
  select update_id, (state_occurred_at at time zone 'UTC')::date as day, count(*)::int as installed
  from deployments
  where state = 'installed' and state_occurred_at is not null
  group by 1, 2`;

/** Replaces both summary tables with what the deployments say; run inside the caller's transaction. */
export async function recomputeSummaries(tx: Tx): Promise<void> {
  await tx.execute(sql`delete from deployment_counts`);
  await tx.execute(sql`insert into deployment_counts (update_id, rollout_id, wave_id, site_id, os_name, state, count) ${COUNTS_FROM_DEPLOYMENTS}`);
  await tx.execute(sql`delete from adoption_daily`);
  await tx.execute(sql`insert into adoption_daily (update_id, day, installed) ${ADOPTION_FROM_DEPLOYMENTS}`);
}

export { COUNTS_FROM_DEPLOYMENTS, ADOPTION_FROM_DEPLOYMENTS };
