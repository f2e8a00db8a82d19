// GET and PUT /api/v1/updates/{slug}/readiness through the route handler on both databases: who may
// read and mark cells (401, 403), bad input answered as 422 problem+json with a message per field and
// nothing saved, an unknown update 404, and the wave readiness in GET /api/v1/rollouts/{id}/progress.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { createApiToken } from "@/lib/auth/tokens";
import { saveRolloutPlan } from "@/lib/rollouts/plan";
import { addDevices, addKnownIssue, makeCatalog, makeUser } from "@/test/support/fixtures/catalog";
import { GET as getReadiness, PUT as putReadiness } from "@/app/api/v1/updates/[slug]/readiness/route";
import { GET as getProgress } from "@/app/api/v1/rollouts/[id]/progress/route";

process.env.AUTH_SECRET ??= "readiness-secret-readiness-secret-0123456";
const BASE = "http://127.0.0.1:3999";

describe.each(testDbKinds)("the readiness API on %s", (kind) => {
  let handle: DbHandle;
  let slug: string;
  let read: string;
  let manage: string;
  let rolloutId: number;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    const editor = await makeUser(handle.db, "editor");
    const catalog = await makeCatalog(handle.db);
    slug = catalog.update.slug;
    await addDevices(handle.db, catalog, [
      { hostname: "PC-1", apps: [{ name: "CRM", version: "1.2" }, { name: "WinZip", version: "9.0" }] },
      { hostname: "PC-2", apps: [{ name: "CRM", version: "1.2.1" }] },
      { hostname: "PC-3", apps: [{ name: "WinZip", version: "9.0" }] },
      { hostname: "PC-4" },
    ]);
    await addKnownIssue(handle.db, catalog.update.id, { advisoryId: "RC-0001", title: "CRM add-in does not load" });
    ({ rolloutId } = await saveRolloutPlan(editor, { buildId: catalog.builds[1].id, name: "SP2", waves: [{ name: "All", targeting: {} }] }));
    read = (await createApiToken({ kind: "system", label: "test" }, { name: "reader", scopes: ["read"] })).token;
    manage = (await createApiToken({ kind: "system", label: "test" }, { name: "manager", scopes: ["manage"] })).token;
  }, 120_000);
  afterAll(() => handle?.close());

  const params = (s = slug) => ({ params: Promise.resolve({ slug: s }) });
  const get = (token: string | null, query = "", s = slug) =>
    getReadiness(new Request(`${BASE}/api/v1/updates/${s}/readiness${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }), params(s));
  const put = (token: string | null, body: unknown, s = slug) =>
    putReadiness(
      new Request(`${BASE}/api/v1/updates/${s}/readiness`, {
        method: "PUT",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      }),
      params(s),
    );
  const entries = async () => (await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from readiness_entries`))[0].n;

  it("answers the matrix to a read token, ranked by machines, and 401 / 404 / 400 otherwise", async () => {
    const res = await get(read);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.rows.map((r: { app: string; versionRange: string; machines: number }) => [r.app, r.versionRange, r.machines])).toEqual([
      ["CRM", "1.2", 2],
      ["WinZip", "9.0", 2],
    ]);
    expect(body.rows[0].cells.map((c: { build: string; status: string }) => [c.build, c.status])).toEqual([
      ["RC1", "untested"],
      ["Final", "untested"],
    ]);
    expect((await get(null)).status).toBe(401);
    expect((await get(read, "", "no-such-update")).status).toBe(404);
    const bad = await get(read, "?pageSize=500");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    const paged = await (await get(read, "?pageSize=1&page=2")).json();
    expect([paged.totalRows, paged.rows.length, paged.rows[0].app]).toEqual([2, 1, "WinZip"]);
  });

  it("refuses a cell from a read token (403) and bad cells with 422 per field, saving nothing", async () => {
    const before = await entries();
    expect((await put(read, { app: "CRM", versionRange: "1.2", build: "Final", status: "works", note: "" })).status).toBe(403);
    expect((await put(null, { app: "CRM", versionRange: "1.2", build: "Final", status: "works", note: "" })).status).toBe(401);
    const cases: [unknown, string, RegExp][] = [
      [{ app: "Lotus Notes", versionRange: "", build: "Final", status: "works", note: "" }, "app", /No app named "Lotus Notes"/],
      [{ app: "CRM", versionRange: "", build: "RC7", status: "works", note: "" }, "build", /"RC7" is not a build of .*RC1, Final/],
      [{ app: "CRM", versionRange: "1.2", build: "Final", status: "broken", note: "Toolbar gone" }, "knownIssue", /names the known issue/],
      [{ app: "CRM", versionRange: "1.2", build: "Final", status: "maybe", note: "" }, "status", /status must be one of/],
    ];
    for (const [body, path, message] of cases) {
      const res = await put(manage, body);
      expect(res.status, path).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const problem = await res.json();
      const error = problem.errors.find((e: { path: string }) => e.path === path);
      expect(error?.message, path).toMatch(message);
    }
    expect((await put(manage, { app: "CRM", build: "Final", status: "works" }, "no-such-update")).status).toBe(404);
    expect(await entries()).toBe(before);
  });

  it("marks a cell, warns about a workaround without a known issue, and the wave's readiness in the progress answer moves", async () => {
    const progress = async () => {
      const res = await getProgress(new Request(`${BASE}/api/v1/rollouts/${rolloutId}/progress`, { headers: { authorization: `Bearer ${read}` } }), {
        params: Promise.resolve({ id: String(rolloutId) }),
      });
      expect(res.status).toBe(200);
      return (await res.json()).waves[0].readiness;
    };
    expect(await progress()).toMatchObject({ machines: 4, broken: 0, untested: 3, noApps: 1, withUntestedApps: 3 });

    const broken = await put(manage, { app: "crm", versionRange: "1.2", build: "final", status: "broken", note: "Toolbar gone", knownIssue: "RC-0001" });
    expect(broken.status).toBe(200);
    expect(await broken.json()).toMatchObject({ app: "CRM", build: "Final", status: "broken", knownIssue: "RC-0001", warnings: [], previous: null });
    const workaround = await put(manage, { app: "WinZip", versionRange: "*", build: "Final", status: "works_with_workaround", note: "Run as admin" });
    expect((await workaround.json()).warnings[0]).toMatch(/should name the known issue/);
    // PC-1 carries both (worst: broken), PC-2 CRM (broken), PC-3 WinZip (workaround), PC-4 nothing.
    expect(await progress()).toMatchObject({ machines: 4, broken: 2, untested: 0, worksWithWorkaround: 1, noApps: 1, withUntestedApps: 0, build: "Final" });
    const matrix = await (await get(read)).json();
    const crmFinal = matrix.rows.find((r: { app: string; versionRange: string }) => r.app === "CRM" && r.versionRange === "1.2").cells[1];
    expect(crmFinal).toMatchObject({ status: "broken", note: "Toolbar gone", knownIssue: "RC-0001", setBy: "token:manager" });
  });
});
