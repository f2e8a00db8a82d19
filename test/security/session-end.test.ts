// Issue #14 items 4 and 8: signing out ends the session on the server (a replayed cookie is
// refused), /api/auth/session reports the role from the database rather than from the cookie, and
// a malformed callbackUrl gets a 4xx instead of a 500.
import { createRequire } from "node:module";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as authPost, GET as authGet } from "@/app/api/auth/[...nextauth]/route";
import { useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries, users } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { safeRedirect } from "@/lib/auth/callback-url";
import { buildAuthOptions } from "@/lib/auth/options";
import { getRequestActor, requireApiActor } from "@/lib/auth/request-actor";
import { encodeSessionToken } from "@/lib/auth/session-cookie";
import { createUser } from "@/lib/auth/users";

// next-auth's core handler is not in its package exports; the route handler around it needs a Next.js request.
const { AuthHandler } = createRequire(import.meta.url)(path.resolve("node_modules/next-auth/core/index.js")) as {
  AuthHandler: (params: { options: unknown; req: unknown }) => Promise<unknown>;
};

process.env.AUTH_SECRET ??= "session-end-secret-session-end-secret-01";
const APP = "http://127.0.0.1:3997";
process.env.NEXTAUTH_URL = APP;
const system = { kind: "system", label: "test" } as const;
const PASSWORD = "violet staple mountain 42";

type Jar = Map<string, string>;
type Internal = { status?: number; redirect?: string; cookies?: { name: string; value: string }[]; body?: unknown };

async function nextAuth(req: Record<string, unknown>, jar: Jar): Promise<Internal> {
  const res = (await AuthHandler({
    options: buildAuthOptions(),
    req: { headers: { host: "127.0.0.1:3997" }, query: {}, body: {}, cookies: Object.fromEntries(jar), ...req } as never,
  })) as Internal;
  for (const c of res.cookies ?? []) jar.set(c.name, c.value);
  return res;
}

async function signIn(email: string): Promise<Jar> {
  const jar: Jar = new Map();
  const { csrfToken } = (await nextAuth({ method: "GET", action: "csrf" }, jar)).body as { csrfToken: string };
  const result = await nextAuth(
    { method: "POST", action: "callback", providerId: "credentials", body: { csrfToken, email, password: PASSWORD, callbackUrl: `${APP}/` } },
    jar,
  );
  expect(result.redirect).toBe(`${APP}/`);
  expect(jar.get("next-auth.session-token")).toBeTruthy();
  return jar;
}

function apiRequest(jar: Jar, init: RequestInit = {}): Request {
  return new Request(`${APP}/api/v1/updates`, { ...init, headers: { cookie: `next-auth.session-token=${jar.get("next-auth.session-token")}`, ...(init.headers ?? {}) } });
}

describe.each(testDbKinds)("sessions end on the server on %s", (kind) => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    await createUser(system, { email: "leaver@example.test", role: "editor", password: PASSWORD });
    await createUser(system, { email: "viewer@example.test", role: "viewer", password: PASSWORD });
  });
  afterAll(() => handle?.close());

  it("refuses the signed-out cookie when it is replayed (API 401, session endpoint empty)", async () => {
    const jar = await signIn("leaver@example.test");
    const stolen = new Map(jar);
    await expect(requireApiActor(apiRequest(stolen), "update.read")).resolves.toMatchObject({ kind: "user", email: "leaver@example.test" });

    const { csrfToken } = (await nextAuth({ method: "GET", action: "csrf" }, jar)).body as { csrfToken: string };
    const out = await nextAuth({ method: "POST", action: "signout", body: { csrfToken, callbackUrl: `${APP}/login` } }, jar);
    expect(out.redirect).toBe(`${APP}/login`);

    await expect(requireApiActor(apiRequest(stolen), "update.read")).rejects.toMatchObject({ status: 401 });
    expect(await getRequestActor(apiRequest(stolen))).toBeNull();
    const session = await nextAuth({ method: "GET", action: "session" }, new Map(stolen));
    expect(session.body).toEqual({});
    const [audit] = await handle.db.select().from(auditEntries).where(eq(auditEntries.action, "user.sign_out"));
    expect(audit).toMatchObject({ actorLabel: "leaver@example.test" });

    // Signing in again works.
    const again = await signIn("leaver@example.test");
    await expect(requireApiActor(apiRequest(again), "update.read")).resolves.toMatchObject({ kind: "user" });
  });

  it("reports the role from the database on /api/auth/session, not the one in the cookie", async () => {
    const [viewer] = await handle.db.select().from(users).where(eq(users.email, "viewer@example.test"));
    const forged = await encodeSessionToken({ uid: viewer.id, sv: viewer.sessionVersion, role: "admin", authTime: Math.floor(Date.now() / 1000) });
    const session = await nextAuth({ method: "GET", action: "session" }, new Map([["next-auth.session-token", forged]]));
    expect(session.body).toMatchObject({ user: { id: viewer.id, role: "viewer" } });

    await handle.db.update(users).set({ disabled: true }).where(eq(users.id, viewer.id));
    const disabled = await nextAuth({ method: "GET", action: "session" }, new Map([["next-auth.session-token", forged]]));
    expect(disabled.body).toEqual({});
    await handle.db.update(users).set({ disabled: false }).where(eq(users.id, viewer.id));
  });
});

describe("malformed callbackUrl", () => {
  const context = (...nextauth: string[]) => ({ params: Promise.resolve({ nextauth }) });

  it("answers 400 for one in the query, the form or the cookie (which it clears), never 500", async () => {
    for (const bad of ["http://[::1", "javascript:alert(1)", "https://exa mple.test:99999/"]) {
      const query = await authGet(new Request(`${APP}/api/auth/signin?callbackUrl=${encodeURIComponent(bad)}`), context("signin"));
      expect(query.status, bad).toBe(400);
      const form = await authPost(
        new Request(`${APP}/api/auth/callback/credentials`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ csrfToken: "x", email: "a@example.test", password: "x", callbackUrl: bad }),
        }),
        context("callback", "credentials"),
      );
      expect(form.status, bad).toBe(400);
      const cookie = await authGet(
        new Request(`${APP}/api/auth/session`, { headers: { cookie: `next-auth.callback-url=${encodeURIComponent(bad)}` } }),
        context("session"),
      );
      expect(cookie.status, bad).toBe(400);
      expect(cookie.headers.get("set-cookie")).toMatch(/^next-auth\.callback-url=; Path=\/; Max-Age=0/);
    }
  });

  it("sends other sites and unparsable addresses home", () => {
    const baseUrl = APP;
    expect(safeRedirect({ url: "/rollouts/1", baseUrl })).toBe(`${APP}/rollouts/1`);
    expect(safeRedirect({ url: `${APP}/x`, baseUrl })).toBe(`${APP}/x`);
    for (const url of ["https://evil.example/", "//evil.example", "/\\evil.example", "http://[::1", "not a url"]) {
      expect(safeRedirect({ url, baseUrl }), url).toBe(baseUrl);
    }
  });
});
