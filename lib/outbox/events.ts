import "server-only";
// The event types of the outbox and how a change emits them: `emitEvents(tx, events)` inside the
// change's transaction (the kernel does it for a mutation's `events`), so an event exists exactly
// when its change committed. The dispatcher (./dispatcher.ts) delivers them afterwards.
import { sql, type SQL } from "drizzle-orm";
import { outboxEvents } from "@/db/schema";
import { txRows, type Tx } from "@/db/tx";
import { absoluteLink, type OutboxEvent } from "./event-types";

export { EVENT_TYPES, type EventType, type OutboxEvent } from "./event-types";

const wakeListeners: Set<() => void> = ((globalThis as { __rollcallOutboxWake?: Set<() => void> }).__rollcallOutboxWake ??= new Set());

/** Called after a commit that wrote events: an idle dispatcher in this process looks at once instead of at its next poll. */
export function wakeDispatchers(): void {
  for (const listener of wakeListeners) listener();
}

/** A dispatcher's wake-up; returns the function that removes it. */
export function onOutboxWrite(listener: () => void): () => void {
  wakeListeners.add(listener);
  return () => wakeListeners.delete(listener);
}

const benchSwitch = ((globalThis as { __rollcallOutboxBench?: { off: boolean } }).__rollcallOutboxBench ??= { off: false });

/** For `npm run bench` only (bench/outbox.ts): with `on` false no outbox row is written, to measure what writing them costs a change. */
export function toggleOutboxForBench(on: boolean): void {
  benchSwitch.off = !on;
}

/**
 * The insert of `events` as one statement, for a caller that sends it in the same round trip as its
 * other writes (the write kernel, with the change's audit entries); null when there is nothing to write.
 */
export function eventsInsert(tx: Tx, events: readonly OutboxEvent[]): SQL | null {
  if (events.length === 0 || benchSwitch.off) return null;
  const now = new Date();
  return tx
    .insert(outboxEvents)
    .values(events.map((e) => ({ type: e.type, occurredAt: e.occurredAt ?? now, data: e.data, link: absoluteLink(e.path), fannedOutAt: null })))
    .getSQL();
}

/** Writes `events` in the caller's transaction (nothing when the list is empty). Answers how many. */
export async function emitEvents(tx: Tx, events: readonly OutboxEvent[]): Promise<number> {
  const insert = eventsInsert(tx, events);
  if (!insert) return 0;
  await tx.execute(insert);
  return events.length;
}

/** How much the dispatcher still has to do: undelivered webhook deliveries and mails and events not yet fanned out, and the oldest one's age. */
export async function outboxBacklog(tx: Pick<Tx, "execute">): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const [row] = await txRows<{ pending: number; oldest: number }>(
    tx,
    sql`select count(*)::int as pending, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as oldest from (
          select created_at from outbox_events where fanned_out_at is null
          union all
          select created_at from webhook_deliveries where status = 'pending'
          union all
          select created_at from email_deliveries where status = 'pending'
        ) backlog`,
  );
  return { pending: Number(row?.pending ?? 0), oldestAgeSeconds: Number(row?.oldest ?? 0) };
}
