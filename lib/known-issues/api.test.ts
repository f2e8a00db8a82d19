import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getImpact } from "@/app/api/v1/known-issues/[id]/impact/route";
import { POST as postReport } from "@/app/api/v1/known-issues/[id]/reports/route";
import { GET as getIssue, PATCH as patchIssue } from "@/app/api/v1/known-issues/[id]/route";
import { GET as listIssues, POST as createIssue } from "@/app/api/v1/known-issues/route";
import { GET as searchRoute } from "@/app/api/v1/search/route";
import { closeDb, queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { encodeSessionToken } from "@/lib/auth/session-cookie";
import { createApiToken } from "@/lib/auth/tokens";
import { CRM, crmIssueInput, seedKnownIssueFixture, type Fixture } from "@/test/support/fixtures/known-issues";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123";
const BASE = "http://127.0.0.1:3999";

describe.each(testDbKinds)("known-issue HTTP API on %s", (kind) => {
  let handle: DbHandle;
  let fx: Fixture;
  let manage: string;
  let read: string;
  let helpdeskCookie: string;

  const call = (path: string, init: RequestInit & { token?: string; cookie?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set("authorization", `Bearer ${init.token}`);
    if (init.cookie) headers.set("cookie", init.cookie);
    if (init.body) headers.set("content-type", headers.get("content-type") ?? "application/json");
    return new Request(`${BASE}${path}`, { ...init, headers });
  };
  const params = (id: string) => ({ params: Promise.resolve({ id }) });

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    fx = await seedKnownIssueFixture(handle.db);
    const system = { kind: "system", label: "test" } as const;
    manage = (await createApiToken(system, { name: "automation", scopes: ["manage", "read"] })).token;
    read = (await createApiToken(system, { name: "dashboard", scopes: ["read"] })).token;
    const token = await encodeSessionToken({ uid: fx.helpdesk.userId, sv: 1, role: "helpdesk", authTime: Math.floor(Date.now() / 1000) });
    helpdeskCookie = `next-auth.session-token=${token}`;
  });
  afterAll(() => closeDb());

  it("creates an issue with a manage token: 201, Location and the advisory id as id", async () => {
    const res = await createIssue(call("/api/v1/known-issues", { method: "POST", token: manage, body: JSON.stringify(crmIssueInput()) }));
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/v1/known-issues/RC-0001");
    const body = await res.json();
    expect(body).toMatchObject({ id: "RC-0001", status: "reported", affectedApps: [{ name: CRM, versionRange: "1.2" }] });
    expect(typeof body.createdAt).toBe("string");
  });

  it("answers 401 without credentials, 403 for a read token writing, never a 500", async () => {
    expect((await createIssue(call("/api/v1/known-issues", { method: "POST", body: "{}" }))).status).toBe(401);
    const forbidden = await createIssue(call("/api/v1/known-issues", { method: "POST", token: read, body: JSON.stringify(crmIssueInput()) }));
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("content-type")).toBe("application/problem+json");
    expect((await listIssues(call("/api/v1/known-issues"))).status).toBe(401);
  });

  it("refuses malformed JSON (400), a non-JSON body (415) and invalid fields (422 with errors[])", async () => {
    expect((await createIssue(call("/api/v1/known-issues", { method: "POST", token: manage, body: "{oops" }))).status).toBe(400);
    expect((await createIssue(call("/api/v1/known-issues", { method: "POST", token: manage, body: "[]" }))).status).toBe(400);
    const text = await createIssue(call("/api/v1/known-issues", { method: "POST", token: manage, body: "title=x", headers: { "content-type": "text/plain" } }));
    expect(text.status).toBe(415);
    const res = await createIssue(
      call("/api/v1/known-issues", {
        method: "POST",
        token: manage,
        body: JSON.stringify(crmIssueInput({ severity: "apocalyptic", fixLinks: [{ vendor: "v", title: "t", url: "javascript:alert(1)", type: "kb" }] })),
      }),
    );
    expect(res.status).toBe(422);
    const problem = await res.json();
    expect(problem).toMatchObject({ type: expect.any(String), title: expect.any(String), status: 422, detail: expect.any(String) });
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(["fixLinks.0.url", "severity"]);
  });

  it("changes status with a note via PATCH and refuses an invalid transition with a clear message", async () => {
    const ok = await patchIssue(
      call("/api/v1/known-issues/RC-0001", { method: "PATCH", token: manage, body: JSON.stringify({ status: "investigating", note: "pilot" }) }),
      params("RC-0001"),
    );
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: "RC-0001", status: "investigating", changed: ["status"] });
    const bad = await patchIssue(
      call("/api/v1/known-issues/RC-0001", { method: "PATCH", token: manage, body: JSON.stringify({ status: "resolved_external" }) }),
      params("RC-0001"),
    );
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors[0]).toMatchObject({ path: "note" });
    const unknownField = await patchIssue(
      call("/api/v1/known-issues/RC-0001", { method: "PATCH", token: manage, body: JSON.stringify({ advisoryId: "RC-0042" }) }),
      params("RC-0001"),
    );
    expect(unknownField.status).toBe(422);
    const missing = await getIssue(call("/api/v1/known-issues/RC-0404", { token: read }), params("RC-0404"));
    expect(missing.status).toBe(404);
  });

  it("lists with filters and reads one issue with a read token", async () => {
    const list = await listIssues(call("/api/v1/known-issues?status=investigating&update=windows-xp-sp2", { token: read }));
    expect(list.status).toBe(200);
    const body = await list.json();
    expect(body).toMatchObject({ total: 1, page: 1, nextPage: null });
    expect(body.items[0]).toMatchObject({ id: "RC-0001", status: "investigating" });
    expect((await listIssues(call("/api/v1/known-issues?severity=huge", { token: read }))).status).toBe(400);
    const one = await getIssue(call("/api/v1/known-issues/rc-0001", { token: read }), params("rc-0001"));
    expect((await one.json()).history.length).toBeGreaterThanOrEqual(2);
  });

  it("lets a signed-in helpdesk user file a report from this site, but not from another origin", async () => {
    const host = fx.devices.find((d) => d.apps[CRM] === "1.2")!.hostname;
    const res = await postReport(
      call("/api/v1/known-issues/RC-0001/reports", {
        method: "POST",
        cookie: helpdeskCookie,
        headers: { origin: BASE, host: "127.0.0.1:3999" },
        body: JSON.stringify({ ticket: "INC-100", hostname: host, note: "caller: Outlook add-in gone" }),
      }),
      params("RC-0001"),
    );
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ ticket: "INC-100", hostname: host });
    const crossSite = await postReport(
      call("/api/v1/known-issues/RC-0001/reports", {
        method: "POST",
        cookie: helpdeskCookie,
        headers: { origin: "https://evil.example", host: "127.0.0.1:3999" },
        body: JSON.stringify({ ticket: "INC-101", hostname: host }),
      }),
      params("RC-0001"),
    );
    expect(crossSite.status).toBe(403);
    const byToken = await postReport(
      call("/api/v1/known-issues/RC-0001/reports", { method: "POST", token: manage, body: JSON.stringify({ ticket: "INC-102", hostname: host }) }),
      params("RC-0001"),
    );
    expect(byToken.status).toBe(403);
    const [{ n }] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from helpdesk_reports`);
    expect(n).toBe(1);
  });

  it("lets a ticketing system with a report token link a ticket, and nothing else", async () => {
    const ticketing = (await createApiToken({ kind: "system", label: "test" }, { name: "servicedesk", scopes: ["report"] })).token;
    const host = fx.devices.find((d) => d.apps[CRM] === "1.2")!.hostname;
    const post = (body: unknown) =>
      postReport(call("/api/v1/known-issues/RC-0001/reports", { method: "POST", token: ticketing, body: JSON.stringify(body) }), params("RC-0001"));
    const res = await post({ ticket: "SD-2004-0815", hostname: host.toLowerCase(), note: "Outlook add-in missing" });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ ticket: "SD-2004-0815", hostname: host, advisoryId: "RC-0001", note: "Outlook add-in missing" });
    const noTicket = await post({ hostname: host });
    expect(noTicket.status).toBe(422);
    expect((await noTicket.json()).errors).toEqual([expect.objectContaining({ path: "ticket" })]);
    const unknownHost = await post({ ticket: "SD-1", hostname: "NO-SUCH-PC" });
    expect(unknownHost.status).toBe(422);
    expect((await getIssue(call("/api/v1/known-issues/RC-0001", { token: ticketing }), params("RC-0001"))).status).toBe(403);
    const [{ n }] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from helpdesk_reports where ticket_ref = 'SD-2004-0815'`);
    expect(n).toBe(1);
  });

  it("serves impact per wave and pages of affected hostnames", async () => {
    const res = await getImpact(call("/api/v1/known-issues/RC-0001/impact", { token: read }), params("RC-0001"));
    expect(res.status).toBe(200);
    const impact = await res.json();
    expect(impact.rollouts[0].waves).toHaveLength(3);
    const wave = impact.rollouts[0].waves.find((w: { affected: number }) => w.affected > 0);
    const page = await getImpact(call(`/api/v1/known-issues/RC-0001/impact?wave=${wave.waveId}&limit=100`, { token: read }), params("RC-0001"));
    expect((await page.json()).items).toHaveLength(wave.affected);
    expect((await getImpact(call("/api/v1/known-issues/RC-0001/impact?limit=1000", { token: read }), params("RC-0001"))).status).toBe(400);
  });

  it("searches with a read token", async () => {
    const res = await searchRoute(call("/api/v1/search?q=0x80070005", { token: read }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.groups[0]).toMatchObject({ kind: "error_code", label: "Error codes" });
    expect((await searchRoute(call("/api/v1/search?q=HQ"))).status).toBe(401);
  });
});
