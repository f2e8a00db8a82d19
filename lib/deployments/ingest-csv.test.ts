import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { HttpError } from "@/lib/http/problem";
import { importStatusEventsCsv, readEventsCsv } from "./ingest-csv";
import { createIngestFixture, type IngestFixture } from "@/test/support/fixtures/ingest";

const cell = (value: string) => (/[",\n\r]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value);

async function collect(input: string) {
  const rows = [];
  for await (const r of readEventsCsv(input)) rows.push(r);
  return rows;
}

describe("readEventsCsv", () => {
  it("reads back whatever rows were written, quotes, commas, newlines and accents included", async () => {
    const text = fc.string({ unit: fc.constantFrom("a", "Z", "é", ",", '"', "\n", " ", "-", "1"), maxLength: 12 }).map((s) => s.trim()).filter((s) => s !== "");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ device: text, update: text, state: text, occurredAt: text, message: fc.option(text, { nil: undefined }) }), { maxLength: 15 }), async (rows) => {
        const csv = ["Device,Update,State,Occurred At,Message", ...rows.map((r) => [r.device, r.update, r.state, r.occurredAt, r.message ?? ""].map(cell).join(","))].join("\r\n");
        const read = await collect(csv);
        expect(read.map((r) => r.row)).toEqual(rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))));
      }),
      { numRuns: 150 },
    );
  });

  it("accepts column aliases and ignores unknown columns; a missing column or broken quoting is a 400", async () => {
    const [first] = await collect("hostname,slug,status,timestamp,error_code,notes\nWS-1,sp2,installed,2004-08-25T10:00:00Z,,hello\n");
    expect(first).toEqual({ row: { device: "WS-1", update: "sp2", state: "installed", occurredAt: "2004-08-25T10:00:00Z" }, line: 2 });
    await expect(collect("device,update,state\nWS-1,sp2,installed\n")).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/occurredAt/) });
    await expect(collect('device,update,state,occurredAt\n"WS-1,sp2,installed,x\n')).rejects.toBeInstanceOf(HttpError);
  });
});

describe.each(testDbKinds)("CSV import of status events on %s", (kind) => {
  let handle: DbHandle;
  let fx: IngestFixture;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    fx = await createIngestFixture(handle.db, { devices: 6, updates: 1, planned: 6 });
  });
  afterAll(() => handle?.close());

  const file = [
    "device,update,state,occurredAt,errorCode,alert,message,eventId",
    "ws-0000,windows-xp-sp2,installed,2004-08-25T10:00:00Z,,,,",
    "WS-0001,windows-xp-sp2,failed,2004-08-25T10:05:00Z,0x80070070,disk_full,\"Setup stopped: disk full, 120 MB free\",",
    "WS-0002,windows-xp-sp2,installed,2004-08-25T10:06:00Z,,,,tech-17",
    "ghost,windows-xp-sp2,installed,2004-08-25T10:07:00Z,,,,",
    "WS-0003,windows-xp-sp2,installed,not a date,,,,",
    "",
    "WS-0004,windows-xp-sp2,downloading,2004-08-25T09:00:00Z,,,,",
  ].join("\n");

  it("stores the good rows through the ingest path, reports bad rows by line, and shows progress per batch", async () => {
    const progress: number[] = [];
    const result = await importStatusEventsCsv(fx.editor, file, { db: handle.db, batchSize: 2, onProgress: (p) => progress.push(p.rows) });
    expect(result).toMatchObject({ rows: 6, accepted: 4, duplicates: 0, stale: 0, rejected: 2 });
    expect(result.rejectedRows.map((r) => r.line)).toEqual([5, 6]);
    expect(result.rejectedRows[0].errors[0].path).toBe("device");
    expect(progress).toEqual([2, 4, 6]);
    const [failed] = await queryRows<{ message: string; alert: string }>(
      handle.db,
      sql`select message, alert::text from deployments where device_id = ${fx.devices[1].id}`,
    );
    expect(failed).toEqual({ message: "Setup stopped: disk full, 120 MB free", alert: "disk_full" });
    const [source] = await queryRows<{ sources: string[] }>(handle.db, sql`select array_agg(distinct source) as sources from status_events`);
    expect(source.sources).toEqual(["csv"]);
  });

  it("stores nothing again when the same file is imported twice, by anyone", async () => {
    const again = await importStatusEventsCsv(fx.ingestToken, file, { db: handle.db });
    expect(again).toMatchObject({ rows: 6, accepted: 0, duplicates: 4, stale: 0, rejected: 2 });
    const [row] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from status_events`);
    expect(row.n).toBe(4);
  });

  it("refuses a viewer before reading the rows", async () => {
    await expect(importStatusEventsCsv(fx.viewer, file, { db: handle.db })).rejects.toMatchObject({ status: 403 });
  });
});
