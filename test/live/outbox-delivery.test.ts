// The outbox with real server processes (the production build started as operators start it,
// test/reliability/server.ts) and real receivers: an HTTP receiver and an SMTP server
// (test/support/smtp-receiver.ts) that each count what they get per event id.
//  (a) Both receivers down, changes made through the API, the server killed with kill -9 while the
//      deliveries wait for their retry; the receivers come up, the server restarts: every event is
//      delivered, once, to both.
//  (b) PostgreSQL only: two server processes on one database, changes made through both; each event
//      reaches each receiver exactly once.
// Run alone: `npx vitest run -c vitest.live.config.ts test/live/outbox-delivery.test.ts` with the build
// in NEXT_DIST_DIR (default .next-test) and, for PostgreSQL, TEST_DATABASE_URL.
import fs from "node:fs";
import { createServer, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, openPglite, openPostgres, useDbHandle, type DbHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { createApiToken } from "@/lib/auth/tokens";
import { seedDemo, writeDemoLogins } from "@/lib/seed/demo";
import { Instance } from "@/test/reliability/server";
import { defaultLiveDatabase, liveDistDir } from "@/test/security/live/harness";
import { startSmtpReceiver, type SmtpReceiver } from "@/test/support/smtp-receiver";
import { freePort } from "@/test/support/free-port";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An HTTP receiver on a fixed port that can be down; counts deliveries per Rollcall-Delivery id. */
class CountingReceiver {
  readonly counts = new Map<string, number>();
  private server: Server | null = null;
  constructor(readonly port: number) {}
  get url() {
    return `http://127.0.0.1:${this.port}/hook`;
  }
  async up() {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        const parsed = JSON.parse(body) as { type: string; data: { title?: string } };
        if (parsed.type === "known_issue.created" && parsed.data.title?.startsWith("Live outbox")) {
          const id = String(req.headers["rollcall-delivery"]);
          this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
        }
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
  }
  async down() {
    const s = this.server;
    this.server = null;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }
}

/** Mails about our known issues, counted per event id (X-Rollcall-Delivery). */
function mailCounts(smtp: SmtpReceiver): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of smtp.received) {
    if (!m.subject.includes("Live outbox")) continue;
    const id = m.headers["x-rollcall-delivery"];
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

async function until(what: string, done: () => boolean, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${log()}`);
    await sleep(100);
  }
}

type Prepared = { dataDir: string; url?: string; token: string; drop(): Promise<void>; sql(q: string, params?: unknown[]): Promise<any[]> };

/** A migrated, seeded database (as `rollcall db seed --demo` makes it) with a webhook to `hookUrl`, the admin subscribed to every event, and a manage token. */
async function prepare(database: "pglite" | "postgres", workDir: string, hookUrl: string): Promise<Prepared> {
  const dataDir = path.join(workDir, "data");
  fs.mkdirSync(dataDir, { mode: 0o700 });
  let url: string | undefined;
  let handle: DbHandle;
  let drop = async () => {};
  if (database === "postgres") {
    const admin = new URL(process.env.TEST_DATABASE_URL!);
    admin.pathname = "/postgres";
    const name = `rollcall_live_outbox_${process.pid}_${Date.now().toString(36)}`;
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    const own = new URL(process.env.TEST_DATABASE_URL!);
    own.pathname = `/${name}`;
    url = own.toString();
    handle = openPostgres(url, { max: 2, applicationName: "rollcall-live-outbox" });
    drop = async () => {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    handle = await openPglite(path.join(dataDir, "pglite"), "live-outbox-test");
  }
  useDbHandle(handle);
  await migrateDatabase(handle);
  const { logins } = await seedDemo(handle.db);
  await writeDemoLogins(dataDir, logins);
  const run = async (q: string, params: unknown[] = []) => (handle.pool ? (await handle.pool.query(q, params)).rows : ((await handle.pglite!.query(q, params)).rows as any[]));
  await run(`insert into webhooks (url, events, format, secret) values ($1, '{*}', 'json', 'whsec_live')`, [hookUrl]);
  await run(`insert into email_subscriptions (user_id, events) select id, '{known_issue.created}' from users where role = 'admin' order by id limit 1`);
  const { token } = await createApiToken({ kind: "system", label: "live outbox test" }, { name: "live outbox", scopes: ["manage"] });
  if (database === "pglite") await closeDb();
  return {
    dataDir,
    url,
    token,
    sql: run,
    drop: async () => {
      if (database === "postgres") await closeDb();
      await drop();
    },
  };
}

async function createIssue(base: string, token: string, i: number): Promise<void> {
  const res = await fetch(`${base}/api/v1/known-issues`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ title: `Live outbox ${i}`, update: "windows-xp-sp2", severity: "low" }),
  });
  if (res.status !== 201) throw new Error(`creating a known issue answered ${res.status}: ${await res.text()}`);
}

const database = defaultLiveDatabase();
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error("live outbox cleanup:", e));
});

async function setUp(processes: number) {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-live-outbox-"));
  const hook = new CountingReceiver(await freePort());
  const smtp = await startSmtpReceiver();
  const prepared = await prepare(database, workDir, hook.url);
  const env = { SMTP_URL: smtp.url, MAIL_FROM: "Rollcall <rollcall@live.test>" };
  const instances = await Promise.all(
    Array.from({ length: processes }, async (_, i) => new Instance({ name: `outbox-${i}`, port: await freePort(), distDir: liveDistDir(), logDir: workDir, database: { dataDir: prepared.dataDir, url: prepared.url }, env })),
  );
  cleanups.push(async () => {
    for (const instance of instances) if (instance.running) await instance.terminate(30_000).catch(() => instance.killGroup("SIGKILL"));
    await hook.down();
    await smtp.stop();
    await prepared.drop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });
  const logs = () => instances.map((x) => x.logTail(30)).join("\n---\n");
  const startAll = async () => {
    for (const instance of instances) instance.start();
    for (const instance of instances) if ((await instance.waitHealthy(240_000)) === null) throw new Error(`server did not become healthy:\n${logs()}`);
  };
  return { hook, smtp, prepared, instances, logs, startAll };
}

describe(`outbox delivery with real server processes (${database})`, () => {
  it("delivers the events a server killed with -9 left undelivered, once its receivers are up and it restarts", async () => {
    const { hook, smtp, prepared, instances, logs, startAll } = await setUp(1);
    await smtp.stop();
    await startAll();
    const [server] = instances;
    const EVENTS = 6;
    for (let i = 0; i < EVENTS; i++) await createIssue(server.base, prepared.token, i);
    // The dispatcher tries at once, finds both receivers down and waits for its retry (10 s later).
    await sleep(1_500);
    if (database === "postgres") {
      const [{ webhooks, mails }] = await prepared.sql(
        `select (select count(*)::int from webhook_deliveries where status = 'pending' and attempts >= 1) as webhooks,
                (select count(*)::int from email_deliveries where kind = 'event' and status = 'pending' and attempts >= 1) as mails`,
      );
      expect({ webhooks, mails }).toEqual({ webhooks: EVENTS, mails: EVENTS });
    }
    await server.crash();
    expect(hook.counts.size + smtp.received.length).toBe(0);
    await hook.up();
    await smtp.start();
    await startAll();
    await until(`${EVENTS} webhook deliveries and ${EVENTS} mails`, () => hook.counts.size === EVENTS && mailCounts(smtp).size === EVENTS, 90_000, logs);
    await sleep(2_000);
    expect([...hook.counts.values()]).toEqual(Array(EVENTS).fill(1));
    expect([...mailCounts(smtp).values()]).toEqual(Array(EVENTS).fill(1));
    expect([...mailCounts(smtp).keys()].sort()).toEqual([...hook.counts.keys()].sort());
  }, 420_000);

  if (database === "postgres")
    it("two server processes on one PostgreSQL deliver each event exactly once to each receiver", async () => {
      const { hook, smtp, prepared, instances, logs, startAll } = await setUp(2);
      await hook.up();
      await startAll();
      const EVENTS = 40;
      await Promise.all(Array.from({ length: EVENTS }, (_, i) => createIssue(instances[i % 2].base, prepared.token, i)));
      await until(`${EVENTS} webhook deliveries and ${EVENTS} mails`, () => hook.counts.size === EVENTS && mailCounts(smtp).size === EVENTS, 90_000, logs);
      await sleep(3_000);
      expect([...hook.counts.values()]).toEqual(Array(EVENTS).fill(1));
      expect([...mailCounts(smtp).values()]).toEqual(Array(EVENTS).fill(1));
      const [{ attempts }] = await prepared.sql(
        `select (select coalesce(max(attempts), 0) from webhook_deliveries) + (select coalesce(max(attempts), 0) from email_deliveries) as attempts`,
      );
      expect(Number(attempts)).toBe(2);
    }, 420_000);
});
