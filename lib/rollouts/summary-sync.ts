import "server-only";
// Keeps the summary tables exact after planning writes deployments (materialise, holds, inventory
// re-evaluation). Ingest keeps the same tables exact with deltas (lib/deployments/summaries.ts);
// this recomputes the rows of one update from its deployments, inside the caller's transaction.
import { sql } from "drizzle-orm";
import { countsFromDeployments, signalsFromDeployments } from "@/lib/deployments/summaries";
import type { Tx } from "@/db/tx";

/**
 * Replaces the deployment_counts rows of `updateId`, and the wave_signal_counts rows of its waves,
 * with a GROUP BY over its deployments. Call it AFTER the deployments are written: on PostgreSQL
 * the table locks wait for concurrent ingest transactions (which add deltas) to commit, so the
 * recount includes their rows, and ingest transactions that come later add their deltas on top of ours.
 */
export async function recomputeUpdateCounts(tx: Tx, updateId: number): Promise<void> {
  await tx.execute(sql`lock table deployment_counts, wave_signal_counts in share row exclusive mode`);
  await tx.execute(sql`delete from deployment_counts where update_id = ${updateId}`);
  await tx.execute(sql`
    insert into deployment_counts (update_id, rollout_id, wave_id, site_id, os_name, department_id, state, build_id, count)
    ${countsFromDeployments(sql`d.update_id = ${updateId}`)}`);
  // The waves of this update's rollouts, and rows of waves that no longer exist.
  await tx.execute(sql`
    delete from wave_signal_counts s
    where s.wave_id in (select w.id from waves w join rollouts r on r.id = w.rollout_id where r.update_id = ${updateId})
       or not exists (select 1 from waves w where w.id = s.wave_id)`);
  await tx.execute(sql`
    insert into wave_signal_counts (wave_id, signal, value, state, count, message)
    ${signalsFromDeployments(sql`update_id = ${updateId}`)}`);
}
