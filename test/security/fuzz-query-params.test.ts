// Fuzzed query parameters and path segments for every list, search and lookup route handler
// (fast-check): arbitrary text — unicode, NUL, lone surrogates, LIKE wildcards, backslashes,
// SQL-ish and very long values — never gets a 500, always JSON or problem+json (CSV on success),
// and a viewer, helpdesk user or read token never sees admin-only data (users' password hashes,
// API tokens, the audit log, the admin's address). Handlers are called in-process.
// (No route takes a sort key: lists have a fixed order.)
import fc from "fast-check";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries, users } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { listAuditEntries, parseAuditFilter } from "@/lib/audit/queries";
import type { Actor, UserActor } from "@/lib/auth/actor";
import { encodeSessionToken } from "@/lib/auth/session-cookie";
import { createApiToken, hashToken, listApiTokens } from "@/lib/auth/tokens";
import { listUsers } from "@/lib/auth/users";
import { createKnownIssue } from "@/lib/known-issues/actions";
import { crmIssueInput, seedKnownIssueFixture, type Fixture } from "@/test/support/fixtures/known-issues";
import { HttpError, problemFromError } from "@/lib/http/problem";

process.env.AUTH_SECRET ??= "fuzz-secret-fuzz-secret-fuzz-secret-0123";
const BASE = "http://127.0.0.1:3999";
process.env.NEXTAUTH_URL = BASE;

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const ADMIN_EMAIL = "admin-only-marker@fuzz.test";
const PASSWORD_HASH = "$argon2id$v=19$m=19456,t=2,p=1$ZnV6em1hcmtlcnNhbHQ$passwordHashMarkerNeverSent000000000";
const AUDIT_MARKER = "audit-marker-7f3c9e";

/** Values people and scanners put in query strings. */
const hostile = fc.constantFrom(
  "", " ", "%", "_", "\\", "%_\\", "%%", "\\%", "'", "''", "\"", "' OR '1'='1", "1; drop table users; --", "$1", ":id", "?",
  "\u0000", "a\u0000b", "\uD800", "\uDFFF", "\uFFFE", "😀", "Ω≈ç√", "ŝ̷̛", "\u202Egnp.exe", "\r\n", "\t", "<script>alert(1)</script>",
  "../../etc/passwd", "null", "undefined", "true", "[]", "{}", "-1", "0", "1.5", "1e309", "NaN", "Infinity", "9007199254740993",
  "99999999999999999999999", "0x80070005", "KB835935", "RC-0001", "windows-xp-sp2", "failed", "installed", "HQ", "Windows XP",
  "a".repeat(201), "x".repeat(5_000), "%".repeat(300), "AAAA", "AA==", "_w", "*", "network", "current", "history", "all", "critical",
);
const text = fc.oneof(
  { weight: 3, arbitrary: hostile },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 300 }) },
  { weight: 1, arbitrary: fc.array(hostile, { maxLength: 4 }).map((parts) => parts.join("")) },
);
/** A path segment as it arrives: percent-encoded UTF-8 (lone surrogates become U+FFFD), or malformed escapes. */
const encodeSegment = (value: string) =>
  [...new TextEncoder().encode(value)].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");
const segmentText = fc.oneof(
  { weight: 4, arbitrary: text.filter((v) => v !== "").map(encodeSegment) },
  { weight: 1, arbitrary: fc.constantFrom("%", "%FF", "%E0%A4%A", "%C0%AF", "%00", "%2e%2e", "..", "%25", "RC-0001", "1", "HQ-WS-0001") },
);
const paramsOf = (names: string[]) =>
  fc.record(Object.fromEntries(names.map((n) => [n, text])) as Record<string, fc.Arbitrary<string>>, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>;

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
/** `path` and `pathParams` get the segment percent-encoded, as Next.js hands it to the handler. */
type Target = { label: string; load: () => Promise<Handler>; path: (segment: string) => string; params: string[]; segment?: boolean; pathParams?: (segment: string) => Record<string, string> };

const handler = (file: Promise<{ GET: unknown }>) => async () => (await file).GET as Handler;

const TARGETS: Target[] = [
  { label: "GET /api/v1/devices", load: handler(import("@/app/api/v1/devices/route")), path: () => "/api/v1/devices", params: ["q", "site", "department", "os", "channel", "tag", "state", "update", "cursor", "limit"] },
  { label: "GET /api/v1/devices/{hostname}", load: handler(import("@/app/api/v1/devices/[hostname]/route")), path: (h) => `/api/v1/devices/${h}`, params: [], segment: true, pathParams: (hostname) => ({ hostname }) },
  { label: "GET /api/v1/devices/{hostname}/eligibility", load: handler(import("@/app/api/v1/devices/[hostname]/eligibility/route")), path: (h) => `/api/v1/devices/${h}/eligibility`, params: ["update"], segment: true, pathParams: (hostname) => ({ hostname }) },
  { label: "GET /api/v1/known-issues", load: handler(import("@/app/api/v1/known-issues/route")), path: () => "/api/v1/known-issues", params: ["status", "severity", "update", "app", "view", "page", "pageSize"] },
  { label: "GET /api/v1/known-issues/{id}", load: handler(import("@/app/api/v1/known-issues/[id]/route")), path: (id) => `/api/v1/known-issues/${id}`, params: [], segment: true, pathParams: (id) => ({ id }) },
  { label: "GET /api/v1/known-issues/RC-0001/impact", load: handler(import("@/app/api/v1/known-issues/[id]/impact/route")), path: () => "/api/v1/known-issues/RC-0001/impact", params: ["wave", "cursor", "limit"], pathParams: () => ({ id: "RC-0001" }) },
  { label: "GET /api/v1/search", load: handler(import("@/app/api/v1/search/route")), path: () => "/api/v1/search", params: ["q"] },
  { label: "GET /api/v1/rollouts", load: handler(import("@/app/api/v1/rollouts/route")), path: () => "/api/v1/rollouts", params: ["update"] },
  { label: "GET /api/v1/rollouts/{id}/devices.csv", load: handler(import("@/app/api/v1/rollouts/[id]/devices.csv/route")), path: (id) => `/api/v1/rollouts/${id}/devices.csv`, params: ["state", "wave", "site", "os"], segment: true, pathParams: (id) => ({ id }) },
  { label: "GET /api/v1/rollouts/{id}/progress", load: handler(import("@/app/api/v1/rollouts/[id]/progress/route")), path: (id) => `/api/v1/rollouts/${id}/progress`, params: [], segment: true, pathParams: (id) => ({ id }) },
  { label: "GET /api/v1/updates/{slug}/adoption", load: handler(import("@/app/api/v1/updates/[slug]/adoption/route")), path: (s) => `/api/v1/updates/${s}/adoption`, params: [], segment: true, pathParams: (slug) => ({ slug }) },
  { label: "GET /feeds/known-issues.atom", load: handler(import("@/app/feeds/known-issues.atom/route")), path: () => "/feeds/known-issues.atom", params: ["token"] },
];

describe.each(testDbKinds)("fuzzed query parameters on %s", (kind) => {
  let handle: DbHandle;
  let fx: Fixture;
  let admin: UserActor;
  const secrets: string[] = [];
  const callers: { label: string; headers: Record<string, string>; actor: Actor }[] = [];

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    fx = await seedKnownIssueFixture(handle.db);
    await createKnownIssue(fx.editor, crmIssueInput());
    const [adminRow] = await handle.db.insert(users).values({ email: ADMIN_EMAIL, name: "Admin", role: "admin", passwordHash: PASSWORD_HASH }).returning();
    admin = { kind: "user", userId: adminRow.id, email: adminRow.email, name: adminRow.name, role: "admin" };
    const adminToken = await createApiToken(admin, { name: "admin-only-token-name", scopes: ["read", "ingest", "inventory", "manage"] });
    await handle.db.insert(auditEntries).values({ actorUserId: admin.userId, actorLabel: ADMIN_EMAIL, action: "user.create", targetType: "user", targetId: AUDIT_MARKER, after: { note: AUDIT_MARKER } });
    secrets.push(ADMIN_EMAIL, PASSWORD_HASH, "passwordHashMarker", adminToken.token, hashToken(adminToken.token), "admin-only-token-name", AUDIT_MARKER, "passwordHash", "tokenHash");

    const now = Math.floor(Date.now() / 1000);
    for (const actor of [fx.viewer, fx.helpdesk]) {
      const [row] = await handle.db.select().from(users).where(eq(users.id, actor.userId));
      const cookie = `next-auth.session-token=${await encodeSessionToken({ uid: row.id, sv: row.sessionVersion, role: row.role, authTime: now })}`;
      callers.push({ label: actor.role, headers: { cookie }, actor });
    }
    const read = await createApiToken(admin, { name: "reader", scopes: ["read"] });
    callers.push({ label: "read token", headers: { authorization: `Bearer ${read.token}` }, actor: { kind: "token", tokenId: read.id, name: read.name, scopes: ["read"], ownerId: admin.userId } });
  });
  afterAll(() => handle?.close());

  async function bodyOf(response: Response): Promise<string> {
    return response.body ? await response.text() : "";
  }

  it.each(TARGETS.map((t) => [t.label, t] as const))("%s: never a 500, always JSON, no admin-only data", async (_, target) => {
    const GET = await target.load();
    const segment = target.segment ? segmentText : fc.constant("");
    await fc.assert(
      fc.asyncProperty(paramsOf(target.params), segment, fc.nat(callers.length - 1), async (params, seg, who) => {
        const caller = callers[who];
        const query = new URLSearchParams(params).toString();
        const url = `${BASE}${target.path(seg)}${query ? `?${query}` : ""}`;
        const response = await GET(new Request(url, { headers: { host: "127.0.0.1:3999", ...caller.headers } }), { params: Promise.resolve(target.pathParams?.(seg) ?? {}) });
        const type = response.headers.get("content-type") ?? "";
        const body = await bodyOf(response);
        const where = `${target.label} as ${caller.label}: ${url.slice(0, 300)} → ${response.status} ${body.slice(0, 200)}`;
        expect(response.status, where).toBeLessThan(500);
        if (response.status >= 400) {
          expect(type, where).toBe("application/problem+json");
          expect(JSON.parse(body).status, where).toBe(response.status);
        } else if (target.label.endsWith(".csv")) expect(type, where).toMatch(/^text\/csv/);
        else if (target.label.endsWith(".atom")) expect(type, where).toMatch(/^application\/atom\+xml/);
        else {
          expect(type, where).toMatch(/^application\/json/);
          JSON.parse(body);
        }
        for (const secret of secrets) expect(body.includes(secret), `${where} contains ${secret.slice(0, 20)}`).toBe(false);
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20040806), endOnFailure: true },
    );
  });

  it("the admin-only reads refuse a viewer and helpdesk whatever the filter, and never fail for an admin", async () => {
    await fc.assert(
      fc.asyncProperty(paramsOf(["actor", "action", "target", "from", "to", "before"]), text, async (params, q) => {
        for (const actor of [fx.viewer, fx.helpdesk, fx.editor]) {
          await expect(listAuditEntries(actor, parseAuditFilter(params))).rejects.toSatisfy((e: unknown) => e instanceof HttpError && e.status === 403);
          await expect(listUsers(actor, { q })).rejects.toSatisfy((e: unknown) => e instanceof HttpError && e.status === 403);
          await expect(listApiTokens(actor)).rejects.toSatisfy((e: unknown) => e instanceof HttpError && e.status === 403);
        }
        // An admin's odd filter is answered, or refused as a client error: never a server error.
        for (const read of [() => listAuditEntries(admin, parseAuditFilter(params)), () => listUsers(admin, { q })]) {
          const status = await read().then(
            () => 200,
            (error: unknown) => problemFromError(error).status,
          );
          expect(status, JSON.stringify({ params, q })).toBeLessThan(500);
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20040806), endOnFailure: true },
    );
  });
});
