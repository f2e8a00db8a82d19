// The API description is a contract: GET /api/v1/openapi.json is valid OpenAPI 3.1 (checked by an
// independent validator), names every route handler under app/api/v1 and no other, and every
// documented operation, called in-process on the demo data, answers with its documented status and
// a body its documented schema accepts; refused calls answer the documented problem+json.
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { and, asc, eq, notExists, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { builds, devices, outboxEvents, rollouts, sites, updates, users, waves, webhookDeliveries } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { TOKEN_SCOPES } from "@/lib/auth/actor";
import { encodeSessionToken } from "@/lib/auth/session-cookie";
import { createApiToken } from "@/lib/auth/tokens";
import { API_OPERATIONS, type ApiOperation } from "@/lib/openapi/operations";
import { seedDemo, SP2_SLUG } from "@/lib/seed/demo";
import { appRoutes, HTTP_METHODS } from "../app-routes";
import { GET as getDocument } from "@/app/api/v1/openapi.json/route";

process.env.AUTH_SECRET ??= "contract-secret-contract-secret-0123456";
const BASE = "http://127.0.0.1:3999";
process.env.NEXTAUTH_URL = BASE;

type Document = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>; components: { schemas: { Problem: object } } };

const keyOf = (op: Pick<ApiOperation, "method" | "path">) => `${op.method.toUpperCase()} ${op.path}`;
const v1Routes = appRoutes().filter((r) => r.kind === "handler" && r.pattern.startsWith("/api/v1/"));
const toOpenApiPath = (pattern: string) => pattern.replace(/\[([^\]]+)\]/g, "{$1}");

async function fetchDocument(): Promise<Document> {
  const res = await getDocument();
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return (await res.json()) as Document;
}

describe("the API description", () => {
  it("is valid OpenAPI 3.1 by an independent validator", async () => {
    const document = await fetchDocument();
    const validator = new Validator();
    const result = await validator.validate(document as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("describes every route handler under /api/v1, and only those", async () => {
    const handlers: string[] = [];
    for (const route of v1Routes) {
      const mod = (await import(/* @vite-ignore */ `@/${route.file}`)) as Record<string, unknown>;
      for (const method of HTTP_METHODS) if (method !== "HEAD" && typeof mod[method] === "function") handlers.push(`${method} ${toOpenApiPath(route.pattern)}`);
    }
    const documented = API_OPERATIONS.map(keyOf);
    expect({ undocumented: handlers.filter((h) => !documented.includes(h)).sort(), documentedWithoutHandler: documented.filter((d) => !handlers.includes(d)).sort() }).toEqual({
      undocumented: [],
      documentedWithoutHandler: [],
    });
  });

  it("documents bearer and cookie security and problem+json errors on every protected operation", async () => {
    const document = (await fetchDocument()) as unknown as { components: { securitySchemes: Record<string, unknown> }; paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, { content?: Record<string, unknown> }> }>> };
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(["bearerToken", "sessionCookie"]);
    for (const op of API_OPERATIONS.filter((o) => o.access !== "public")) {
      const described = document.paths[op.path][op.method];
      expect(described.security.length, keyOf(op)).toBeGreaterThan(0);
      expect(Object.keys(described.responses["401"].content ?? {}), keyOf(op)).toEqual(["application/problem+json"]);
    }
  });
});

describe.each(testDbKinds)("every documented operation answers as documented, on %s", (kind) => {
  let handle: DbHandle;
  let token: string;
  let document: Document;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const state: Record<string, string> = {};
  /** What to send per operation: path parameters, query, body (JSON unless contentType). */
  type Call = { params?: Record<string, string>; query?: Record<string, string>; body?: unknown; asAdmin?: boolean };
  const recipes = new Map<string, () => Call | Promise<Call>>();
  let adminCookie: string;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    await seedDemo(handle.db);
    document = await fetchDocument();
    token = (await createApiToken({ kind: "system", label: "test" }, { name: "contract", scopes: [...TOKEN_SCOPES] })).token;
    // Webhooks are for signed-in admins only (no token scope grants them).
    const [admin] = await handle.db.insert(users).values({ email: "contract-admin@rollcall.test", role: "admin" }).returning();
    adminCookie = `next-auth.session-token=${await encodeSessionToken({ uid: admin.id, sv: admin.sessionVersion, role: "admin", authTime: Math.floor(Date.now() / 1000) })}`;

    const [rollout] = await handle.db.select({ id: rollouts.id }).from(rollouts).innerJoin(updates, eq(updates.id, rollouts.updateId)).where(eq(updates.slug, SP2_SLUG)).limit(1);
    const [device] = await handle.db.select({ hostname: devices.hostname }).from(devices).orderBy(asc(devices.id)).limit(1);
    const [site] = await handle.db.select({ name: sites.name }).from(sites).limit(1);
    // A build of an update nobody plans yet: the contract's own rollout starts there.
    const [freeBuild] = await handle.db
      .select({ id: builds.id })
      .from(builds)
      .where(notExists(handle.db.select({ one: sql`1` }).from(rollouts).where(and(eq(rollouts.updateId, builds.updateId)))))
      .limit(1);
    Object.assign(state, { rollout: String(rollout.id), hostname: device.hostname, site: site.name, freeBuild: String(freeBuild?.id ?? "") });
    const plan = () => ({ buildId: Number(state.freeBuild), name: "Contract pilot", waves: [{ name: "Pilot", targeting: { hostnames: [state.hostname] } }] });

    recipes.set("GET /api/v1/updates/{slug}", () => ({ params: { slug: SP2_SLUG } }));
    recipes.set("GET /api/v1/updates/{slug}/adoption", () => ({ params: { slug: SP2_SLUG } }));
    recipes.set("GET /api/v1/updates/{slug}/readiness", () => ({ params: { slug: SP2_SLUG }, query: { page: "1" } }));
    recipes.set("PUT /api/v1/updates/{slug}/readiness", () => ({ params: { slug: SP2_SLUG }, body: { app: "WinZip", versionRange: "9.0", build: "Final", status: "works", note: "Contract: opens archives." } }));
    recipes.set("POST /api/v1/updates/{slug}/slips", () => ({ params: { slug: SP2_SLUG }, body: { plannedDate: "2099-01-01", note: "Contract: the vendor slips again." } }));
    recipes.set("POST /api/v1/updates/{slug}/pause", () => ({ params: { slug: SP2_SLUG }, body: { reason: "Contract: emergency stop", until: new Date(Date.now() + 3_600_000).toISOString() } }));
    recipes.set("POST /api/v1/updates/{slug}/resume", () => ({ params: { slug: SP2_SLUG } }));
    recipes.set("GET /api/v1/rollouts", () => ({ query: { update: SP2_SLUG } }));
    recipes.set("POST /api/v1/rollouts", () => ({ body: plan() }));
    recipes.set("POST /api/v1/rollouts/preview", () => ({ body: plan() }));
    recipes.set("GET /api/v1/rollouts/{id}/progress", () => ({ params: { id: state.rollout } }));
    recipes.set("GET /api/v1/rollouts/{id}/dashboard", () => ({ params: { id: state.rollout } }));
    recipes.set("GET /api/v1/rollouts/{id}/devices.csv", () => ({ params: { id: state.rollout } }));
    recipes.set("POST /api/v1/rollouts/{id}/waves/{waveId}/actions", () => ({ params: { id: state.createdRollout, waveId: state.createdWave }, body: { action: "start" } }));
    recipes.set("POST /api/v1/rollouts/{id}/cancel", async () => {
      // A draft of its own, so the rollouts the other operations use stay as they are.
      const [created] = await handle.db.select({ updateId: rollouts.updateId, buildId: rollouts.buildId }).from(rollouts).where(eq(rollouts.id, Number(state.rollout)));
      const [draft] = await handle.db.insert(rollouts).values({ ...created, name: "Contract: to cancel", status: "draft" }).returning({ id: rollouts.id });
      return { params: { id: String(draft.id) }, body: { reason: "Contract: the vendor withdrew the build." } };
    });
    recipes.set("PUT /api/v1/rollouts/{id}/waves/{waveId}/blocking-issues", () => ({ params: { id: state.createdRollout, waveId: state.createdWave }, body: { ids: [] } }));
    recipes.set("POST /api/v1/rollouts/{id}/promote", async () => {
      // The contract's own rollout moves to a build added after the one it started with.
      const [created] = await handle.db.select({ updateId: rollouts.updateId }).from(rollouts).where(eq(rollouts.id, Number(state.createdRollout)));
      await handle.db.insert(builds).values({ updateId: created.updateId, name: "Contract refresh", version: "9.9.9.9", kind: "final" });
      return { params: { id: state.createdRollout }, body: { build: "contract refresh", note: "Contract: the vendor's refresh." } };
    });
    recipes.set("POST /api/v1/rollouts/{id}/media", () => ({
      params: { id: state.rollout },
      query: { dryRun: "true" },
      body: { hostnames: [state.hostname, "NO-SUCH-PC"], step: "posted", date: new Date().toISOString().slice(0, 10), batch: "Contract batch" },
    }));
    recipes.set("GET /api/v1/rollouts/{id}/media.csv", () => ({ params: { id: state.rollout } }));
    recipes.set("GET /api/v1/devices", () => ({ query: { site: state.site } }));
    recipes.set("POST /api/v1/devices", () => ({
      body: [{ hostname: "CONTRACT-01", os: "Windows XP", osVersion: "5.1", site: state.site, channel: "network", tags: ["contract"], apps: [{ name: "Contract CRM", version: "1.0" }] }],
    }));
    recipes.set("GET /api/v1/devices/{hostname}", () => ({ params: { hostname: state.hostname } }));
    recipes.set("GET /api/v1/devices/{hostname}/eligibility", () => ({ params: { hostname: state.hostname }, query: { update: SP2_SLUG } }));
    recipes.set("POST /api/v1/status-events", () => ({
      body: [{ device: state.hostname, update: SP2_SLUG, state: "downloading", occurredAt: new Date().toISOString(), eventId: `contract-${kind}` }],
    }));
    recipes.set("GET /api/v1/known-issues", () => ({ query: { view: "all" } }));
    recipes.set("POST /api/v1/known-issues", () => ({ body: { title: "Contract: printer driver fails", update: SP2_SLUG, severity: "medium", symptoms: "Nothing prints." } }));
    recipes.set("GET /api/v1/known-issues/{id}", () => ({ params: { id: "RC-0001" } }));
    recipes.set("PATCH /api/v1/known-issues/{id}", () => ({ params: { id: state.createdIssue }, body: { severity: "high", status: "investigating", note: "Seen on three machines." } }));
    recipes.set("POST /api/v1/known-issues/{id}/reports", () => ({ params: { id: "RC-0001" }, body: { ticket: "SD-1", hostname: state.hostname, note: "Caller" } }));
    recipes.set("GET /api/v1/known-issues/{id}/impact", () => ({ params: { id: "RC-0001" } }));
    recipes.set("GET /api/v1/search", () => ({ query: { q: "RC-0001" } }));
    recipes.set("GET /api/v1/webhooks", () => ({ asAdmin: true }));
    recipes.set("POST /api/v1/webhooks", () => ({ asAdmin: true, body: { url: "https://chat.example.test/hooks/rollcall", events: ["*"], format: "json" } }));
    recipes.set("GET /api/v1/webhooks/{id}/deliveries", () => ({ asAdmin: true, params: { id: state.createdWebhook } }));
    recipes.set("POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", async () => {
      // A delivery that gave up, as the dispatcher leaves one after 24 h of failures.
      const [event] = await handle.db.insert(outboxEvents).values({ type: "wave.halted", occurredAt: new Date(), data: {}, link: `${BASE}/rollouts/1`, fannedOutAt: new Date() }).returning();
      const [delivery] = await handle.db
        .insert(webhookDeliveries)
        .values({ eventId: event.id, webhookId: Number(state.createdWebhook), status: "dead", attempts: 9, retryUntil: new Date(), deadAt: new Date() })
        .returning();
      return { asAdmin: true, params: { id: state.createdWebhook, deliveryId: String(delivery.id) } };
    });
    recipes.set("DELETE /api/v1/webhooks/{id}", () => ({ asAdmin: true, params: { id: state.createdWebhook } }));
  }, 300_000);
  afterAll(() => handle?.close());

  async function call(op: ApiOperation, recipe: Call, headers: Record<string, string>): Promise<Response> {
    const route = v1Routes.find((r) => toOpenApiPath(r.pattern) === op.path)!;
    const mod = (await import(/* @vite-ignore */ `@/${route.file}`)) as Record<string, (req: Request, ctx: unknown) => Promise<Response>>;
    const params = Object.fromEntries(route.params.map((p) => [p.name, recipe.params?.[p.name] ?? `no-such-${p.name}`]));
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]));
    const url = `${BASE}${path}${recipe.query ? `?${new URLSearchParams(recipe.query)}` : ""}`;
    const init: RequestInit = { method: op.method.toUpperCase(), headers: { host: "127.0.0.1:3999", ...headers } };
    if (recipe.body !== undefined) {
      init.body = JSON.stringify(recipe.body);
      (init.headers as Record<string, string>)["content-type"] = "application/json";
    }
    return mod[op.method.toUpperCase()](new Request(url, init), { params: Promise.resolve(params) });
  }

  let problems: string[] = [];
  beforeEach(() => {
    problems = [];
  });
  const check = (where: string, schema: object, body: unknown) => {
    const validate = ajv.compile(schema);
    if (!validate(body)) problems.push(`${where}: ${ajv.errorsText(validate.errors, { separator: "; " })}`);
  };

  it("answers each operation with its documented status and a body its schema accepts", async () => {
    for (const op of API_OPERATIONS) {
      const recipe = (await recipes.get(keyOf(op))?.()) ?? {};
      const res = await call(op, recipe, recipe.asAdmin ? { cookie: adminCookie, origin: BASE } : { authorization: `Bearer ${token}` });
      const where = `${keyOf(op)} → ${res.status}`;
      const documented = document.paths[op.path][op.method].responses[String(op.success.status)];
      if (res.status !== op.success.status) {
        problems.push(`${where}, documented ${op.success.status}: ${await res.text()}`);
        continue;
      }
      if (!documented.content) {
        expect(await res.text(), where).toBe("");
        continue;
      }
      const [contentType, { schema }] = Object.entries(documented.content)[0];
      expect(res.headers.get("content-type") ?? "", where).toContain(contentType);
      if (contentType === "application/json") {
        const body = await res.json();
        check(where, schema, body);
        if (op.path === "/api/v1/rollouts" && op.method === "post") {
          state.createdRollout = String(body.rolloutId);
          const [wave] = await handle.db.select({ id: waves.id }).from(waves).where(eq(waves.rolloutId, body.rolloutId)).orderBy(asc(waves.position)).limit(1);
          state.createdWave = String(wave.id);
        }
        if (op.path === "/api/v1/known-issues" && op.method === "post") state.createdIssue = body.id;
        if (op.path === "/api/v1/webhooks" && op.method === "post") state.createdWebhook = String(body.id);
      } else {
        expect((await res.text()).length, where).toBeGreaterThan(0);
      }
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it("answers refused calls with the documented problem+json", async () => {
    for (const op of API_OPERATIONS.filter((o) => o.access !== "public")) {
      const res = await call(op, { params: Object.fromEntries([...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name, "1"])) }, {});
      const where = `${keyOf(op)} without credentials → ${res.status}`;
      expect(res.status, where).toBe(401);
      expect(res.headers.get("content-type"), where).toBe("application/problem+json");
      check(where, document.components.schemas.Problem, await res.json());
    }
    const invalid = API_OPERATIONS.find((o) => o.path === "/api/v1/known-issues/{id}/reports")!;
    const res = await call(invalid, { params: { id: "RC-0001" }, body: { hostname: "" } }, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(422);
    check("422 of POST …/reports", document.components.schemas.Problem, await res.json());
    expect(problems).toEqual([]);
  });
});
