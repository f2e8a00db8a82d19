import "server-only";
// Webhook administration (webhook.manage: admins, signed in; no token scope grants it, because a
// webhook sends every event it subscribes to, and its secret, to an address of the creator's
// choosing). Creating answers the signing secret once; it is stored as it is, not hashed, because
// every delivery is signed with it. Lists never show it.
import { randomBytes } from "node:crypto";
import { and, count, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { outboxEvents, webhookDeliveries, webhooks } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { mutation } from "@/lib/dal/mutation";
import { HttpError } from "@/lib/http/problem";
import { EVENT_TYPES } from "./event-types";
import { wakeDispatchers } from "./events";
import { WEBHOOK_FORMATS, type WebhookFormat } from "./webhook-body";

const SECRET_PREFIX = "whsec_";
const RETRY_WINDOW = sql`now() + interval '24 hours'`;

const Url = z
  .string({ message: "Enter the receiver's address." })
  .trim()
  .min(1, "Enter the receiver's address.")
  .max(2000, "At most 2000 characters.")
  .refine((value) => URL.canParse(value), "Enter a full address, e.g. https://hooks.example.com/rollcall.")
  .refine((value) => !URL.canParse(value) || ["http:", "https:"].includes(new URL(value).protocol), "Only http:// and https:// addresses can receive webhooks.");

const EventFilter = z.preprocess(
  // A form sends one value per ticked box (a lone string when one is ticked).
  (v) => (typeof v === "string" ? [v] : (v ?? [])),
  z
    .array(z.enum(["*", ...EVENT_TYPES], { message: `Unknown event type; use "*" or one of ${EVENT_TYPES.join(", ")}.` }), {
      message: `events must be a list of event types, or ["*"].`,
    })
    .min(1, "Choose at least one event type (or every event).")
    .transform((list) => (list.includes("*") ? ["*"] : [...new Set(list)].sort())),
);

export const CreateWebhookInput = z.object({
  url: Url,
  events: EventFilter,
  format: z.enum(WEBHOOK_FORMATS, { message: `format must be one of ${WEBHOOK_FORMATS.join(", ")}.` }).default("json"),
});
export type CreateWebhookInput = z.input<typeof CreateWebhookInput>;

const Id = (what: string, max: number) => z.coerce.number({ message: `No such ${what}.` }).int(`No such ${what}.`).positive(`No such ${what}.`).max(max, `No such ${what}.`);
const WebhookId = Id("webhook", 2_147_483_647);
const DeliveryId = Id("delivery", Number.MAX_SAFE_INTEGER);

export type WebhookSummary = {
  id: number;
  url: string;
  events: string[];
  format: WebhookFormat;
  createdAt: Date;
  pending: number;
  delivered: number;
  dead: number;
};

export type CreatedWebhook = { id: number; url: string; events: string[]; format: WebhookFormat; secret: string };

const SHOWN_PATH = 24;

/**
 * An address as lists and the audit log show it: the origin and the start of the path. Chat
 * services put the credential in the path (hooks.slack.com/services/T…/B…/<secret>), so the rest,
 * any user:password and the query are left out.
 */
export function shownUrl(url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname.length > SHOWN_PATH ? `${parsed.pathname.slice(0, SHOWN_PATH)}…` : parsed.pathname;
  return `${parsed.origin}${path}${parsed.search ? "?…" : ""}`;
}

export const createWebhook = mutation({
  action: "webhook.manage",
  input: CreateWebhookInput,
  invalid: "The webhook was not added: correct the marked fields.",
  run: async (tx, actor, { url, events, format }): Promise<CreatedWebhook> => {
    const secret = SECRET_PREFIX + randomBytes(24).toString("base64url");
    const [created] = await tx
      .insert(webhooks)
      .values({ url, events, format, secret, createdBy: actor.kind === "user" ? actor.userId : null })
      .returning({ id: webhooks.id });
    return { id: created.id, url, events, format, secret };
  },
  audit: (_data, { id, url, events, format }) => ({ action: "webhook.create", targetType: "webhook", targetId: id, after: { url: shownUrl(url), events, format } }),
});

export const deleteWebhook = mutation({
  action: "webhook.manage",
  input: z.object({ id: WebhookId }),
  run: async (tx, _actor, { id }) => {
    const [gone] = await tx.delete(webhooks).where(eq(webhooks.id, id)).returning({ url: webhooks.url, events: webhooks.events, format: webhooks.format });
    if (!gone) throw new HttpError(404, "No such webhook.");
    return gone;
  },
  audit: ({ id }, gone) => ({ action: "webhook.delete", targetType: "webhook", targetId: id, before: { ...gone, url: shownUrl(gone.url) } }),
});

/** Sends a delivery again (delivered or dead alike): due at once, with a fresh 24-hour retry window. */
export const redeliverWebhookDelivery = mutation({
  action: "webhook.manage",
  input: z.object({ webhookId: WebhookId, deliveryId: DeliveryId }),
  run: async (tx, _actor, { webhookId, deliveryId }) => {
    const [delivery] = await tx
      .update(webhookDeliveries)
      .set({ status: "pending", nextAttemptAt: sql`now()`, retryUntil: RETRY_WINDOW, deadAt: null })
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, webhookId)))
      .returning({ id: webhookDeliveries.id, eventId: webhookDeliveries.eventId, status: webhookDeliveries.status });
    if (!delivery) throw new HttpError(404, "No such delivery of this webhook.");
    return delivery;
  },
  audit: ({ webhookId }, { id, eventId }) => ({ action: "webhook.redeliver", targetType: "webhook", targetId: webhookId, after: { delivery: id, event: eventId } }),
  afterCommit: () => wakeDispatchers(),
});

export async function listWebhooks(actor: Actor): Promise<WebhookSummary[]> {
  assertCan(actor, "webhook.manage");
  const db = await getDb();
  const [hooks, tallies] = await Promise.all([
    db.select({ id: webhooks.id, url: webhooks.url, events: webhooks.events, format: webhooks.format, createdAt: webhooks.createdAt }).from(webhooks).orderBy(webhooks.id),
    db
      .select({ webhookId: webhookDeliveries.webhookId, status: webhookDeliveries.status, n: count() })
      .from(webhookDeliveries)
      .groupBy(webhookDeliveries.webhookId, webhookDeliveries.status),
  ]);
  return hooks.map((hook) => {
    const tally = (status: string) => Number(tallies.find((t) => t.webhookId === hook.id && t.status === status)?.n ?? 0);
    return { ...hook, url: shownUrl(hook.url), pending: tally("pending"), delivered: tally("delivered"), dead: tally("dead") };
  });
}

export type DeliverySummary = {
  id: number;
  eventId: number;
  eventType: string;
  occurredAt: Date;
  status: "pending" | "delivered" | "dead";
  attempts: number;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastResponse: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  deadAt: Date | null;
};

/** The delivery log of one webhook, newest first (at most `limit`, 100 unless told). */
export async function listWebhookDeliveries(actor: Actor, webhookId: number, limit = 100): Promise<DeliverySummary[]> {
  assertCan(actor, "webhook.manage");
  const db = await getDb();
  const [hook] = await db.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.id, webhookId));
  if (!hook) throw new HttpError(404, "No such webhook.");
  const rows = await db
    .select({
      id: webhookDeliveries.id,
      eventId: webhookDeliveries.eventId,
      eventType: outboxEvents.type,
      occurredAt: outboxEvents.occurredAt,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastLatencyMs: webhookDeliveries.lastLatencyMs,
      lastResponse: webhookDeliveries.lastResponse,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
      deadAt: webhookDeliveries.deadAt,
    })
    .from(webhookDeliveries)
    .innerJoin(outboxEvents, eq(outboxEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.webhookId, webhookId))
    .orderBy(desc(webhookDeliveries.id))
    .limit(Math.min(Math.max(1, limit), 500));
  return rows.map((r) => ({ ...r, nextAttemptAt: r.status === "pending" ? r.nextAttemptAt : null }));
}
