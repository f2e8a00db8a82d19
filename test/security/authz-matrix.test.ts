// The authorisation matrix for route handlers: every handler and method found under app/ ×
// anonymous, each role, a disabled user, an outdated session, expired / revoked / malformed
// tokens, tokens without and with the scope — run in-process against a fresh database. Expected
// outcomes come from the permission table; a new route only needs a line in RULES when it needs
// something other than "GET reads (viewer / read), writes manage (editor / manage)".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { apiTokens, users, type Role } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { TOKEN_SCOPES, type Actor, type TokenScope } from "@/lib/auth/actor";
import { can, type Action } from "@/lib/auth/permissions";
import { encodeSessionToken } from "@/lib/auth/session-cookie";
import { createApiToken } from "@/lib/auth/tokens";
import { eq } from "drizzle-orm";
import { appRoutes, concretePath, HTTP_METHODS, type AppRoute, type HttpMethod } from "../app-routes";

process.env.AUTH_SECRET ??= "matrix-secret-matrix-secret-matrix-0123";
const BASE = "http://127.0.0.1:3999";
process.env.NEXTAUTH_URL = BASE;

type Rule = Action | "public" | "skip";
/** First match wins: "METHOD /path". */
const RULES: Array<[RegExp, Rule]> = [
  [/^\w+ \/api\/auth\//, "skip"], // next-auth's own endpoints; covered by e2e/auth-*.spec.ts
  [/^GET \/api\/health$/, "public"],
  // The API description and the redirect to its readable page are for anyone.
  [/^GET \/api\/(docs|v1\/openapi\.json)$/, "public"],
  [/^GET \/api\/metrics$/, "metrics.read"],
  [/^POST \/api\/v1\/status-events$/, "events.ingest"],
  [/^POST \/api\/v1\/devices$/, "inventory.write"],
  [/^POST \/api\/v1\/rollouts\/[^/]+\/waves\/[^/]+\/actions$/, "wave.action"],
  [/^POST \/api\/v1\/rollouts\/[^/]+\/media$/, "media.record"],
  [/^POST \/api\/v1\/updates\/[^/]+\/(pause|resume)$/, "update.write"],
  [/^PUT \/api\/v1\/updates\/[^/]+\/readiness$/, "update.write"],
  [/^POST \/api\/v1\/known-issues\/[^/]+\/reports$/, "helpdesk_report.create"],
  [/^(POST|PATCH|PUT|DELETE) \/api\/v1\/known-issues/, "known_issue.write"],
  [/^GET \/feeds\//, "feed.read"],
  [/^\w+ \/api\/v1\/webhooks/, "webhook.manage"],
  [/^(GET|HEAD) \//, "dashboard.read"],
  [/^(POST|PUT|PATCH|DELETE) \//, "rollout.write"],
];

function ruleFor(method: string, path: string): Rule {
  const key = `${method} ${path}`;
  return RULES.find(([re]) => re.test(key))?.[1] ?? "skip";
}

type Credential = {
  label: string;
  headers: Record<string, string>;
  /** The actor the server should see, or null when the credential must be refused (401). */
  actor: Actor | null;
};

const handlerRoutes = appRoutes().filter((r) => r.kind === "handler");

describe("the app tree", () => {
  it("has route handlers and pages to check", () => {
    expect(handlerRoutes.length).toBeGreaterThan(1);
    expect(appRoutes().some((r) => r.kind === "page" && r.pattern === "/admin/users")).toBe(true);
  });
});

describe.each(testDbKinds)("authorisation matrix for route handlers on %s", (kind) => {
  let handle: DbHandle;
  const credentials: Credential[] = [];

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    const roles: Role[] = ["viewer", "helpdesk", "editor", "admin"];
    const now = Math.floor(Date.now() / 1000);
    credentials.push({ label: "anonymous", headers: {}, actor: null });
    let adminActor: Actor | null = null;
    for (const role of roles) {
      const [u] = await handle.db.insert(users).values({ email: `${role}@matrix.test`, role }).returning();
      const actor: Actor = { kind: "user", userId: u.id, email: u.email, name: "", role };
      if (role === "admin") adminActor = actor;
      const cookie = `next-auth.session-token=${await encodeSessionToken({ uid: u.id, sv: u.sessionVersion, role, authTime: now })}`;
      credentials.push({ label: role, headers: { cookie }, actor });
    }
    const [disabled] = await handle.db.insert(users).values({ email: "disabled@matrix.test", role: "admin", disabled: true }).returning();
    credentials.push({
      label: "disabled admin",
      headers: { cookie: `next-auth.session-token=${await encodeSessionToken({ uid: disabled.id, sv: disabled.sessionVersion, role: "admin", authTime: now })}` },
      actor: null,
    });
    const [demoted] = await handle.db.insert(users).values({ email: "demoted@matrix.test", role: "viewer", sessionVersion: 2 }).returning();
    credentials.push({
      label: "admin session from before a role change",
      headers: { cookie: `next-auth.session-token=${await encodeSessionToken({ uid: demoted.id, sv: 1, role: "admin", authTime: now })}` },
      actor: null,
    });
    credentials.push({ label: "forged cookie", headers: { cookie: "next-auth.session-token=not.a.real.jwe" }, actor: null });

    const allScopes: TokenScope[] = [...TOKEN_SCOPES];
    for (const scope of allScopes) {
      const t = await createApiToken(adminActor!, { name: `only-${scope}`, scopes: [scope] });
      credentials.push({
        label: `token with scope ${scope}`,
        headers: { authorization: `Bearer ${t.token}` },
        actor: { kind: "token", tokenId: t.id, name: t.name, scopes: [scope], ownerId: null },
      });
    }
    const expired = await createApiToken(adminActor!, { name: "expired", scopes: allScopes, expiresAt: new Date(Date.now() + 60_000) });
    await handle.db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, expired.id));
    credentials.push({ label: "expired token", headers: { authorization: `Bearer ${expired.token}` }, actor: null });
    const revoked = await createApiToken(adminActor!, { name: "revoked", scopes: allScopes });
    await handle.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, revoked.id));
    credentials.push({ label: "revoked token", headers: { authorization: `Bearer ${revoked.token}` }, actor: null });
    credentials.push({ label: "malformed token", headers: { authorization: "Bearer rc_!!" }, actor: null });
    credentials.push({ label: "basic auth", headers: { authorization: "Basic YWRtaW46YWRtaW4=" }, actor: null });
  });
  afterAll(() => handle?.close());

  async function call(route: AppRoute, method: HttpMethod, headers: Record<string, string>): Promise<Response> {
    const mod = (await import(/* @vite-ignore */ `@/${route.file}`)) as Record<string, unknown>;
    const fn = mod[method] as (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
    const url = BASE + concretePath(route);
    const body = method === "GET" || method === "HEAD" ? undefined : "[]";
    const request = new Request(url, {
      method,
      body,
      headers: { host: "127.0.0.1:3999", origin: BASE, ...(body ? { "content-type": "application/json" } : {}), ...headers },
    });
    const params = Object.fromEntries(route.params.map((p) => [p.name, p.catchAll ? ["no-such"] : `no-such-${p.name}`]));
    return fn(request, { params: Promise.resolve(params) });
  }

  it("answers every handler × credential as the permission table says", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const route of handlerRoutes) {
      const mod = (await import(/* @vite-ignore */ `@/${route.file}`)) as Record<string, unknown>;
      for (const method of HTTP_METHODS.filter((m) => typeof mod[m] === "function")) {
        const path = concretePath(route);
        const rule = ruleFor(method, route.pattern);
        if (rule === "skip") continue;
        for (const credential of credentials) {
          const res = await call(route, method, credential.headers);
          checked++;
          const where = `${method} ${route.pattern} as ${credential.label}: ${res.status}`;
          if (res.status >= 500) failures.push(`${where} (a server error)`);
          if (rule === "public") {
            if (res.status === 401 || res.status === 403) failures.push(`${where}, expected public`);
            continue;
          }
          const allowed = can(credential.actor, rule);
          if (allowed && (res.status === 401 || res.status === 403)) failures.push(`${where}, expected allowed (${rule})`);
          if (!allowed) {
            const expected = credential.actor ? 403 : 401;
            if (res.status !== expected) failures.push(`${where}, expected ${expected} (${rule}) for ${path}`);
            else if (!(res.headers.get("content-type") ?? "").includes("application/problem+json")) failures.push(`${where} without problem+json`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(credentials.length);
  });

  it("refuses a cookie-authenticated write from another origin even for an admin", async () => {
    const admin = credentials.find((c) => c.label === "admin")!;
    const failures: string[] = [];
    for (const route of handlerRoutes) {
      const mod = (await import(/* @vite-ignore */ `@/${route.file}`)) as Record<string, unknown>;
      for (const method of (["POST", "PUT", "PATCH", "DELETE"] as const).filter((m) => typeof mod[m] === "function")) {
        if (ruleFor(method, route.pattern) === "skip" || ruleFor(method, route.pattern) === "public") continue;
        for (const origin of ["https://evil.example", "null"]) {
          const res = await call(route, method, { ...admin.headers, origin });
          if (res.status !== 403) failures.push(`${method} ${route.pattern} from ${origin}: ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
