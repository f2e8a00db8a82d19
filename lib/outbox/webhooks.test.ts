// Webhook administration: admins only (a session; no token scope grants it), the address and event
// filter checked per field (422), the secret answered once and never listed, the delivery log and
// redelivery; and the /admin/webhooks form keeps what was typed when refused.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries, webhooks } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { txRows } from "@/db/tx";
import type { TokenActor, UserActor } from "@/lib/auth/actor";
import { makeUser } from "@/test/support/fixtures/catalog";
import { createWebhookAction } from "@/app/(dashboard)/admin/webhooks/actions";
import { createWebhook, deleteWebhook, listWebhookDeliveries, listWebhooks, redeliverWebhookDelivery } from "./webhooks";

const session = vi.hoisted(() => ({ actor: null as UserActor | null }));
vi.mock("@/lib/auth/session", () => ({ requireActionActor: async () => session.actor }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) data.append(name, one);
  return data;
}

describe.each(testDbKinds)("webhook administration on %s", (kind) => {
  let handle: DbHandle;
  let admin: UserActor;
  let editor: UserActor;
  const adminToken: TokenActor = { kind: "token", tokenId: 1, name: "everything", scopes: ["read", "manage", "ingest", "inventory"], ownerId: null };

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    admin = await makeUser(handle.db, "admin");
    editor = await makeUser(handle.db, "editor");
    session.actor = admin;
  });
  afterAll(() => handle?.close());

  it("answers the secret once, lists the webhook without it, and audits without it", async () => {
    const created = await createWebhook(admin, { url: "https://hooks.example.test/services/T0A1B2C3D/B0A1B2C3D/XXXXXXXXXXXXXXXXXXXXXXXX", events: ["gate.breached", "wave.halted", "gate.breached"], format: "slack" });
    expect(created).toMatchObject({ id: expect.any(Number), events: ["gate.breached", "wave.halted"], format: "slack", secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{32}$/) });
    const listed = await listWebhooks(admin);
    expect(listed).toEqual([expect.objectContaining({ id: created.id, url: "https://hooks.example.test/services/T0A1B2C3D/B0A1…", pending: 0, delivered: 0, dead: 0 })]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const audit = await handle.db.select().from(auditEntries);
    expect(JSON.stringify(audit)).not.toContain(created.secret);
    expect(JSON.stringify(audit)).not.toContain("XXXXXXXXXXXXXXXX");
    expect((await createWebhook(admin, { url: "http://127.0.0.1:9/x", events: ["wave.started", "*"] })).events).toEqual(["*"]);
  });

  it("refuses an address that is not http(s) or does not parse, and an unknown event type, per field; nothing is stored", async () => {
    const before = (await handle.db.select().from(webhooks)).length;
    const refusal = (input: Record<string, unknown>) => createWebhook(admin, input as never).then(() => null, (e) => e);
    expect(await refusal({ url: "ftp://files.example.test/drop", events: ["*"] })).toMatchObject({
      status: 422,
      extra: { errors: [{ path: "url", message: "Only http:// and https:// addresses can receive webhooks." }] },
    });
    expect(await refusal({ url: "not a url", events: ["*"] })).toMatchObject({ status: 422, extra: { errors: [{ path: "url", message: expect.stringMatching(/full address/) }] } });
    expect(await refusal({ url: "https://ok.example.test", events: ["wave.exploded"] })).toMatchObject({
      status: 422,
      extra: { errors: [{ path: "events.0", message: expect.stringMatching(/Unknown event type/) }] },
    });
    expect(await refusal({ url: "https://ok.example.test", events: [] })).toMatchObject({ status: 422, extra: { errors: [{ path: "events" }] } });
    expect(await refusal({ url: "https://ok.example.test", events: ["*"], format: "xml" })).toMatchObject({ status: 422, extra: { errors: [{ path: "format" }] } });
    expect((await handle.db.select().from(webhooks)).length).toBe(before);
  });

  it("is for admins with a session only: editors and even an all-scopes token are refused", async () => {
    for (const who of [editor, adminToken]) {
      await expect(createWebhook(who, { url: "https://x.example.test", events: ["*"] })).rejects.toMatchObject({ status: 403 });
      await expect(listWebhooks(who)).rejects.toMatchObject({ status: 403 });
    }
  });

  it("shows the delivery log, redelivers a dead delivery now, and removes a webhook with its log", async () => {
    const hook = await createWebhook(admin, { url: "http://127.0.0.1:9/log", events: ["*"] });
    const [{ id: deliveryId }] = await txRows<{ id: number }>(
      handle.db,
      sql`with e as (insert into outbox_events (type, occurred_at, data, link, fanned_out_at) values ('update.slipped', now(), '{}', 'http://x/updates/a', now()) returning id)
          insert into webhook_deliveries (event_id, webhook_id, status, attempts, retry_until, dead_at, last_status_code, last_response)
          select e.id, ${hook.id}, 'dead', 9, now(), now(), 503, 'down for maintenance' from e returning id::int as id`,
    );
    const [dead] = await listWebhookDeliveries(admin, hook.id);
    expect(dead).toMatchObject({ id: deliveryId, eventType: "update.slipped", status: "dead", attempts: 9, lastStatusCode: 503, lastResponse: "down for maintenance", nextAttemptAt: null });
    await redeliverWebhookDelivery(admin, { webhookId: hook.id, deliveryId });
    const [again] = await listWebhookDeliveries(admin, hook.id);
    expect(again).toMatchObject({ status: "pending", deadAt: null });
    expect(again.nextAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    await expect(redeliverWebhookDelivery(admin, { webhookId: hook.id + 1000, deliveryId })).rejects.toMatchObject({ status: 404 });
    await deleteWebhook(admin, { id: hook.id });
    await expect(listWebhookDeliveries(admin, hook.id)).rejects.toMatchObject({ status: 404 });
    const [{ n }] = await txRows<{ n: number }>(handle.db, sql`select count(*)::int as n from webhook_deliveries where id = ${deliveryId}`);
    expect(n).toBe(0);
  });

  it("the form keeps the typed address, format and ticked events when refused, and shows the secret once when accepted", async () => {
    const refused = await createWebhookAction({}, form({ url: "gopher://old.example.test", format: "teams", events: ["wave.halted", "gate.breached"] }));
    expect(refused).toMatchObject({
      fieldErrors: { url: ["Only http:// and https:// addresses can receive webhooks."] },
      values: { url: "gopher://old.example.test", format: "teams", events: ["wave.halted", "gate.breached"] },
    });
    const accepted = await createWebhookAction({}, form({ url: "https://teams.example.test/hook", format: "teams", events: "wave.halted" }));
    expect(accepted).toMatchObject({ ok: true, secret: { label: "Signing secret", value: expect.stringMatching(/^whsec_/) } });
  });
});

describe("the webhook API routes", () => {
  it("refuses a bearer token even with every scope (webhook management is session only)", async () => {
    const { POST } = await import("@/app/api/v1/webhooks/route");
    const res = await POST(new Request("http://127.0.0.1:3999/api/v1/webhooks", { method: "POST", headers: { authorization: "Bearer rc_not-a-real-token" }, body: "{}" }));
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});
