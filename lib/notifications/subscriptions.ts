import "server-only";
// Email subscriptions (issue #19 item 4): every signed-in user picks event types and updates for
// themselves on /settings/notifications, and asks for the weekly adoption digest; admins subscribe
// list addresses (mail to an address of their choosing, so the same session-only right as webhooks,
// webhook.manage). Unknown event types and updates are refused per field. Subscriptions are kept
// whether or not email is on (SMTP_URL).
import { and, asc, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { emailDeliveries, emailSubscriptions, outboxEvents, updates } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { mutation } from "@/lib/dal/mutation";
import { fieldProblem, HttpError } from "@/lib/http/problem";
import type { Transaction } from "@/db/tx";
import { EVENT_TYPES } from "@/lib/outbox/event-types";
import { wakeDispatchers } from "@/lib/outbox/events";

/** A form sends one value per ticked box (a lone string when one is ticked, nothing when none). */
const list = (v: unknown) => (typeof v === "string" ? (v === "" ? [] : [v]) : (v ?? []));

const EventChoice = z.preprocess(
  list,
  z
    .array(z.enum(["*", ...EVENT_TYPES], { message: `Unknown event type; use "*" or one of ${EVENT_TYPES.join(", ")}.` }), { message: "events must be a list of event types." })
    .max(EVENT_TYPES.length + 1)
    .transform((types) => (types.includes("*") ? ["*"] : [...new Set(types)].sort())),
);

/** Update slugs; none (or "*") means every update. */
const UpdateChoice = z.preprocess(
  list,
  z
    .array(z.string({ message: "updates must be a list of update slugs." }).trim().min(1).max(200), { message: "updates must be a list of update slugs." })
    .max(500, "At most 500 updates.")
    .transform((slugs) => (slugs.includes("*") ? [] : [...new Set(slugs)])),
);

const Checkbox = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());

export const SubscriptionInput = z.object({ events: EventChoice, updates: UpdateChoice, weeklyDigest: Checkbox });
export type SubscriptionInput = z.input<typeof SubscriptionInput>;

const Address = z
  .string({ message: "Enter the list's address." })
  .trim()
  .min(1, "Enter the list's address.")
  .max(320, "At most 320 characters.")
  .email("Enter an email address, e.g. patch-team@example.com.");

export const ListSubscriptionInput = SubscriptionInput.extend({ address: Address });

export type SubscriptionView = { events: string[]; updates: string[]; weeklyDigest: boolean };
export type ListSubscriptionView = SubscriptionView & { id: number; address: string; createdAt: Date };

/** The update ids of `slugs`, refusing (422 on `updates`) any that does not exist. */
async function updateIdsOf(tx: Transaction, slugs: string[]): Promise<number[]> {
  if (slugs.length === 0) return [];
  const found = await tx.select({ id: updates.id, slug: updates.slug }).from(updates).where(inArray(updates.slug, slugs));
  const unknown = slugs.filter((slug) => !found.some((f) => f.slug === slug));
  if (unknown.length) throw fieldProblem(422, "updates", `No such update: ${unknown.join(", ")}.`);
  return slugs.map((slug) => found.find((f) => f.slug === slug)!.id);
}

function userIdOf(actor: Actor): number {
  if (actor.kind !== "user") throw new HttpError(403, "Email subscriptions belong to a signed-in user; an API token has none.");
  return actor.userId;
}

/** Saves the signed-in user's own subscription (every role may). */
export const saveMySubscription = mutation({
  action: "dashboard.read",
  input: SubscriptionInput,
  invalid: "Your notifications were not saved: correct the marked fields.",
  run: async (tx, actor, data) => {
    const userId = userIdOf(actor);
    const updateIds = await updateIdsOf(tx, data.updates);
    const values = { events: data.events, updateIds, weeklyDigest: data.weeklyDigest };
    await tx
      .insert(emailSubscriptions)
      .values({ userId, createdBy: userId, ...values })
      .onConflictDoUpdate({ target: emailSubscriptions.userId, set: { ...values, updatedAt: new Date() } });
    return { userId };
  },
  audit: (data, { userId }) => ({ action: "notification.subscribe", targetType: "user", targetId: userId, after: data }),
});

/** Adds a list address with its own choice of events, updates and digest (admins). */
export const addListSubscription = mutation({
  action: "webhook.manage",
  input: ListSubscriptionInput,
  invalid: "The list was not added: correct the marked fields.",
  run: async (tx, actor, data) => {
    const updateIds = await updateIdsOf(tx, data.updates);
    const [exists] = await tx.select({ id: emailSubscriptions.id }).from(emailSubscriptions).where(sql`lower(${emailSubscriptions.address}) = lower(${data.address})`);
    if (exists) throw fieldProblem(409, "address", "This address is subscribed already; remove it first to change what it gets.");
    const [created] = await tx
      .insert(emailSubscriptions)
      .values({ address: data.address, events: data.events, updateIds, weeklyDigest: data.weeklyDigest, createdBy: actor.kind === "user" ? actor.userId : null })
      .returning({ id: emailSubscriptions.id });
    return { id: created.id };
  },
  audit: (data, { id }) => ({ action: "notification.list_add", targetType: "email_subscription", targetId: id, after: data }),
});

export const deleteListSubscription = mutation({
  action: "webhook.manage",
  input: z.object({ id: z.coerce.number({ message: "No such list." }).int("No such list.").positive("No such list.").max(2_147_483_647, "No such list.") }),
  run: async (tx, _actor, { id }) => {
    const [gone] = await tx
      .delete(emailSubscriptions)
      .where(and(eq(emailSubscriptions.id, id), isNotNull(emailSubscriptions.address)))
      .returning({ address: emailSubscriptions.address });
    if (!gone) throw new HttpError(404, "No such list address.");
    return gone;
  },
  audit: ({ id }, gone) => ({ action: "notification.list_remove", targetType: "email_subscription", targetId: id, before: gone }),
});

/** Sends a mail again (delivered or dead alike): due at once, with a fresh 24-hour retry window (admins). */
export const redeliverEmail = mutation({
  action: "webhook.manage",
  input: z.object({ id: z.coerce.number({ message: "No such mail." }).int("No such mail.").positive("No such mail.").max(Number.MAX_SAFE_INTEGER, "No such mail.") }),
  run: async (tx, _actor, { id }) => {
    const [mail] = await tx
      .update(emailDeliveries)
      .set({ status: "pending", nextAttemptAt: sql`now()`, retryUntil: sql`now() + interval '24 hours'`, deadAt: null })
      .where(eq(emailDeliveries.id, id))
      .returning({ id: emailDeliveries.id, kind: emailDeliveries.kind, toAddress: emailDeliveries.toAddress });
    if (!mail) throw new HttpError(404, "No such mail.");
    return mail;
  },
  audit: ({ id }, mail) => ({ action: "notification.redeliver", targetType: "email_delivery", targetId: id, after: { kind: mail.kind, to: mail.toAddress } }),
  afterCommit: () => wakeDispatchers(),
});

async function slugsById(ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const db = await getDb();
  const rows = await db.select({ id: updates.id, slug: updates.slug }).from(updates).where(inArray(updates.id, ids));
  return new Map(rows.map((r) => [r.id, r.slug]));
}

/** The signed-in user's subscription (nothing chosen when they never saved one). */
export async function getMySubscription(actor: Actor | null): Promise<SubscriptionView> {
  const userId = userIdOf(assertCan(actor, "dashboard.read"));
  const db = await getDb();
  const [row] = await db.select().from(emailSubscriptions).where(eq(emailSubscriptions.userId, userId));
  if (!row) return { events: [], updates: [], weeklyDigest: false };
  const slugs = await slugsById(row.updateIds);
  return { events: row.events, updates: row.updateIds.map((id) => slugs.get(id)).filter((s): s is string => !!s), weeklyDigest: row.weeklyDigest };
}

export async function listListSubscriptions(actor: Actor | null): Promise<ListSubscriptionView[]> {
  assertCan(actor, "webhook.manage");
  const db = await getDb();
  const rows = await db.select().from(emailSubscriptions).where(isNotNull(emailSubscriptions.address)).orderBy(asc(emailSubscriptions.address)).limit(100);
  const slugs = await slugsById([...new Set(rows.flatMap((r) => r.updateIds))]);
  return rows.map((r) => ({
    id: r.id,
    address: r.address!,
    createdAt: r.createdAt,
    events: r.events,
    updates: r.updateIds.map((id) => slugs.get(id)).filter((s): s is string => !!s),
    weeklyDigest: r.weeklyDigest,
  }));
}

/** The updates a subscription can name, newest first (at most 200). */
export async function subscribableUpdates(actor: Actor | null): Promise<Array<{ slug: string; title: string }>> {
  assertCan(actor, "update.read");
  const db = await getDb();
  return db.select({ slug: updates.slug, title: updates.title }).from(updates).orderBy(desc(updates.id)).limit(200);
}

export type EmailDeliveryView = {
  id: number;
  kind: "event" | "digest" | "reminder";
  eventType: string | null;
  toAddress: string;
  status: "pending" | "delivered" | "dead";
  attempts: number;
  lastAttemptAt: Date | null;
  lastResponse: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
};

/** The email delivery log, newest first (admins; at most 100). */
export async function listEmailDeliveries(actor: Actor | null, limit = 100): Promise<EmailDeliveryView[]> {
  assertCan(actor, "webhook.manage");
  const db = await getDb();
  return db
    .select({
      id: emailDeliveries.id,
      kind: emailDeliveries.kind,
      eventType: outboxEvents.type,
      toAddress: emailDeliveries.toAddress,
      status: emailDeliveries.status,
      attempts: emailDeliveries.attempts,
      lastAttemptAt: emailDeliveries.lastAttemptAt,
      lastResponse: emailDeliveries.lastResponse,
      deliveredAt: emailDeliveries.deliveredAt,
      createdAt: emailDeliveries.createdAt,
    })
    .from(emailDeliveries)
    .leftJoin(outboxEvents, eq(outboxEvents.id, emailDeliveries.eventId))
    .orderBy(desc(emailDeliveries.id))
    .limit(Math.min(Math.max(1, limit), 100));
}
