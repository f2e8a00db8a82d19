import "server-only";
// The one claim of due work for the outbox's dispatcher, for webhook deliveries and mails alike:
// up to `limit` pending rows whose time has come are taken FOR UPDATE SKIP LOCKED (two processes
// never take one row), counted as an attempt, and leased: their next_attempt_at moves `leaseMs`
// ahead, past the attempt's timeout, so nobody takes them again while the attempt is in flight,
// and a process that died mid-attempt leaves them due again when the lease ends.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { txRows } from "@/db/tx";

/** `n` milliseconds as an SQL interval. */
export const ms = (n: number): SQL => sql`(${Math.round(n)} * interval '1 millisecond')`;

/** The tables of leased work: one row per (event, webhook) delivery or per mail. */
export type LeasedTable = "webhook_deliveries" | "email_deliveries";

/**
 * Claims due rows of `table` and answers `read`, a select over the CTE `claimed`: the claimed rows
 * as they are after the claim (every column; `attempts` already counts this attempt), in the order
 * and with the joins `read` gives them.
 */
export function claimLeased<T>(db: Pick<Db, "execute">, table: LeasedTable, limit: number, leaseMs: number, read: SQL): Promise<T[]> {
  const t = sql.identifier(table);
  return txRows<T>(
    db,
    sql`with claimed as (
          update ${t} d
          set attempts = d.attempts + 1, last_attempt_at = now(), next_attempt_at = now() + ${ms(leaseMs)}
          where d.id in (
            select id from ${t} where status = 'pending' and next_attempt_at <= now()
            order by next_attempt_at, id limit ${limit} for update skip locked
          )
          returning d.*
        )
        ${read}`,
  );
}
