// Every page under app/ × anonymous and each role, plus the known ways around a proxy/middleware
// check (x-middleware-subrequest, RSC and prefetch requests, encoded and trailing-slash paths):
// protected content never leaks. A new page is covered without editing this file.
import { expect, test, type APIRequest, type APIRequestContext } from "@playwright/test";
import { appRoutes, concretePath } from "../test/app-routes";
import { demoLogin, type DemoRole } from "./support/demo-logins";

const ROLES: DemoRole[] = ["viewer", "helpdesk", "editor", "admin"];
const PUBLIC_PAGES = new Set(["/login"]);
/** Pages only some roles may open; everything else under the dashboard is for every role. */
const ADMIN_ONLY = /^\/admin(\/|$)/;
/** Forms that create or change things (…/new, …/edit, …/import) are for editors and admins. */
const EDITOR_ONLY = /\/(new|edit|import)$/;

function mayOpen(role: DemoRole, pattern: string): boolean {
  if (ADMIN_ONLY.test(pattern)) return role === "admin";
  if (EDITOR_ONLY.test(pattern)) return role === "editor" || role === "admin";
  return true;
}

const pages = appRoutes().filter((r) => r.kind === "page");

async function signedInContext(playwright: { request: APIRequest }, baseURL: string, role: DemoRole): Promise<APIRequestContext> {
  const ctx = await playwright.request.newContext({ baseURL, maxRedirects: 0 });
  const { email, password } = demoLogin(role);
  const { csrfToken } = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await ctx.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true" } });
  expect(res.status(), `sign-in of ${role}`).toBe(200);
  expect(((await res.json()) as { url: string }).url).not.toContain("error=");
  return ctx;
}

test("every page answers each role as the role table says", async ({ playwright, baseURL }) => {
  test.setTimeout(240_000);
  expect(pages.length).toBeGreaterThan(3);
  const anonymous = await playwright.request.newContext({ baseURL, maxRedirects: 0 });
  const failures: string[] = [];
  for (const route of pages) {
    const path = concretePath(route);
    const res = await anonymous.get(path);
    if (PUBLIC_PAGES.has(route.pattern)) {
      if (res.status() !== 200) failures.push(`anonymous ${path}: ${res.status()}, expected 200`);
      continue;
    }
    const location = res.headers()["location"] ?? "";
    if (res.status() !== 307 || !location.includes("/login")) failures.push(`anonymous ${path}: ${res.status()} → ${location}, expected a redirect to /login`);
  }
  for (const role of ROLES) {
    const ctx = await signedInContext(playwright, baseURL!, role);
    for (const route of pages) {
      if (PUBLIC_PAGES.has(route.pattern)) continue;
      const path = concretePath(route);
      const res = await ctx.get(path);
      const allowed = mayOpen(role, route.pattern);
      // Placeholder ids answer 404 once the page has let the user in.
      const ok = allowed ? [200, 404].includes(res.status()) : res.status() === 403;
      if (!ok) failures.push(`${role} ${path}: ${res.status()}, expected ${allowed ? "200/404" : "403"}`);
    }
    await ctx.dispose();
  }
  await anonymous.dispose();
  expect(failures).toEqual([]);
});

const BYPASS_HEADERS: Record<string, Record<string, string>> = {
  "x-middleware-subrequest": { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
  "x-middleware-subrequest (middleware)": { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
  "RSC: 1": { rsc: "1" },
  "prefetch": { rsc: "1", "next-router-prefetch": "1" },
  "segment prefetch": { rsc: "1", "next-router-prefetch": "1", "next-router-segment-prefetch": "/_tree" },
  "x-forwarded-host spoof": { "x-forwarded-host": "localhost" },
};
const BYPASS_PATHS = ["/admin/users", "/admin/users/", "/admin/users?_rsc=1", "/%61dmin/users", "/admin/%75sers", "/admin//users", "/admin/users/.", "/admin/./users"];

for (const who of ["anonymous", "viewer"] as const) {
  test(`bypass variants never show the user list to ${who}`, async ({ playwright, baseURL }) => {
    const ctx = who === "anonymous" ? await playwright.request.newContext({ baseURL, maxRedirects: 0 }) : await signedInContext(playwright, baseURL!, who);
    const admin = demoLogin("admin").email;
    const leaks: string[] = [];
    for (const path of BYPASS_PATHS) {
      for (const [label, headers] of Object.entries({ none: {}, ...BYPASS_HEADERS })) {
        const res = await ctx.get(path, { headers });
        const body = await res.text();
        if (body.includes("user-row") || body.includes(admin)) leaks.push(`${path} with ${label}: ${res.status()}`);
        if (res.status() === 200 && who === "anonymous" && !body.includes("Sign in")) leaks.push(`${path} with ${label}: 200 for anonymous`);
        if (res.status() >= 500) leaks.push(`${path} with ${label}: ${res.status()}`);
      }
    }
    await ctx.dispose();
    expect(leaks).toEqual([]);
  });
}

test("security headers and cookie flags on pages and the API", async ({ playwright, baseURL }) => {
  const ctx = await playwright.request.newContext({ baseURL, maxRedirects: 0 });
  for (const path of ["/login", "/api/health", "/api/v1/overview"]) {
    const res = await ctx.get(path);
    const h = res.headers();
    if (path.startsWith("/api/")) {
      // The API renders no HTML: its policy allows nothing at all.
      expect(h["content-security-policy"], path).toContain("default-src 'none'");
    } else {
      expect(h["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      expect(h["content-security-policy"]).toContain("object-src 'none'");
    }
    expect(h["content-security-policy"]).toContain("base-uri 'none'");
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBeTruthy();
    expect(h["permissions-policy"]).toContain("camera=()");
  }
  const login = await ctx.get("/login");
  const nonce = /'nonce-([^']+)'/.exec(login.headers()["content-security-policy"])![1];
  const html = await login.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  const second = await ctx.get("/login");
  expect(second.headers()["content-security-policy"]).not.toContain(nonce);

  const api = await ctx.get("/api/v1/overview");
  expect(api.status()).toBe(401);
  expect(api.headers()["content-type"]).toContain("application/problem+json");
  const body = (await api.json()) as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(expect.arrayContaining(["type", "title", "status", "detail"]));
  await ctx.dispose();

  const signed = await signedInContext(playwright, baseURL!, "viewer");
  const state = await signed.storageState();
  const session = state.cookies.find((c) => c.name.endsWith("next-auth.session-token"));
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
  await signed.dispose();
});

test("login is throttled after 10 failures with 429 and Retry-After, and says nothing about the account", async ({ playwright, baseURL }) => {
  const ctx = await playwright.request.newContext({ baseURL, maxRedirects: 0 });
  const email = `throttle-${Date.now()}@demo.rollcall.local`;
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    const { csrfToken } = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
    // A documentation address of its own, so the per-address count does not throttle the other specs' sign-ins.
    const res = await ctx.post("/api/auth/callback/credentials", {
      form: { csrfToken, email, password: `wrong-password-${i}`, json: "true" },
      headers: { "x-forwarded-for": `198.51.100.${i + 1}` },
    });
    statuses.push(res.status());
    if (res.status() === 429) {
      expect(Number(res.headers()["retry-after"])).toBeGreaterThan(0);
      expect(res.headers()["content-type"]).toContain("application/problem+json");
    }
  }
  // next-auth answers a failed credentials sign-in with 401 and {url: …?error=CredentialsSignin}.
  expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
  expect(statuses[10]).toBe(429);
  await ctx.dispose();
});

test("an unknown rollout or update answers 404 before its page streams anything", async ({ playwright, baseURL }) => {
  const ctx = await signedInContext(playwright, baseURL!, "viewer");
  for (const path of ["/rollouts/999999", "/updates/no-such-update", "/known-issues/RC-9999"]) {
    const res = await ctx.get(path);
    expect(res.status(), path).toBe(404);
  }
  const known = await ctx.get("/updates/windows-xp-sp2");
  expect(known.status()).toBe(200);
  await ctx.dispose();
});
