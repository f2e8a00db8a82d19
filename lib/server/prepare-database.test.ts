import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openPglite, queryRows } from "@/db/client";
import { readDemoLogins } from "@/lib/seed/demo";
import { FIRST_ADMIN_ADVICE, prepareDatabase } from "./prepare-database";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-start-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("npm start's database preparation", () => {
  it("seeds an empty embedded database once, saves the logins with mode 0600, and keeps the data on the next start", async () => {
    const config = { kind: "pglite" as const, dataDir: path.join(root, "pglite") };
    expect(await prepareDatabase(config, root)).toEqual({ seeded: true, advice: null });
    const logins = await readDemoLogins(root);
    expect(logins.map((l) => l.role).sort()).toEqual(["admin", "editor", "helpdesk", "viewer"]);
    expect(fs.statSync(path.join(root, "demo-logins.txt")).mode & 0o777).toBe(0o600);

    const handle = await openPglite(config.dataDir, "test");
    const [before] = await queryRows<{ devices: number; users: number }>(
      handle.db,
      sql`select (select count(*)::int from devices) as devices, (select count(*)::int from users) as users`,
    );
    await handle.close();

    expect(await prepareDatabase(config, root)).toEqual({ seeded: false, advice: null });
    const again = await openPglite(config.dataDir, "test");
    const [after] = await queryRows<{ devices: number; users: number }>(
      again.db,
      sql`select (select count(*)::int from devices) as devices, (select count(*)::int from users) as users`,
    );
    await again.close();
    expect(after).toEqual(before);
    expect(before.devices).toBeGreaterThan(1500);
    expect(await readDemoLogins(root)).toEqual(logins);

    // The next start does not open the prepared database a second time; another build's migrations do.
    const marker = path.join(root, "pglite.prepared");
    const prepared = fs.readFileSync(marker, "utf8");
    expect(prepared).toContain(config.dataDir);
    fs.writeFileSync(marker, `${config.dataDir} migrations-of-an-older-build\n`);
    expect(await prepareDatabase(config, root)).toEqual({ seeded: false, advice: null });
    expect(fs.readFileSync(marker, "utf8")).toBe(prepared);
  });

  it.runIf(process.env.TEST_DATABASE_URL)("never seeds PostgreSQL by itself and says how to create the first admin", async () => {
    const { createTestDb } = await import("@/db/test-db");
    const handle = await createTestDb("postgres");
    try {
      const url = (handle.pool as unknown as { options: { connectionString: string } }).options.connectionString;
      const dir = fs.mkdtempSync(path.join(root, "pg-"));
      expect(await prepareDatabase({ kind: "postgres", url }, dir)).toEqual({ seeded: false, advice: FIRST_ADMIN_ADVICE });
      const [{ n }] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from devices`);
      expect(n).toBe(0);
      expect(fs.existsSync(path.join(dir, "demo-logins.txt"))).toBe(false);
    } finally {
      await handle.close();
    }
  });
});
