import type { SQL } from "drizzle-orm";
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
