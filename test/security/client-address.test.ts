// Issue #14 item 3: X-Forwarded-For and X-Forwarded-Host count only when TRUST_PROXY says a reverse
// proxy wrote them. With TRUST_PROXY=0 (the default) a direct client can neither reset nor move
// the per-address throttle, nor write a made-up address into the audit log; the CSRF origin check
// compares with NEXTAUTH_URL only, so a forged X-Forwarded-Host does not make a foreign origin ours.
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import type { CredentialsConfig } from "next-auth/providers/credentials";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries, loginAttempts, users } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { CLIENT_ADDRESS_ENV, CLIENT_ADDRESS_HEADER, clientIpFromHeaders } from "@/lib/auth/client-ip";
import { buildAuthOptions } from "@/lib/auth/options";
import { requireApiActor } from "@/lib/auth/request-actor";
import { encodeSessionToken } from "@/lib/auth/session-cookie";
import { THROTTLE_MAX_FAILURES } from "@/lib/auth/throttle";
import { createUser } from "@/lib/auth/users";
import { readServerEnv } from "@/lib/server/env";

process.env.AUTH_SECRET ??= "client-address-secret-client-address-0123";
const BASE = "http://127.0.0.1:3996";
const system = { kind: "system", label: "test" } as const;
const PASSWORD = "violet staple mountain 42";
const SOCKET = "192.0.2.5";

const saved = { trust: process.env.TRUST_PROXY, flag: process.env[CLIENT_ADDRESS_ENV], url: process.env.NEXTAUTH_URL };
function serveAs(trustProxy: string | undefined) {
  if (trustProxy === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = trustProxy;
  // What scripts/client-address.cjs does inside `npm start`.
  process.env[CLIENT_ADDRESS_ENV] = CLIENT_ADDRESS_HEADER;
  process.env.NEXTAUTH_URL = BASE;
}
afterEach(() => {
  for (const [key, value] of [["TRUST_PROXY", saved.trust], [CLIENT_ADDRESS_ENV, saved.flag], ["NEXTAUTH_URL", saved.url]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/** The credentials provider's authorize(), as next-auth calls it with the request's headers. */
function authorize(email: string, password: string, headers: Record<string, string>) {
  const provider = buildAuthOptions().providers.find((p) => p.id === "credentials") as unknown as { options: CredentialsConfig };
  return provider.options.authorize({ email, password }, { headers } as never);
}

describe("client address", () => {
  const headers = (xff: string) => new Headers({ "x-forwarded-for": xff, [CLIENT_ADDRESS_HEADER]: SOCKET });

  it("is the socket address with TRUST_PROXY=0 (default), whatever X-Forwarded-For says", () => {
    serveAs(undefined);
    expect(clientIpFromHeaders(headers("203.0.113.9"))).toBe(SOCKET);
    serveAs("0");
    expect(clientIpFromHeaders(headers("6.6.6.6, 203.0.113.9"))).toBe(SOCKET);
    expect(clientIpFromHeaders(new Headers({ [CLIENT_ADDRESS_HEADER]: `::ffff:${SOCKET}` }))).toBe(SOCKET);
  });

  it("is the Nth address from the right of X-Forwarded-For with TRUST_PROXY=N", () => {
    serveAs("1");
    expect(clientIpFromHeaders(headers("6.6.6.6, 203.0.113.9"))).toBe("203.0.113.9");
    serveAs("2");
    expect(clientIpFromHeaders(headers("6.6.6.6, 203.0.113.9, 10.0.0.2"))).toBe("203.0.113.9");
    serveAs("1");
    expect(clientIpFromHeaders(new Headers({ [CLIENT_ADDRESS_HEADER]: SOCKET }))).toBe(SOCKET);
  });

  it("refuses a wrong TRUST_PROXY at start with a message naming it", () => {
    for (const value of ["yes", "-1", "1.5", "99"]) expect(() => readServerEnv({ TRUST_PROXY: value }), value).toThrow(/^TRUST_PROXY: /);
    expect(readServerEnv({}).trustProxy).toBe(0);
    expect(readServerEnv({ TRUST_PROXY: "2" }).trustProxy).toBe(2);
  });

  it("npm start's server wrapper overwrites a client's copy of the header with the socket address", async () => {
    const script = `
      const http = require("node:http");
      const server = http.createServer((req, res) => res.end(String(req.headers["${CLIENT_ADDRESS_HEADER}"]) + " " + process.env.${CLIENT_ADDRESS_ENV}));
      server.listen(0, "127.0.0.1", () => console.log(server.address().port));`;
    const child = spawn(process.execPath, ["--require", path.resolve("scripts/client-address.cjs"), "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
      const port = Number(chunk.toString().trim());
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { [CLIENT_ADDRESS_HEADER]: "203.0.113.66", "x-forwarded-for": "203.0.113.66" } });
      expect(await res.text()).toBe(`127.0.0.1 ${CLIENT_ADDRESS_HEADER}`);
    } finally {
      child.kill();
    }
  });
});

describe.each(testDbKinds)("forwarded headers and sign-in on %s", (kind) => {
  let handle: DbHandle;
  let userId: number;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    ({ user: { id: userId } } = await createUser(system, { email: "someone@example.test", role: "editor", password: PASSWORD }));
  });
  afterAll(() => handle?.close());

  it("TRUST_PROXY=0: a client changing X-Forwarded-For on every guess is still throttled by its own address", async () => {
    serveAs("0");
    await handle.db.delete(loginAttempts);
    for (let i = 0; i < THROTTLE_MAX_FAILURES; i++) {
      await authorize(`nobody${i}@example.test`, "wrong", { "x-forwarded-for": `198.51.100.${i + 1}`, [CLIENT_ADDRESS_HEADER]: SOCKET });
    }
    const attempts = await handle.db.select().from(loginAttempts);
    expect(new Set(attempts.map((a) => a.ip))).toEqual(new Set([SOCKET]));
    // The right password from the same socket is refused now; someone else's address is not throttled.
    expect(await authorize("someone@example.test", PASSWORD, { "x-forwarded-for": "198.51.100.200", [CLIENT_ADDRESS_HEADER]: SOCKET })).toBeNull();
    expect(await authorize("someone@example.test", PASSWORD, { "x-forwarded-for": SOCKET, [CLIENT_ADDRESS_HEADER]: "192.0.2.77" })).toMatchObject({ email: "someone@example.test" });
  });

  it("TRUST_PROXY=0 writes the socket address into the audit log; TRUST_PROXY=1 the proxy's client address", async () => {
    await handle.db.delete(loginAttempts);
    serveAs("0");
    await authorize("someone@example.test", PASSWORD, { "x-forwarded-for": "203.0.113.50", [CLIENT_ADDRESS_HEADER]: "192.0.2.61" });
    serveAs("1");
    await authorize("someone@example.test", PASSWORD, { "x-forwarded-for": "203.0.113.50, 203.0.113.51", [CLIENT_ADDRESS_HEADER]: "10.0.0.2" });
    const signIns = await handle.db
      .select({ ip: auditEntries.ip })
      .from(auditEntries)
      .where(and(eq(auditEntries.action, "user.sign_in"), eq(auditEntries.targetId, String(userId))))
      .orderBy(auditEntries.id);
    expect(signIns.slice(-2).map((a) => a.ip)).toEqual(["192.0.2.61", "203.0.113.51"]);
  });

  it("refuses a cookie-authenticated write whose Origin matches only a forged X-Forwarded-Host, with TRUST_PROXY 0 or 1", async () => {
    const [row] = await handle.db.select().from(users).where(eq(users.id, userId));
    const cookie = `next-auth.session-token=${await encodeSessionToken({ uid: row.id, sv: row.sessionVersion, role: row.role, authTime: Math.floor(Date.now() / 1000) })}`;
    const post = (h: Record<string, string>) => new Request(`${BASE}/api/v1/status-events`, { method: "POST", headers: { cookie, host: "127.0.0.1:3996", ...h } });
    for (const trust of ["0", "1"]) {
      serveAs(trust);
      await expect(
        requireApiActor(post({ origin: "https://evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" }), "events.ingest"),
        trust,
      ).rejects.toMatchObject({ status: 403 });
      await expect(requireApiActor(post({ origin: "http://evil.example", host: "evil.example" }), "events.ingest"), trust).rejects.toMatchObject({ status: 403 });
      await expect(requireApiActor(post({ origin: BASE }), "events.ingest"), trust).resolves.toMatchObject({ kind: "user" });
    }
  });
});
