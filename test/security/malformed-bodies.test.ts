// Oversized and malformed bodies to every POST/PATCH route handler: too many bytes (declared or
// streamed without a Content-Length), too many events, bad JSON, invalid UTF-8, the wrong content
// type, deeply nested JSON, NDJSON with bad lines. Each answer is a 4xx problem+json — never a
// 500 — and nothing is stored (row counts of every table a write touches stay the same).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { users } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { encodeSessionToken } from "@/lib/auth/session-cookie";
import { createApiToken } from "@/lib/auth/tokens";
import { createKnownIssue } from "@/lib/known-issues/actions";
import { seedKnownIssueFixture, crmIssueInput, SP2, type Fixture } from "@/test/support/fixtures/known-issues";
import { eq } from "drizzle-orm";

process.env.AUTH_SECRET ??= "bodies-secret-bodies-secret-bodies-0123";
const BASE = "http://127.0.0.1:3999";
process.env.NEXTAUTH_URL = BASE;

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Route = { label: string; method: "POST" | "PATCH"; path: string; params: Record<string, string>; load: () => Promise<Handler>; maxBytes: number; cookie?: boolean; perItem?: boolean };

const MB = 1024 * 1024;
const handler = (mod: Promise<Record<string, unknown>>, method: string) => async () => (await mod)[method] as Handler;

/** Bytes that are never all held in memory: `total` bytes of `fill`, in 64 KB chunks, no Content-Length. */
function streamOf(total: number, fill = "x"): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode(fill.repeat(Math.ceil(65_536 / fill.length)).slice(0, 65_536));
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(chunk.byteLength, total - sent);
      controller.enqueue(n === chunk.byteLength ? chunk : chunk.subarray(0, n));
      sent += n;
    },
  });
}

const deep = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

const TABLES = ["status_events", "deployments", "devices", "known_issues", "known_issue_history", "helpdesk_reports", "rollouts", "waves", "audit_entries", "idempotency_keys"];

describe.each(testDbKinds)("oversized and malformed bodies on %s", (kind) => {
  let handle: DbHandle;
  let fx: Fixture;
  let token: string;
  let editorCookie: string;
  let routes: Route[];

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    fx = await seedKnownIssueFixture(handle.db);
    await createKnownIssue(fx.editor, crmIssueInput());
    token = (await createApiToken({ kind: "system", label: "test" }, { name: "all", scopes: ["read", "ingest", "inventory", "manage"] })).token;
    const [editor] = await handle.db.select().from(users).where(eq(users.id, fx.editor.userId));
    editorCookie = `next-auth.session-token=${await encodeSessionToken({ uid: editor.id, sv: editor.sessionVersion, role: editor.role, authTime: Math.floor(Date.now() / 1000) })}`;
    const rollout = String(fx.rolloutId);
    const wave = String(fx.waveIds[0]);
    routes = [
      { label: "POST /api/v1/status-events", method: "POST", path: "/api/v1/status-events", params: {}, load: handler(import("@/app/api/v1/status-events/route"), "POST"), maxBytes: 10 * MB, perItem: true },
      { label: "POST /api/v1/devices", method: "POST", path: "/api/v1/devices", params: {}, load: handler(import("@/app/api/v1/devices/route"), "POST"), maxBytes: 64 * MB, perItem: true },
      { label: "POST /api/v1/known-issues", method: "POST", path: "/api/v1/known-issues", params: {}, load: handler(import("@/app/api/v1/known-issues/route"), "POST"), maxBytes: 256 * 1024 },
      { label: "PATCH /api/v1/known-issues/RC-0001", method: "PATCH", path: "/api/v1/known-issues/RC-0001", params: { id: "RC-0001" }, load: handler(import("@/app/api/v1/known-issues/[id]/route"), "PATCH"), maxBytes: 256 * 1024 },
      { label: "POST /api/v1/known-issues/RC-0001/reports", method: "POST", path: "/api/v1/known-issues/RC-0001/reports", params: { id: "RC-0001" }, load: handler(import("@/app/api/v1/known-issues/[id]/reports/route"), "POST"), maxBytes: 256 * 1024, cookie: true },
      { label: "POST /api/v1/rollouts", method: "POST", path: "/api/v1/rollouts", params: {}, load: handler(import("@/app/api/v1/rollouts/route"), "POST"), maxBytes: 1_000_000 },
      { label: "POST /api/v1/rollouts/preview", method: "POST", path: "/api/v1/rollouts/preview", params: {}, load: handler(import("@/app/api/v1/rollouts/preview/route"), "POST"), maxBytes: 1_000_000 },
      { label: "POST …/waves/{waveId}/actions", method: "POST", path: `/api/v1/rollouts/${rollout}/waves/${wave}/actions`, params: { id: rollout, waveId: wave }, load: handler(import("@/app/api/v1/rollouts/[id]/waves/[waveId]/actions/route"), "POST"), maxBytes: 64_000 },
      { label: "POST /api/v1/updates/{slug}/pause", method: "POST", path: `/api/v1/updates/${SP2}/pause`, params: { slug: SP2 }, load: handler(import("@/app/api/v1/updates/[slug]/pause/route"), "POST"), maxBytes: 16_000 },
    ];
  });
  afterAll(() => handle?.close());

  async function counts(): Promise<Record<string, number>> {
    const [row] = await queryRows<Record<string, number>>(handle.db, sql.raw(`select ${TABLES.map((t) => `(select count(*)::int from ${t}) as ${t}`).join(", ")}`));
    return row;
  }

  async function send(route: Route, body: BodyInit, headers: Record<string, string>): Promise<Response> {
    const auth = route.cookie ? { cookie: editorCookie, origin: BASE } : { authorization: `Bearer ${token}` };
    const request = new Request(BASE + route.path, { method: route.method, body, headers: { host: "127.0.0.1:3999", ...auth, ...headers }, duplex: "half" } as unknown as RequestInit);
    return (await route.load())(request, { params: Promise.resolve(route.params) });
  }

  /** Sends, then checks: the expected 4xx as problem+json, and no table changed. */
  async function expectRefused(route: Route, body: BodyInit, headers: Record<string, string>, allowed: number[], what: string) {
    const before = await counts();
    const response = await send(route, body, headers);
    const text = await response.text();
    const where = `${route.label} with ${what}: ${response.status} ${text.slice(0, 200)}`;
    expect(allowed, where).toContain(response.status);
    expect(response.headers.get("content-type"), where).toBe("application/problem+json");
    expect(JSON.parse(text), where).toMatchObject({ status: response.status, detail: expect.any(String) });
    expect(await counts(), `${where}: something was stored`).toEqual(before);
  }

  const json = { "content-type": "application/json" };

  /** Ingest and the inventory upload answer per item: every one rejected, nothing but idempotency bookkeeping stored. */
  async function expectItemsRejected(route: Route, body: string, what: string, type = "application/json") {
    const before = await counts();
    const response = await send(route, body, { "content-type": type });
    const answer = (await response.json()) as { accepted: number; rejected: { index: number; errors: { message: string }[] }[] };
    expect(response.status, what).toBe(200);
    expect(answer.accepted, what).toBe(0);
    expect(answer.rejected.length, what).toBeGreaterThan(0);
    expect({ ...(await counts()), idempotency_keys: 0 }, `${what}: something was stored`).toEqual({ ...before, idempotency_keys: 0 });
    return answer;
  }

  it("a body over the limit: 413 whether Content-Length says so, lies, or is missing", async () => {
    for (const route of routes) {
      const over = route.maxBytes + 1;
      await expectRefused(route, "[]", { ...json, "content-length": String(over) }, [413], `Content-Length ${over}`);
      await expectRefused(route, streamOf(over, "[" + "1,".repeat(10)), json, [413], `a streamed ${over}-byte body`);
      await expectRefused(route, streamOf(over, " "), { ...json, "content-length": "2" }, [413], `a ${over}-byte body declared as 2 bytes`);
    }
  });

  it("more than 10,000 events in one request: 413, as a JSON array and as NDJSON", async () => {
    const route = routes[0];
    const event = { device: fx.devices[0].hostname, update: SP2, state: "installed", occurredAt: "2004-08-25T10:00:00Z" };
    const events = Array.from({ length: 10_001 }, (_, i) => ({ ...event, eventId: `e-${i}` }));
    await expectRefused(route, JSON.stringify(events), json, [413], "10,001 events as JSON");
    await expectRefused(route, events.map((e) => JSON.stringify(e)).join("\n"), { "content-type": "application/x-ndjson" }, [413], "10,001 events as NDJSON");
  });

  it("malformed JSON, invalid UTF-8 and an empty body: 400", async () => {
    const bodies: [BodyInit, string][] = [
      ["[{", "a cut-off array"],
      ['{"title": "x",', "a cut-off object"],
      ["not json at all", "plain words"],
      ["\u0000", "a NUL byte"],
      [new Uint8Array([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d]), "invalid UTF-8"],
      ["", "an empty body"],
    ];
    for (const route of routes) {
      for (const [body, what] of bodies) await expectRefused(route, body, json, [400], what);
    }
  });

  it("the wrong content type: 415", async () => {
    for (const route of routes) {
      for (const type of ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
        const body = route.perItem ? "[]" : '{"action":"start"}';
        await expectRefused(route, body, { "content-type": type }, [415], type);
      }
    }
  });

  it("deeply nested JSON: a 4xx (ingest: every event a rejected row), never a stack overflow", async () => {
    for (const route of routes) {
      const depth = route.maxBytes < 200_000 ? 10_000 : 50_000;
      await expectRefused(route, deepObject(depth), json, [400, 413, 422], `an object nested ${depth} deep`);
      for (const [body, what] of [[deep(depth), `an array nested ${depth} deep`], [`[${deepObject(depth)}]`, `an object nested ${depth} deep in an array`]]) {
        if (route.perItem) await expectItemsRejected(route, body, what);
        else await expectRefused(route, body, json, [400, 413, 422], what);
      }
    }
  });

  it("NDJSON with bad lines: each is a rejected row with its line number; an all-bad batch stores nothing", async () => {
    const body = ['{"device":', deepObject(20_000), "[1,2", "", "null", '"just a string"'].join("\n");
    const answer = await expectItemsRejected(routes[0], body, "NDJSON with only bad lines", "application/x-ndjson");
    expect(answer.rejected.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(answer.rejected[0].errors[0].message).toMatch(/line 1 is not valid JSON/);
    expect(answer.rejected[2].errors[0].message).toMatch(/line 3 is not valid JSON/);
  });
});
