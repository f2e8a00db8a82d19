import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DbHandle } from "./client";
import { migrateDatabase } from "./migrate";
import { createTestDb, testDbKinds } from "./test-db";

const journal = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "migrations/meta/_journal.json"), "utf8")) as { entries: unknown[] };

describe.each(testDbKinds)("migrations on %s", (kind) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(() => handle?.close());

  it("creates every table of the domain", async () => {
    const tables = await queryRows<{ tablename: string }>(
      handle.db,
      sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
    );
    const names = tables.map((t) => t.tablename);
    for (const table of ["updates", "builds", "release_date_changes", "sites", "devices", "device_apps", "rollouts", "waves", "deployments", "status_events", "known_issues", "known_issue_fix_links", "known_issue_history", "helpdesk_reports", "users", "api_tokens", "audit_entries", "deployment_counts", "adoption_daily"]) {
      expect(names).toContain(table);
    }
  });

  it("is idempotent: applying again changes nothing", async () => {
    await migrateDatabase(handle);
    const [{ n }] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(n).toBe(journal.entries.length);
    expect(n).toBeGreaterThanOrEqual(5);
  });

  it("leaves room on device and deployment pages for ingest's updates, and indexes only the rows with an error code", async () => {
    const options = await queryRows<{ relname: string; reloptions: string[] | null }>(
      handle.db,
      sql`select relname, reloptions from pg_class where relname in ('devices', 'deployments') order by relname`,
    );
    expect(options).toEqual([
      { relname: "deployments", reloptions: ["fillfactor=85"] },
      { relname: "devices", reloptions: ["fillfactor=90"] },
    ]);
    const partial = await queryRows<{ indexname: string }>(
      handle.db,
      sql`select indexname from pg_indexes where indexname in ('deployments_error_code_idx', 'status_events_error_code_idx') and indexdef like '%WHERE (error_code IS NOT NULL)%' order by 1`,
    );
    expect(partial.map((r) => r.indexname)).toEqual(["deployments_error_code_idx", "status_events_error_code_idx"]);
  });

  it("rejects a hostname that differs only in case", async () => {
    await handle.db.execute(sql`insert into sites (name, kind) values ('HQ', 'hq')`);
    await handle.db.execute(sql`insert into devices (hostname, os_name, site_id) values ('HQ-WS-001', 'Windows XP', 1)`);
    await expect(
      handle.db.execute(sql`insert into devices (hostname, os_name, site_id) values ('hq-ws-001', 'Windows XP', 1)`),
    ).rejects.toThrow();
  });

  it("has pg_trgm for fuzzy search", async () => {
    const [row] = await queryRows<{ s: number }>(handle.db, sql`select similarity('hq-ws-0001', 'hq-ws-001') as s`);
    expect(row.s).toBeGreaterThan(0.5);
  });
});
