import { sql, type SQL } from "drizzle-orm";
import type { Db } from "./client";

/** An open transaction (both drivers expose drizzle's API on it). */
export type Transaction = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** What the data-access layer needs of a database or an open transaction. */
export type Tx = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;

/** Rows of a raw, parameterised query (the same on PGlite and pg). */
export async function txRows<T>(tx: Pick<Db, "execute">, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * Runs data-modifying statements (each without its own RETURNING) in one round trip: one statement as it
 * is, several as data-modifying CTEs that the final select reads in the order given, so they run in
 * that order.
 */
export async function executeTogether(tx: Pick<Db, "execute">, writes: readonly SQL[]): Promise<void> {
  if (writes.length === 0) return;
  if (writes.length === 1) {
    await tx.execute(writes[0]);
    return;
  }
  const names = writes.map((_, i) => `w${i}`);
  await tx.execute(sql`
    with ${sql.join(writes.map((w, i) => sql`${sql.raw(names[i])} as (${w} returning 1)`), sql`, `)}
    select ${sql.raw(names.map((n) => `(select count(*) from ${n})`).join(", "))}`);
}
