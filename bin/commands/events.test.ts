import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { createIngestFixture } from "@/test/support/fixtures/ingest";
import type { CliContext } from "../cli-context";
import { runVerifySummaries } from "./db-verify";
import { eventsCommand } from "./events";

describe.each(testDbKinds)("rollcall events import and db verify-summaries on %s", (kind) => {
  let handle: DbHandle;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-events-"));
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const ctx: CliContext = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    progress: (l) => progress.push(l),
    stdin: process.stdin,
    openDb: async () => handle,
  };

  beforeAll(async () => {
    handle = await createTestDb(kind);
    await createIngestFixture(handle.db, { devices: 4, updates: 1, planned: 4 });
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await handle?.close();
  });

  it("imports a CSV file with a progress line, lists rejected rows and exits 1 when some were rejected", async () => {
    const file = path.join(dir, "technician.csv");
    fs.writeFileSync(
      file,
      "device,update,state,occurredAt\nWS-0000,windows-xp-sp2,installed,2004-08-25T10:00:00Z\nWS-0001,windows-xp-sp2,failed,2004-08-25T10:00:00Z\nnobody,windows-xp-sp2,installed,2004-08-25T10:00:00Z\n",
    );
    expect(await eventsCommand.run(["import", file], ctx)).toBe(1);
    expect(progress[0]).toMatch(/importing .*technician\.csv: 3 rows — 2 accepted, 0 duplicates, 0 stale, 1 rejected/);
    expect(out.at(-1)).toMatch(/Imported 3 rows .*: 2 accepted, 0 duplicates, 0 stale \(kept in history\), 1 rejected\./);
    expect(err).toContain('  line 4: device: unknown device "nobody"');
    const [row] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from deployments where state = 'installed'`);
    expect(row.n).toBe(1);
  });

  it("refuses a missing file and bad arguments", async () => {
    await expect(eventsCommand.run(["import", path.join(dir, "nope.csv")], ctx)).rejects.toThrow(/no such file/);
    await expect(eventsCommand.run(["import"], ctx)).rejects.toThrow(/exactly one FILE\.csv/);
    await expect(eventsCommand.run(["export"], ctx)).rejects.toThrow(/unknown events command/);
  });

  it("db verify-summaries reports drift with exit 1, and --repair fixes it", async () => {
    expect(await runVerifySummaries(handle.db, { repair: false }, ctx)).toBe(0);
    expect(out.at(-1)).toBe("Summaries agree with the deployments: no drift.");
    await handle.db.execute(sql`update deployment_counts set count = count + 2 where state = 'installed'`);
    expect(await runVerifySummaries(handle.db, { repair: false }, ctx)).toBe(1);
    expect(out.some((l) => /counts {2}update \d+ rollout \d+ wave \d+ site \d+ .* installed: stored 3, expected 1/.test(l))).toBe(true);
    expect(await runVerifySummaries(handle.db, { repair: true }, ctx)).toBe(0);
    expect(out.at(-1)).toMatch(/^Repaired/);
    expect(await runVerifySummaries(handle.db, { repair: false }, ctx)).toBe(0);
  });
});
