import type { SQL } from "drizzle-orm";
import type { Db } from "@/db/client";

/** What the DAL needs of a database or an open transaction (both drivers, drizzle's API). */
export type Tx = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;

/** Rows of a raw, parameterised query inside a transaction (the same on PGlite and pg). */
export async function txRows<T>(tx: Tx, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

