// Single sign-on against a real OpenID Connect server (the oidc-provider package, started here on
// a local port): next-auth's authorization-code flow with PKCE, state and nonce, then our mapping
// of the role claim, user creation and the session cookie.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { createRequire } from "node:module";
import path from "node:path";
import Provider from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries, users } from "@/db/schema";
import { createTestDb } from "@/db/test-db";
import { buildAuthOptions } from "./options";
import { decodeSessionToken } from "./session-cookie";

// next-auth's core handler is not in its package exports; the route handler around it needs a Next.js request.
const { AuthHandler } = createRequire(import.meta.url)(path.resolve("node_modules/next-auth/core/index.js")) as {
  AuthHandler: (params: { options: unknown; req: unknown }) => Promise<unknown>;
};

process.env.AUTH_SECRET ??= "oidc-test-secret-oidc-test-secret-0123";
const APP = "http://127.0.0.1:3998";
process.env.NEXTAUTH_URL = APP;

const ACCOUNTS: Record<string, Record<string, unknown>> = {
  alice: { sub: "alice", email: "alice@corp.test", email_verified: true, name: "Alice Admin", roles: ["rollcall-users", "admin"] },
  bob: { sub: "bob", email: "bob@corp.test", email_verified: true, name: "Bob", roles: [] },
  // Another identity whose provider vouches for the email of a local password account.
  mallory: { sub: "mallory", email: "victim@corp.test", email_verified: true, name: "Mallory", roles: ["admin"] },
};

type Jar = Map<string, string>;
function storeCookies(jar: Jar, res: Response) {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}
const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

let server: http.Server;
let issuer: string;
let handle: DbHandle;

beforeAll(async () => {
  handle = await createTestDb("pglite");
  useDbHandle(handle);
  server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "rollcall",
        client_secret: "rollcall-client-secret-for-tests-only",
        redirect_uris: [`${APP}/api/auth/callback/oidc`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "roles"] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const claims = ACCOUNTS[id];
      if (!claims) return undefined;
      return { accountId: id, claims: async () => claims };
    },
  });
  server.on("request", provider.callback());
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await handle?.close();
});

type Internal = { status?: number; redirect?: string; cookies?: { name: string; value: string }[]; body?: unknown };

async function nextAuth(options: ReturnType<typeof buildAuthOptions>, req: Record<string, unknown>, jar: Jar): Promise<Internal> {
  const res = (await AuthHandler({
    options,
    req: { headers: { host: "127.0.0.1:3998" }, query: {}, body: {}, cookies: Object.fromEntries(jar), ...req } as never,
  })) as Internal;
  for (const c of res.cookies ?? []) jar.set(c.name, c.value);
  return res;
}

/** Signs in through the provider's login and consent pages as `account`; returns next-auth's final answer. */
async function ssoSignIn(account: string, env: Record<string, string>): Promise<{ result: Internal; jar: Jar }> {
  const options = buildAuthOptions({ ...env, OIDC_ISSUER: issuer, OIDC_CLIENT_ID: "rollcall", OIDC_CLIENT_SECRET: "rollcall-client-secret-for-tests-only" });
  const appJar: Jar = new Map();
  const csrf = await nextAuth(options, { method: "GET", action: "csrf" }, appJar);
  const { csrfToken } = csrf.body as { csrfToken: string };
  const start = await nextAuth(options, { method: "POST", action: "signin", providerId: "oidc", body: { csrfToken, callbackUrl: `${APP}/` } }, appJar);
  expect(start.redirect).toMatch(new RegExp(`^${issuer}/auth\\?`));
  const authorize = new URL(start.redirect!);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("state")).toBeTruthy();
  expect(authorize.searchParams.get("nonce")).toBeTruthy();

  // Walk the provider's pages like a browser until it sends us back to the app.
  const idpJar: Jar = new Map();
  let url = authorize.toString();
  let callback: URL | null = null;
  for (let step = 0; step < 12 && !callback; step++) {
    const res = await fetch(url, { redirect: "manual", headers: { cookie: cookieHeader(idpJar) } });
    storeCookies(idpJar, res);
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get("location")!, url);
      if (next.origin === APP) callback = next;
      else url = next.toString();
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    expect(action, html.slice(0, 500)).toBeTruthy();
    const prompt = html.includes('name="login"') ? "login" : "consent";
    const body = new URLSearchParams(prompt === "login" ? { prompt, login: account, password: "irrelevant" } : { prompt });
    const post = await fetch(new URL(action!, url), {
      method: "POST",
      redirect: "manual",
      headers: { cookie: cookieHeader(idpJar), "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    storeCookies(idpJar, post);
    url = new URL(post.headers.get("location")!, url).toString();
  }
  expect(callback?.pathname).toBe("/api/auth/callback/oidc");
  const result = await nextAuth(
    options,
    { method: "GET", action: "callback", providerId: "oidc", query: Object.fromEntries(callback!.searchParams) },
    appJar,
  );
  return { result, jar: appJar };
}

describe("single sign-on with a real OIDC provider", () => {
  it("creates the user with the role from the claim and issues our session cookie", async () => {
    const { result, jar } = await ssoSignIn("alice", { OIDC_ROLE_CLAIM: "roles" });
    expect(result.redirect).toBe(`${APP}/`);
    const claims = await decodeSessionToken(jar.get("next-auth.session-token"));
    const [alice] = await handle.db.select().from(users).where(eq(users.email, "alice@corp.test"));
    expect(alice).toMatchObject({ role: "admin", name: "Alice Admin", externalId: `${issuer}|alice`, passwordHash: null });
    expect(claims).toMatchObject({ uid: alice.id, sv: alice.sessionVersion, role: "admin" });
    const audit = await handle.db.select().from(auditEntries).where(eq(auditEntries.targetId, String(alice.id)));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["user.create", "user.sign_in"]));
  });

  it("makes an identity without a recognised role a viewer, or refuses it when a role is required", async () => {
    const { result } = await ssoSignIn("bob", { OIDC_ROLE_CLAIM: "roles" });
    expect(result.redirect).toBe(`${APP}/`);
    const [bob] = await handle.db.select().from(users).where(eq(users.email, "bob@corp.test"));
    expect(bob.role).toBe("viewer");

    await handle.db.delete(users).where(eq(users.id, bob.id));
    const refused = await ssoSignIn("bob", { OIDC_ROLE_CLAIM: "roles", OIDC_ROLE_REQUIRED: "true" });
    expect(refused.result.redirect).toMatch(/error=AccessDenied/);
    expect(refused.jar.has("next-auth.session-token")).toBe(false);
    expect(await handle.db.select().from(users).where(eq(users.email, "bob@corp.test"))).toHaveLength(0);
  });

  it("refuses a disabled SSO user", async () => {
    await handle.db.update(users).set({ disabled: true }).where(eq(users.email, "alice@corp.test"));
    const { result, jar } = await ssoSignIn("alice", { OIDC_ROLE_CLAIM: "roles" });
    expect(result.redirect).toMatch(/error=AccessDenied/);
    expect(jar.has("next-auth.session-token")).toBe(false);
  });

  it("gives an identity with a local account's verified email no session for that account (nOAuth)", async () => {
    const [victim] = await handle.db.insert(users).values({ email: "victim@corp.test", role: "admin", passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$x$y" }).returning();
    const { result, jar } = await ssoSignIn("mallory", { OIDC_ROLE_CLAIM: "roles" });
    expect(result.redirect).toMatch(/error=AccessDenied/);
    expect(jar.has("next-auth.session-token")).toBe(false);
    const [after] = await handle.db.select().from(users).where(eq(users.id, victim.id));
    expect(after.externalId).toBeNull();
  });

  it("shows no OIDC provider when it is not configured", () => {
    const options = buildAuthOptions({ AUTH_SECRET: process.env.AUTH_SECRET });
    expect(options.providers.map((p) => p.id)).toEqual(["credentials"]);
  });
});
