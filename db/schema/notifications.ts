// Email notifications (issue #19 item 4, issue #21 item 4): who asked for which mails (a user for
// themselves, or a list address an admin set), and one delivery row per mail the dispatcher sends —
// an outbox event's mail, a weekly adoption digest or an overdue-media reminder — with the same
// at-least-once, backoff and dead rules as webhook deliveries. `dedupe_key` makes each mail once:
// per (event, address), per (subscription, ISO week) and per (rollout, machine, ISO week, address).
import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, index, integer, pgEnum, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, ts, updatedAt } from "./columns";
import { deliveryStatusEnum, outboxEvents } from "./outbox";
import { users } from "./people";

export const emailKindEnum = pgEnum("email_kind", ["event", "digest", "reminder"]);

export const emailSubscriptions = pgTable(
  "email_subscriptions",
  {
    id: serial().primaryKey(),
    /** A user's own subscription (mails go to their address); null for a list address. */
    userId: integer().references(() => users.id, { onDelete: "cascade" }),
    /** A list address an admin subscribed; null for a user's own subscription. */
    address: text(),
    /** Event types, or ["*"] for every type; empty: no event mails. */
    events: text().array().notNull().default(sql`'{}'::text[]`),
    /** Update ids the events must be about; empty: every update. */
    updateIds: integer().array().notNull().default(sql`'{}'::integer[]`),
    weeklyDigest: boolean().notNull().default(false),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("email_subscriptions_user_idx").on(t.userId),
    uniqueIndex("email_subscriptions_address_idx").on(sql`lower(${t.address})`),
    check("email_subscriptions_one_recipient", sql`(${t.userId} is null) <> (${t.address} is null)`),
  ],
);

export const emailDeliveries = pgTable(
  "email_deliveries",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    kind: emailKindEnum().notNull(),
    /** What makes this mail once (see the file's comment). */
    dedupeKey: text().notNull(),
    /** The event an `event` mail tells (its subject and body are written from it when sent). */
    eventId: bigint({ mode: "number" }).references(() => outboxEvents.id, { onDelete: "cascade" }),
    subscriptionId: integer().references(() => emailSubscriptions.id, { onDelete: "set null" }),
    toAddress: text().notNull(),
    /** Written when the mail is made (digests, reminders); null for event mails. */
    subject: text(),
    textBody: text(),
    htmlBody: text(),
    status: deliveryStatusEnum().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    /** When it is due; while an attempt is in flight, the end of that attempt's lease. */
    nextAttemptAt: ts().notNull().defaultNow(),
    retryUntil: ts().notNull(),
    lastAttemptAt: ts(),
    lastLatencyMs: integer(),
    /** The SMTP server's answer, or why there was none. */
    lastResponse: text(),
    deliveredAt: ts(),
    deadAt: ts(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("email_deliveries_dedupe_idx").on(t.dedupeKey),
    index("email_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("email_deliveries_event_idx").on(t.eventId),
  ],
);

export type EmailSubscription = typeof emailSubscriptions.$inferSelect;
export type EmailDelivery = typeof emailDeliveries.$inferSelect;
