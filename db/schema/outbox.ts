// The transactional outbox and what it feeds: events written in the same transaction as the change
// that caused them, the webhooks admins subscribe, and one delivery row per (event, webhook) that the
// dispatcher works through (issue #19). Undelivered work is rows, so it survives a crash.
import { sql } from "drizzle-orm";
import { bigint, bigserial, index, integer, jsonb, pgEnum, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, ts } from "./columns";
import { users } from "./people";

export const webhookFormatEnum = pgEnum("webhook_format", ["json", "slack", "teams"]);
export const deliveryStatusEnum = pgEnum("delivery_status", ["pending", "delivered", "dead"]);

export const outboxEvents = pgTable(
  "outbox_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    type: text().notNull(),
    occurredAt: ts().notNull(),
    data: jsonb().notNull(),
    /** The absolute address of the page the event is about. */
    link: text().notNull(),
    createdAt: createdAt(),
    /** When the dispatcher made its deliveries (one per subscribed webhook); null: not yet. */
    fannedOutAt: ts(),
  },
  (t) => [index("outbox_events_unfanned_idx").on(t.id).where(sql`${t.fannedOutAt} is null`)],
);

export const webhooks = pgTable("webhooks", {
  id: serial().primaryKey(),
  url: text().notNull(),
  /** Event types, or ["*"] for every type. */
  events: text().array().notNull(),
  format: webhookFormatEnum().notNull().default("json"),
  /** The signing secret: kept (not hashed) because every delivery is signed with it; answered once, at creation. */
  secret: text().notNull(),
  createdBy: integer().references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    eventId: bigint({ mode: "number" })
      .notNull()
      .references(() => outboxEvents.id, { onDelete: "cascade" }),
    webhookId: integer()
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    status: deliveryStatusEnum().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    /** When it is due; while an attempt is in flight, the end of that attempt's lease. */
    nextAttemptAt: ts().notNull().defaultNow(),
    /** Retries stop here (24 h after the delivery was made or redelivery was asked for); then it is dead. */
    retryUntil: ts().notNull(),
    lastAttemptAt: ts(),
    lastStatusCode: integer(),
    lastLatencyMs: integer(),
    /** The first characters of the receiver's answer, or why there was none (timeout, refused). */
    lastResponse: text(),
    deliveredAt: ts(),
    deadAt: ts(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_webhook_idx").on(t.eventId, t.webhookId),
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_webhook_idx").on(t.webhookId, t.id),
  ],
);

export type OutboxEventRow = typeof outboxEvents.$inferSelect;
export type Webhook = typeof webhooks.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
