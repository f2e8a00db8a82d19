// Without a replica nothing changes (both databases). Against a real streaming standby started here (a
// second PostgreSQL cluster in recovery from a first, both made by the test; only with TEST_DATABASE_URL,
// the PostgreSQL run of npm test): page reads go to the replica, the writer reads its own write from the
// primary, a replica falling behind or going away sends reads to the primary without a failed read, and
// a replica that recovers serves again.
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb, getDb, openPostgres, useDbHandle, type Db, type DbHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { configureReplica } from "@/db/replica";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { sharedPageData } from "@/lib/cache/page-data";
import { metrics } from "@/lib/metrics/registry";
import { getOverview } from "@/lib/overview/queries";
import { createUpdate, getUpdate, listUpdates } from "@/lib/updates/catalog";
import { makeUser } from "@/test/support/fixtures/catalog";
import { startStandbyPair, type StandbyPair } from "@/test/support/standby-cluster";
import { getReadDb, readFreshness, readSource, replicaHealth, WROTE_COOKIE, wroteLsnCookieValue, wroteLsnFromCookie } from "./replica-reads";

// Long enough for the stale-read checks after pausing replay on a busy machine, short enough to wait out.
const MAX_LAG_SECONDS = 6;

// The request's cookies as a server action or route handler sees them: what the browser sent, and what the response sets.
const jar = vi.hoisted(() => ({ incoming: new Map<string, string>(), sent: [] as { name: string; value: string; options: Record<string, unknown> }[] }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.incoming.has(name) ? { name, value: jar.incoming.get(name)! } : undefined),
    set: (name: string, value: string, options: Record<string, unknown>) => void jar.sent.push({ name, value, options }),
  }),
}));

async function waitFor<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(last, (_, v) => (typeof v === "bigint" ? String(v) : v))})`);
}

/** Which server answered: true for the standby (in recovery), false for the primary. */
async function servedByStandby(db: Db): Promise<boolean> {
  const result = await db.execute(sql`select pg_is_in_recovery() as standby`);
  return (result.rows[0] as { standby: boolean }).standby;
}

const slugsOf = async (actor: UserActor) => (await listUpdates(actor)).map((u) => u.slug);

function updateInput(slug: string) {
  return { slug, title: `Update ${slug}`, vendor: "Microsoft", product: "Windows XP", kind: "service_pack" as const, sizeBytes: 1000 };
}

describe.each(testDbKinds)("without a read replica (%s)", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    await configureReplica(null);
    editor = await makeUser(handle.db, "editor");
  });
  afterAll(() => closeDb());

  it("reads the primary, and the writer sees its write at once", async () => {
    expect(await getReadDb(editor)).toBe(await getDb());
    expect(await readSource(editor)).toEqual({ kind: "primary", reason: "no_replica" });
    await createUpdate(editor, { slug: `no-replica-${kind}`, title: "T", vendor: "V", product: "P", kind: "security", sizeBytes: 1 });
    expect((await listUpdates(editor)).map((u) => u.slug)).toContain(`no-replica-${kind}`);
    expect(await readFreshness(editor)).toBeNull();
    expect(await replicaHealth()).toBeNull();
  });
});

describe("the writer's cookie", () => {
  it("holds a WAL position; anything else counts as no cookie", () => {
    expect(wroteLsnFromCookie(wroteLsnCookieValue(0x16b374d848n))).toBe(0x16b374d848n);
    expect(wroteLsnCookieValue(0x3cef120n)).toBe("3CEF120");
    expect(wroteLsnFromCookie("0/3000060")).toBe(0x3000060n);
    expect(wroteLsnFromCookie("0%2F3000060")).toBe(0x3000060n);
    expect(wroteLsnFromCookie(undefined)).toBeNull();
    expect(wroteLsnFromCookie("'; drop table users")).toBeNull();
    expect(wroteLsnFromCookie("%E0%A4%A")).toBeNull();
  });
});

// Only where a PostgreSQL server is configured for tests: there is nothing to replicate on PGlite alone.
if (process.env.TEST_DATABASE_URL) describe("reads from a streaming replica started by the test", () => {
  let pair: StandbyPair | undefined;
  let primary: DbHandle;
  let standbyAdmin: pg.Client | undefined;
  let writer: UserActor;
  let reader: UserActor;

  beforeAll(async () => {
    const started = await startStandbyPair();
    if ("skip" in started) {
      console.warn(`[replica test] skipped: ${started.skip}`);
      return;
    }
    pair = started;
    const admin = new pg.Client({ connectionString: pair.primary.url("postgres") });
    await admin.connect();
    await admin.query("create database rollcall");
    await admin.end();
    primary = openPostgres(pair.primary.url("rollcall"), { max: 4, applicationName: "rollcall-replica-test" });
    await migrateDatabase(primary);
    useDbHandle(primary);
    writer = await makeUser(primary.db, "editor");
    reader = await makeUser(primary.db, "viewer");
    await configureReplica({ url: pair.standby.url("rollcall"), maxLagSeconds: MAX_LAG_SECONDS });
    standbyAdmin = new pg.Client({ connectionString: pair.standby.url("postgres") });
    await standbyAdmin.connect();
    standbyAdmin.on("error", () => undefined);
    // Within the lag limit is not enough here: the standby must hold the schema and the users before the first read.
    const primaryAdmin = new pg.Client({ connectionString: pair.primary.url("postgres") });
    await primaryAdmin.connect();
    const { rows: [{ lsn }] } = await primaryAdmin.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn");
    await primaryAdmin.end();
    await waitFor("the replica replayed the setup", async () => (await standbyAdmin!.query<{ ok: boolean }>("select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok", [lsn])).rows[0].ok, (ok) => ok === true, 60_000);
    await waitFor("the replica caught up", () => readSource(reader), (s) => s.kind === "replica");
  }, 120_000);

  afterAll(async () => {
    await standbyAdmin?.end().catch(() => undefined);
    await configureReplica(null);
    await closeDb();
    await pair?.cleanup();
  }, 60_000);

  it("sends page reads to the replica, the writer's to the primary until the replica holds the write, and says how fresh the numbers are", async (ctx) => {
    if (!pair) return ctx.skip();
    expect(await servedByStandby(await getReadDb(reader))).toBe(true);
    expect(await servedByStandby(await getReadDb())).toBe(true);

    // With replay paused, the replica keeps what it had: a read that reaches it cannot see what follows.
    await standbyAdmin!.query("select pg_wal_replay_pause()");
    await createUpdate(writer, updateInput("after-pause"));

    expect(await readSource(writer)).toEqual({ kind: "primary", reason: "own_write" });
    expect(await slugsOf(writer)).toContain("after-pause");
    expect((await getUpdate(writer, "after-pause")).update.slug).toBe("after-pause");
    await expect(getUpdate(reader, "after-pause")).rejects.toMatchObject({ status: 404 });

    expect((await readSource(reader)).kind).toBe("replica");
    expect(await slugsOf(reader)).not.toContain("after-pause");
    const freshness = await readFreshness(reader);
    expect(freshness).not.toBeNull();
    expect(freshness!.asOf.getTime()).toBeLessThanOrEqual(Date.now());
    expect(freshness!.lagSeconds).toBeLessThanOrEqual(MAX_LAG_SECONDS);
    expect(await readFreshness(writer)).toBeNull(); // the writer's numbers come from the primary
    // The overview's "updated" time is the replica's as-of for the reader, now for the writer.
    expect((await getOverview(reader)).generatedAt).toBe(freshness!.asOf.toISOString());
    expect(Date.parse((await getOverview(writer)).generatedAt)).toBeGreaterThan(freshness!.asOf.getTime());
    // The response to the write set a cookie with the writer's position; their next request, on an
    // instance that did not see the write, reads the primary because of it.
    const cookie = jar.sent.at(-1)!;
    expect(cookie).toMatchObject({ name: WROTE_COOKIE, options: { httpOnly: true, maxAge: MAX_LAG_SECONDS + 1 } });
    const elsewhere: UserActor = { ...writer, userId: writer.userId + 1000 };
    jar.incoming.set(WROTE_COOKIE, cookie.value);
    expect(await readSource(elsewhere)).toEqual({ kind: "primary", reason: "own_write" });
    jar.incoming.clear();
    expect((await readSource(elsewhere)).kind).toBe("replica");

    // A page read shared between viewers (lib/cache/page-data.ts) is never the replica's for the writer.
    const sharedSlugs = (actor: UserActor) => sharedPageData(actor, "update.read", "replica-test", () => slugsOf(actor));
    expect(await sharedSlugs(reader)).not.toContain("after-pause");
    expect(await sharedSlugs(writer)).toContain("after-pause");
    expect((await replicaHealth())?.status).toBe("ok");

    // Falling behind by more than the maximum lag: everyone reads the primary, and health says why.
    await waitFor("reads leave the replica that fell behind", () => readSource(reader), (s) => s.kind === "primary", (MAX_LAG_SECONDS + 5) * 1000);
    expect(await readSource(reader)).toEqual({ kind: "primary", reason: "behind" });
    expect(await slugsOf(reader)).toContain("after-pause");
    expect(await servedByStandby(await getReadDb(reader))).toBe(false);
    const health = await replicaHealth();
    expect(health?.status).toBe("behind");
    expect(health?.lagSeconds).toBeGreaterThan(MAX_LAG_SECONDS);
    expect(await metrics().registry.getSingleMetricAsString("rollcall_replica_lag_seconds")).toMatch(/^rollcall_replica_lag_seconds\{status="behind"\} \d/m);

    // Replay resumes: the replica serves again, the writer's included (it holds the write now).
    await standbyAdmin!.query("select pg_wal_replay_resume()");
    await waitFor("reads return to the replica", () => readSource(reader), (s) => s.kind === "replica");
    expect(await slugsOf(reader)).toContain("after-pause");
    expect(await servedByStandby(await getReadDb(reader))).toBe(true);
    await waitFor("the writer returns to the replica", () => readSource(writer), (s) => s.kind === "replica");
  });

  it("reads the primary while the replica is stopped, without a failed read, and the replica again once it is back", async (ctx) => {
    if (!pair) return ctx.skip();
    await waitFor("the replica serves", () => readSource(reader), (s) => s.kind === "replica");
    // Warm the replica pool so that stopping the standby also kills connections it holds.
    expect(await servedByStandby(await getReadDb(reader))).toBe(true);
    await standbyAdmin!.end().catch(() => undefined);
    standbyAdmin = undefined;
    await pair.stopStandby();

    // At once (the last probe may still say "ok"): every read is answered, by the primary.
    expect(await slugsOf(reader)).toContain("after-pause");
    expect(await servedByStandby(await getReadDb(reader))).toBe(false);
    await waitFor("the replica is reported unreachable", () => readSource(reader), (s) => s.kind === "primary" && s.reason === "unreachable");
    expect((await replicaHealth())?.status).toBe("unreachable");
    await createUpdate(writer, updateInput("while-stopped"));
    expect(await slugsOf(reader)).toContain("while-stopped");

    await pair.startStandby();
    await waitFor("reads return to the restarted replica", () => readSource(reader), (s) => s.kind === "replica");
    // Waited for rather than asserted once: on a loaded machine one probe may time out and send reads to the primary for a second.
    await waitFor("the restarted replica answers reads", async () => servedByStandby(await getReadDb(reader)), (standby) => standby);
    expect(await slugsOf(reader)).toContain("while-stopped");
    await waitFor("health reports the replica ok", () => replicaHealth(), (health) => health?.status === "ok");
  });
});
