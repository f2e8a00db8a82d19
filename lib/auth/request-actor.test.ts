import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { apiTokens, auditEntries, users } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { HttpError } from "@/lib/http/problem";
import type { UserActor } from "./actor";
import { getRequestActor, requireApiActor } from "./request-actor";
import { encodeSessionToken, SESSION_ABSOLUTE_SECONDS } from "./session-cookie";
import { createApiToken, hashToken, revokeApiToken } from "./tokens";
import { setUserDisabled, setUserRole } from "./users";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123";

const system = { kind: "system", label: "test" } as const;
const BASE = "http://127.0.0.1:3999";

function bearer(token: string, init: RequestInit = {}): Request {
  return new Request(`${BASE}/api/v1/updates`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
}

async function cookieFor(uid: number, sv: number, role: string, authTime = Math.floor(Date.now() / 1000)): Promise<string> {
  return `next-auth.session-token=${await encodeSessionToken({ uid, sv, role, authTime })}`;
}

describe.each(testDbKinds)("request actor on %s", (kind) => {
  let handle: DbHandle;
  let admin: UserActor;
  let viewerId: number;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    const [a, v, spare] = await handle.db
      .insert(users)
      .values([
        { email: "admin@example.test", role: "admin", name: "Ada" },
        { email: "viewer@example.test", role: "viewer" },
        { email: "spare-admin@example.test", role: "admin" },
      ])
      .returning();
    admin = { kind: "user", userId: a.id, email: a.email, name: a.name, role: "admin" };
    viewerId = v.id;
    expect(spare.id).toBeGreaterThan(0);
  });
  afterAll(() => handle?.close());

  it("creates a token shown once and stores only its SHA-256", async () => {
    const created = await createApiToken(admin, { name: "sccm", scopes: ["ingest", "read"] });
    expect(created.token).toMatch(/^rc_[A-Za-z0-9_-]{43}$/);
    const [row] = await handle.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row.tokenHash).toBe(hashToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    const audit = await handle.db.select().from(auditEntries).where(eq(auditEntries.action, "token.create"));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).not.toContain(created.token);
  });

  it("resolves a bearer token to a token actor with its scopes, and updates last_used_at at most once a minute", async () => {
    const { token, id } = await createApiToken(admin, { name: "reader", scopes: ["read"] });
    const actor = await getRequestActor(bearer(token));
    expect(actor).toMatchObject({ kind: "token", tokenId: id, scopes: ["read"], ownerId: admin.userId });
    const [first] = await handle.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(first.lastUsedAt).not.toBeNull();
    await getRequestActor(bearer(token));
    const [second] = await handle.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(second.lastUsedAt?.getTime()).toBe(first.lastUsedAt?.getTime());
    await expect(requireApiActor(bearer(token), "update.read")).resolves.toMatchObject({ kind: "token" });
    await expect(requireApiActor(bearer(token), "events.ingest")).rejects.toMatchObject({ status: 403 });
  });

  it("refuses malformed, unknown, revoked and expired tokens, and tokens of disabled owners", async () => {
    expect(await getRequestActor(bearer("rc_short"))).toBeNull();
    expect(await getRequestActor(bearer("rc_" + "A".repeat(43)))).toBeNull();
    expect(await getRequestActor(new Request(BASE, { headers: { authorization: "Basic abc" } }))).toBeNull();
    const revoked = await createApiToken(admin, { name: "old", scopes: ["read"] });
    await revokeApiToken(admin, { id: revoked.id });
    expect(await getRequestActor(bearer(revoked.token))).toBeNull();
    const expiring = await createApiToken(admin, { name: "short", scopes: ["read"], expiresAt: new Date(Date.now() + 60_000) });
    await handle.db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, expiring.id));
    expect(await getRequestActor(bearer(expiring.token))).toBeNull();
    const [owner] = await handle.db.insert(users).values({ email: "owner@example.test", role: "admin" }).returning();
    const ownerActor: UserActor = { kind: "user", userId: owner.id, email: owner.email, name: "", role: "admin" };
    const owned = await createApiToken(ownerActor, { name: "owned", scopes: ["read"] });
    expect(await getRequestActor(bearer(owned.token))).not.toBeNull();
    await setUserDisabled(system, { id: owner.id, disabled: true });
    expect(await getRequestActor(bearer(owned.token))).toBeNull();
    await expect(requireApiActor(bearer(owned.token), "update.read")).rejects.toMatchObject({ status: 401 });
  });

  it("does not fall back to the cookie when an Authorization header is present but bad", async () => {
    const cookie = await cookieFor(viewerId, 1, "viewer");
    const request = new Request(BASE, { headers: { authorization: "Bearer nope", cookie } });
    expect(await getRequestActor(request)).toBeNull();
  });

  it("accepts ?token= only where allowed (the feed)", async () => {
    const { token } = await createApiToken(admin, { name: "feed", scopes: ["read"] });
    const request = new Request(`${BASE}/feeds/known-issues.atom?token=${token}`);
    expect(await getRequestActor(request)).toBeNull();
    expect(await getRequestActor(request, { allowQueryToken: true })).toMatchObject({ kind: "token" });
  });

  it("resolves the session cookie against the database: role from the row, version and disabled checked", async () => {
    const [u] = await handle.db.insert(users).values({ email: "ed@example.test", role: "editor" }).returning();
    const cookie = await cookieFor(u.id, u.sessionVersion, "admin");
    const actor = await getRequestActor(new Request(BASE, { headers: { cookie } }));
    expect(actor).toMatchObject({ kind: "user", userId: u.id, role: "editor" });
    await setUserRole(system, { id: u.id, role: "viewer" });
    expect(await getRequestActor(new Request(BASE, { headers: { cookie } }))).toBeNull();
    const fresh = await cookieFor(u.id, u.sessionVersion + 1, "viewer");
    expect(await getRequestActor(new Request(BASE, { headers: { cookie: fresh } }))).toMatchObject({ role: "viewer" });
    await setUserDisabled(system, { id: u.id, disabled: true });
    expect(await getRequestActor(new Request(BASE, { headers: { cookie: fresh } }))).toBeNull();
  });

  it("ends a session 24 hours after sign-in and refuses forged cookies", async () => {
    const old = await cookieFor(viewerId, 1, "viewer", Math.floor(Date.now() / 1000) - SESSION_ABSOLUTE_SECONDS - 1);
    expect(await getRequestActor(new Request(BASE, { headers: { cookie: old } }))).toBeNull();
    expect(await getRequestActor(new Request(BASE, { headers: { cookie: "next-auth.session-token=eyJhbGciOiJub25lIn0.e30." } }))).toBeNull();
  });

  it("refuses a cookie-authenticated write from another origin, but not a bearer one", async () => {
    const [e] = await handle.db.insert(users).values({ email: "writer@example.test", role: "editor" }).returning();
    const cookie = await cookieFor(e.id, 1, "editor");
    const cross = new Request(`${BASE}/api/v1/status-events`, { method: "POST", headers: { cookie, origin: "https://evil.example", host: "127.0.0.1:3999" } });
    await expect(requireApiActor(cross, "events.ingest")).rejects.toBeInstanceOf(HttpError);
    await expect(requireApiActor(cross, "events.ingest")).rejects.toMatchObject({ status: 403 });
    const same = new Request(`${BASE}/api/v1/status-events`, { method: "POST", headers: { cookie, origin: BASE, host: "127.0.0.1:3999" } });
    await expect(requireApiActor(same, "events.ingest")).resolves.toMatchObject({ kind: "user" });
    const noOrigin = new Request(`${BASE}/api/v1/status-events`, { method: "POST", headers: { cookie, host: "127.0.0.1:3999" } });
    await expect(requireApiActor(noOrigin, "events.ingest")).rejects.toMatchObject({ status: 403 });
    const { token } = await createApiToken(admin, { name: "ingest", scopes: ["ingest"] });
    await expect(requireApiActor(bearer(token, { method: "POST", headers: { origin: "https://evil.example" } }), "events.ingest")).resolves.toMatchObject({ kind: "token" });
  });

  it("answers 401 without credentials", async () => {
    await expect(requireApiActor(new Request(BASE), "update.read")).rejects.toMatchObject({ status: 401 });
  });
});
