// "A refused request changes nothing" (PRODUCT.md, Security settings; issue #14): every /api/v1 route
// with a write method × a token of each single scope, each role's session and no credentials, each
// sent a valid body. Whenever the answer is 401/403, every table (the audit log included) is as it
// was; whenever it is 2xx, the caller had what the route needs. Routes come from the app tree, so a
// new write route is covered without editing this file: without a recipe below it is sent `{}` and
// held to the same two rules.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { apps, builds, updates, users, waves, type Role } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { createIngestFixture, type IngestFixture } from "@/test/support/fixtures/ingest";
import { TOKEN_SCOPES, type Actor } from "@/lib/auth/actor";
import { can, type Action } from "@/lib/auth/permissions";
import { encodeSessionToken } from "@/lib/auth/session-cookie";
import { createApiToken } from "@/lib/auth/tokens";
import { createKnownIssue } from "@/lib/known-issues/actions";
import { saveRolloutPlan } from "@/lib/rollouts/plan";
import { appRoutes, HTTP_METHODS, type AppRoute } from "../app-routes";

process.env.AUTH_SECRET ??= "refused-secret-refused-secret-0123456";
const BASE = "http://127.0.0.1:3999";
process.env.NEXTAUTH_URL = BASE;

const system = { kind: "system", label: "test" } as const;
const WRITE_METHODS = HTTP_METHODS.filter((m) => m !== "GET" && m !== "HEAD");

/** What a write route needs, all of it; first match wins on "METHOD /pattern". */
const NEEDS: Array<[RegExp, Action[]]> = [
  [/^POST \/api\/v1\/status-events$/, ["events.ingest"]],
  [/^POST \/api\/v1\/devices$/, ["inventory.write"]],
  // A preview tells which devices and hostnames exist: it reads the inventory.
  [/^POST \/api\/v1\/rollouts\/preview$/, ["rollout.write", "device.read"]],
  [/^POST \/api\/v1\/rollouts\/\[id\]\/waves\/\[waveId\]\/actions$/, ["wave.action"]],
  [/^POST \/api\/v1\/rollouts\/\[id\]\/media$/, ["media.record"]],
  [/^POST \/api\/v1\/updates\/\[slug\]\/(pause|resume)$/, ["update.write"]],
  [/^PUT \/api\/v1\/updates\/\[slug\]\/readiness$/, ["update.write"]],
  [/^POST \/api\/v1\/known-issues\/\[id\]\/reports$/, ["helpdesk_report.create"]],
  // The answer is the stored issue.
  [/^\w+ \/api\/v1\/known-issues/, ["known_issue.write", "known_issue.read"]],
  [/^\w+ \/api\/v1\/webhooks/, ["webhook.manage"]],
  [/^\w+ \//, ["rollout.write"]],
];

const needsOf = (key: string): Action[] => NEEDS.find(([re]) => re.test(key))![1];

type Prepared = { params?: Record<string, string>; body: unknown; contentType?: string };
type Recipe = (n: number) => Promise<Prepared>;

type Credential = { label: string; headers: Record<string, string>; actor: Actor | null };

/** Each table's row count and a checksum of its rows; `last_used_at` is a token's bookkeeping, not a change. */
async function snapshot(handle: DbHandle): Promise<Record<string, string>> {
  const tables = await queryRows<{ name: string }>(
    handle.db,
    sql`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`,
  );
  const parts = tables.map(
    ({ name }) =>
      sql`select ${name}::text as name, count(*)::text || ':' || coalesce(md5(string_agg((to_jsonb(t) - 'last_used_at')::text, '|' order by (to_jsonb(t) - 'last_used_at')::text)), '') as sum from ${sql.identifier(name)} t`,
  );
  const rows = await queryRows<{ name: string; sum: string }>(handle.db, sql.join(parts, sql` union all `));
  return Object.fromEntries(rows.map((r) => [r.name, r.sum]));
}

function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((t) => before[t] !== after[t]).sort();
}

const writeRoutes = appRoutes().filter((r) => r.kind === "handler" && r.pattern.startsWith("/api/v1/"));

describe.each(testDbKinds)("a refused request changes nothing, on %s", (kind) => {
  let handle: DbHandle;
  let fixture: IngestFixture;
  const credentials: Credential[] = [];
  const recipes = new Map<string, Recipe>();

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    fixture = await createIngestFixture(handle.db, { devices: 12, updates: 1 });
    const now = Math.floor(Date.now() / 1000);
    credentials.push({ label: "no credentials", headers: {}, actor: null });
    let admin: Actor | null = null;
    for (const role of ["viewer", "helpdesk", "editor", "admin"] as Role[]) {
      const [u] = await handle.db.insert(users).values({ email: `${role}@refused.test`, role }).returning();
      const actor: Actor = { kind: "user", userId: u.id, email: u.email, name: "", role };
      if (role === "admin") admin = actor;
      const cookie = `next-auth.session-token=${await encodeSessionToken({ uid: u.id, sv: u.sessionVersion, role, authTime: now })}`;
      credentials.push({ label: `${role} session`, headers: { cookie }, actor });
    }
    for (const scope of TOKEN_SCOPES) {
      const t = await createApiToken(admin!, { name: `only-${scope}`, scopes: [scope] });
      credentials.push({
        label: `token with scope ${scope}`,
        headers: { authorization: `Bearer ${t.token}` },
        actor: { kind: "token", tokenId: t.id, name: t.name, scopes: [scope], ownerId: admin!.kind === "user" ? admin!.userId : null },
      });
    }

    const hostname = fixture.devices[1].hostname;
    /** A fresh update with a build, so every saved plan and started wave starts from a clean slate. */
    const freshBuild = async (n: number) => {
      const [update] = await handle.db
        .insert(updates)
        .values({ slug: `refused-${n}`, title: `Refused ${n}`, vendor: "Microsoft", product: "Windows XP", kind: "security" })
        .returning({ id: updates.id });
      const [build] = await handle.db.insert(builds).values({ updateId: update.id, name: "Final", version: `1.${n}`, kind: "final" }).returning({ id: builds.id });
      return build.id;
    };
    const plan = (buildId: number, n: number) => ({ buildId, name: `Plan ${n}`, waves: [{ name: "Pilot", targeting: { hostnames: [hostname] } }] });
    const issue = await createKnownIssue(system, { title: "Reports go here", update: fixture.updates[0].slug });

    // Webhooks (admin, signed in): a receiver on the discard port; a dead delivery to send again.
    recipes.set("POST /api/v1/webhooks", async () => ({ body: { url: "http://127.0.0.1:9/hook", events: ["*"], format: "json" } }));
    const webhookWithDelivery = async (n: number) => {
      const [row] = await queryRows<{ webhook: number; delivery: number }>(
        handle.db,
        sql`with w as (insert into webhooks (url, events, secret) values ('http://127.0.0.1:9/hook', '{*}', ${`whsec_refused_${n}`}) returning id),
                 e as (insert into outbox_events (type, occurred_at, data, link, fanned_out_at) values ('update.slipped', now(), '{}', ${`${BASE}/updates/x`}, now()) returning id)
            insert into webhook_deliveries (event_id, webhook_id, status, retry_until) select e.id, w.id, 'dead', now() from e, w
            returning webhook_id as webhook, id as delivery`,
      );
      return row;
    };
    recipes.set("DELETE /api/v1/webhooks/[id]", async (n) => ({ params: { id: String((await webhookWithDelivery(n)).webhook) }, body: {} }));
    recipes.set("POST /api/v1/webhooks/[id]/deliveries/[deliveryId]/redeliver", async (n) => {
      const { webhook, delivery } = await webhookWithDelivery(n);
      return { params: { id: String(webhook), deliveryId: String(delivery) }, body: {} };
    });
    recipes.set("POST /api/v1/status-events", async (n) => ({
      body: [{ device: hostname, update: fixture.updates[0].slug, state: "downloading", occurredAt: new Date(Date.now() - 60_000 + n).toISOString(), eventId: `refused-${n}` }],
    }));
    recipes.set("POST /api/v1/devices", async (n) => ({
      body: [{ hostname: `NEW-${n}`, os: "Windows XP", osVersion: "5.1", site: "Headquarters", channel: "network", tags: ["new"] }],
    }));
    recipes.set("POST /api/v1/known-issues", async (n) => ({
      body: { title: `Printer driver fails after SP2 (${n})`, update: fixture.updates[0].slug, severity: "medium", symptoms: "Nothing prints." },
    }));
    recipes.set("PATCH /api/v1/known-issues/[id]", async (n) => {
      const created = await createKnownIssue(system, { title: `To triage ${n}`, update: fixture.updates[0].slug });
      return { params: { id: created.advisoryId }, body: { severity: "high", status: "investigating", note: "Seen on three machines." } };
    });
    recipes.set("POST /api/v1/known-issues/[id]/reports", async (n) => ({
      params: { id: issue.advisoryId },
      body: { ticket: `INC-${n}`, hostname, note: "Caller cannot print." },
    }));
    recipes.set("POST /api/v1/updates/[slug]/pause", async () => ({ params: { slug: fixture.updates[0].slug }, body: { reason: "Refused: an emergency stop" } }));
    await handle.db.insert(apps).values({ name: "Refused CRM" });
    recipes.set("PUT /api/v1/updates/[slug]/readiness", async () => ({ params: { slug: fixture.updates[0].slug }, body: { app: "Refused CRM", versionRange: "1.2", build: "RTM", status: "works", note: "" } }));
    // A paused update of its own for every call, so each caller finds one to resume.
    recipes.set("POST /api/v1/updates/[slug]/resume", async (n) => {
      await handle.db.insert(updates).values({ slug: `paused-${n}`, title: `Paused ${n}`, vendor: "Microsoft", product: "Windows XP", kind: "security", pausedAt: new Date(), pauseReason: "Stopped" });
      return { params: { slug: `paused-${n}` }, body: {} };
    });
    recipes.set("POST /api/v1/rollouts", async (n) => ({ body: plan(await freshBuild(n), n) }));
    recipes.set("POST /api/v1/rollouts/preview", async (n) => ({ body: plan(await freshBuild(n), n) }));
    // An appointment for an offline machine (WS-0003): the step helpdesk may record too.
    recipes.set("POST /api/v1/rollouts/[id]/media", async () => ({
      params: { id: String(fixture.rolloutId) },
      body: { hostnames: [fixture.devices[3].hostname], step: "appointment", date: new Date().toISOString().slice(0, 10), office: "Leeds branch" },
    }));
    recipes.set("POST /api/v1/rollouts/[id]/waves/[waveId]/actions", async (n) => {
      const { rolloutId } = await saveRolloutPlan(system, plan(await freshBuild(n), n));
      const [wave] = await handle.db.select({ id: waves.id }).from(waves).where(eq(waves.rolloutId, rolloutId));
      return { params: { id: String(rolloutId), waveId: String(wave.id) }, body: { action: "start" } };
    });
  }, 120_000);
  afterAll(() => handle?.close());

  async function send(route: AppRoute, method: string, credential: Credential, prepared: Prepared): Promise<Response> {
    const mod = (await import(/* @vite-ignore */ `@/${route.file}`)) as Record<string, unknown>;
    const fn = mod[method] as (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
    const params = Object.fromEntries(route.params.map((p) => [p.name, prepared.params?.[p.name] ?? `no-such-${p.name}`]));
    const url = BASE + route.pattern.replace(/\[+(\.\.\.)?([^\]]+)\]+/g, (_, _dots, name: string) => encodeURIComponent(String(params[name])));
    const request = new Request(url, {
      method,
      body: JSON.stringify(prepared.body),
      headers: { host: "127.0.0.1:3999", origin: BASE, "content-type": prepared.contentType ?? "application/json", ...credential.headers },
    });
    return fn(request, { params: Promise.resolve(params) });
  }

  it("has write routes to check, each known one with a valid body", async () => {
    const found: string[] = [];
    for (const route of writeRoutes) {
      const mod = (await import(/* @vite-ignore */ `@/${route.file}`)) as Record<string, unknown>;
      for (const method of WRITE_METHODS) if (typeof mod[method] === "function") found.push(`${method} ${route.pattern}`);
    }
    expect(found).toEqual(expect.arrayContaining([...recipes.keys()]));
  });

  it("leaves every table as it was after a 401 or 403, and answers 2xx only to a caller with the rights", async () => {
    const failures: string[] = [];
    let n = 0;
    let refused = 0;
    for (const route of writeRoutes) {
      const mod = (await import(/* @vite-ignore */ `@/${route.file}`)) as Record<string, unknown>;
      for (const method of WRITE_METHODS.filter((m) => typeof mod[m] === "function")) {
        const key = `${method} ${route.pattern}`;
        const needs = needsOf(key);
        const recipe = recipes.get(key);
        for (const credential of credentials) {
          n++;
          const prepared = recipe ? await recipe(n) : { body: {} };
          const before = await snapshot(handle);
          const res = await send(route, method, credential, prepared);
          const after = await snapshot(handle);
          const where = `${key} as ${credential.label}: ${res.status}`;
          const allowed = needs.every((action) => can(credential.actor, action));
          if (res.status >= 500) failures.push(`${where} (a server error: ${await res.text()})`);
          if (res.status === 401 || res.status === 403) {
            refused++;
            const changed = changedTables(before, after);
            if (changed.length) failures.push(`${where}, yet it changed ${changed.join(", ")}`);
            if (allowed) failures.push(`${where}, expected allowed (${needs.join(" + ")})`);
          } else if (res.status >= 200 && res.status < 300) {
            if (!allowed) failures.push(`${where} without ${needs.filter((a) => !can(credential.actor, a)).join(" + ")}`);
          } else if (allowed && recipe) {
            failures.push(`${where} for a valid body: ${await res.text()}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(refused).toBeGreaterThan(0);
  }, 240_000);
});
