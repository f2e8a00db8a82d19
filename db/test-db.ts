// Test helper: a fresh, migrated database per call, on embedded PGlite (in memory) and, when
// TEST_DATABASE_URL is set, on PostgreSQL (its own database, dropped by `close`).
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type pg from "pg";
import { databaseUrl, dropDatabase, withAdminClient } from "./admin";
import { openPostgres, pgliteOptions, type Db, type DbHandle, type DbKind } from "./client";
import { migrateDatabase, migrationsFingerprint } from "./migrate";
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

// Migrating a PostgreSQL database per test file costs seconds; a migrated template database (named by
// a hash of the migrations, made once under an advisory lock) is copied instead.
let postgresTemplate: Promise<string> | undefined;

const withAdmin = <T>(fn: (admin: pg.Client) => Promise<T>) => withAdminClient(process.env.TEST_DATABASE_URL!, fn);
const testDatabaseUrl = (name: string) => databaseUrl(process.env.TEST_DATABASE_URL!, name);

function ensurePostgresTemplate(): Promise<string> {
  postgresTemplate ??= withAdmin(async (admin) => {
    const name = `rollcall_t_tpl_${migrationsFingerprint().slice(0, 12)}`;
    await admin.query("select pg_advisory_lock(7236832983541170002)");
    try {
      const { rows } = await admin.query("select shobj_description(oid, 'pg_database') as note from pg_database where datname = $1", [name]);
      if (rows[0]?.note === "migrated") return name;
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
      const handle = openPostgres(testDatabaseUrl(name), { max: 1, applicationName: "rollcall-test-template" });
      try {
        await migrateDatabase(handle);
      } finally {
        await handle.close();
      }
      await admin.query(`comment on database ${name} is 'migrated'`);
      return name;
    } finally {
      await admin.query("select pg_advisory_unlock(7236832983541170002)");
    }
  }).catch((error) => {
    postgresTemplate = undefined;
    throw error;
  });
  return postgresTemplate;
}

async function freshPostgres(): Promise<DbHandle> {
  const template = await ensurePostgresTemplate();
  const name = `rollcall_t_${randomBytes(6).toString("hex")}`;
  await withAdmin((admin) => admin.query(`create database ${name} template ${template}`));
  const handle = openPostgres(testDatabaseUrl(name), { max: 4, applicationName: "rollcall-test" });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await dropDatabase(process.env.TEST_DATABASE_URL!, name);
    },
  };
}

export function createTestDb(kind: DbKind): Promise<DbHandle> {
  return kind === "postgres" ? freshPostgres() : freshPglite();
}
