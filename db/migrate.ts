// Applies the committed drizzle migrations. On PostgreSQL it holds an advisory lock first,
// so two instances starting together cannot both migrate.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type { DbHandle } from "./client";

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/** A hash of the migrations this code carries (file names and contents): same hash, same schema. */
export function migrationsFingerprint(): string {
  const hash = createHash("sha256");
  for (const file of fs.readdirSync(migrationsFolder).filter((f) => f.endsWith(".sql")).sort()) {
    hash.update(file).update(fs.readFileSync(path.join(migrationsFolder, file)));
  }
  return hash.digest("hex");
}

/** Arbitrary constant shared by every Rollcall instance: "rollcall" as a 64-bit key. */
const MIGRATION_LOCK_KEY = 7_236_832_983_541_170_001n;

export async function migrateDatabase(handle: DbHandle): Promise<void> {
  if (handle.kind === "pglite") {
    await migratePglite(drizzlePglite({ client: handle.pglite! }), { migrationsFolder });
    return;
  }
  const client = await handle.pool!.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
    try {
      await migratePg(drizzlePg({ client }), { migrationsFolder });
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY.toString()]);
    }
  } finally {
    client.release();
  }
}
