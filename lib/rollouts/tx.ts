import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";

/** What the DAL needs of a database or an open transaction (both drivers, drizzle's API). */
export type Tx = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;

/** Rows of a raw, parameterised query inside a transaction (the same on PGlite and pg). */
export async function txRows<T>(tx: Tx, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** A text[] built from ONE JSON parameter (drizzle expands a JS array into one parameter per item). */
export const textArray = (values: readonly string[]) => sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
/** An int[] built from ONE JSON parameter. */
export const intArray = (values: readonly number[]) => sql`array(select (jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))::int)`;
