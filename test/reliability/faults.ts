// The faults the suite injects while the replay runs, each with how long the servers took to answer
// /api/health 200 again and when ingest was acknowledged again.
import { withAdminClient } from "@/db/admin";
import type { Instance } from "./server";
import { sleep } from "./server";

/** Counts acknowledged batches so a fault can tell when ingest resumed after it. */
export class Progress {
  done = 0;
  /** Batches acknowledged per instance (base URL). */
  readonly byInstance = new Map<string, number>();

  record(done: number, acknowledgedBy: string | null): void {
    this.done = done;
    if (acknowledgedBy) this.byInstance.set(acknowledgedBy, (this.byInstance.get(acknowledgedBy) ?? 0) + 1);
  }

  mark(): { t0: number; before: number } {
    return { t0: Date.now(), before: this.done };
  }

  /** Milliseconds from the mark until the next batch was acknowledged, or null. */
  async resumed(mark: { t0: number; before: number }, timeoutMs = 60_000): Promise<number | null> {
    const { t0, before } = mark;
    while (Date.now() - t0 < timeoutMs) {
      if (this.done > before) return Date.now() - t0;
      await sleep(20);
    }
    return null;
  }
}

/**
 * Kills every Rollcall connection to `database` (application_name rollcall; not ours, not other
 * databases') and measures when all instances answer /api/health 200 again.
 */
export async function terminateBackends(adminUrl: string, database: string, instances: Instance[], progress: Progress) {
  const { mark, killed } = await withAdminClient(adminUrl, async (admin) => {
    const mark = progress.mark();
    const res = await admin.query<{ n: number }>(
      `select count(*)::int as n from (
         select pg_terminate_backend(pid) from pg_stat_activity
         where datname = $1 and application_name = 'rollcall' and backend_type = 'client backend' and pid <> pg_backend_pid()
       ) t`,
      [database],
    );
    return { mark, killed: res.rows[0].n };
  });
  const { t0 } = mark;
  const healthy = await Promise.all(instances.map((i) => i.waitHealthy(15_000, t0)));
  const recoveredMs = healthy.some((ms) => ms === null) ? null : Math.max(...(healthy as number[]));
  const resumedMs = await progress.resumed(mark);
  return { killed, recoveredMs, resumedMs };
}
