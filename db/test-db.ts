// Test helper: a fresh, migrated database per call, on embedded PGlite (in memory) and, when
// TEST_DATABASE_URL is set, on PostgreSQL (its own database, dropped by `close`).
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import { openPostgres, pgliteOptions, type Db, type DbHandle, type DbKind } from "./client";
import { migrateDatabase } from "./migrate";
import * as schema from "./schema";

export const testDbKinds: DbKind[] = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

// Migrating a PGlite takes seconds; migrate once per worker and start each test database from a copy.
let pgliteTemplate: Promise<File | Blob> | undefined;

async function freshPglite(): Promise<DbHandle> {
  pgliteTemplate ??= (async () => {
    const client = await PGlite.create(pgliteOptions());
    await migrateDatabase({ kind: "pglite", pglite: client, db: null as unknown as Db, close: async () => {} });
    const dump = await client.dumpDataDir("none");
    await client.close();
    return dump;
  })();
  const client = await PGlite.create({ ...pgliteOptions(), loadDataDir: await pgliteTemplate });
  const db = drizzlePglite({ client, schema, casing: "snake_case" }) as unknown as Db;
  return { db, kind: "pglite", pglite: client, close: () => client.close() };
}

async function freshPostgres(): Promise<DbHandle> {
  const base = new URL(process.env.TEST_DATABASE_URL!);
  const name = `rollcall_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = openPostgres(url.toString(), { max: 4, applicationName: "rollcall-test" });
  await migrateDatabase(handle);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: base.toString() });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export function createTestDb(kind: DbKind): Promise<DbHandle> {
  return kind === "postgres" ? freshPostgres() : freshPglite();
}
