// The outbox's event types and the shape of an event: plain data, shared by the server (which emits
// and delivers them) and the admin's webhook form (which lists them).
/** The types a webhook can subscribe to (`update.paused` and `wave.deadline_at_risk` come with the calendar). */
export const EVENT_TYPES = [
  "wave.started",
  "wave.paused",
  "wave.halted",
  "wave.completed",
  "gate.passed",
  "gate.breached",
  "known_issue.created",
  "known_issue.status_changed",
  "known_issue.hold_applied",
  "known_issue.hold_lifted",
  "known_issue.fix_link_added",
  "update.slipped",
  "update.paused",
  "update.resumed",
  "wave.deadline_at_risk",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One thing that happened: its type, what a receiver needs to act on it, and the page it is about. */
export type OutboxEvent = {
  type: EventType;
  data: Record<string, unknown>;
  /** The page, as a path ("/rollouts/3"); stored as an absolute address. */
  path: string;
  occurredAt?: Date;
};

/** The address users open (NEXTAUTH_URL), so a link in a chat message or a ticket leads to the page. */
export function absoluteLink(path: string): string {
  const base = process.env.NEXTAUTH_URL?.trim() || `http://localhost:${process.env.PORT?.trim() || "3000"}`;
  return new URL(path, base.endsWith("/") ? base : `${base}/`).toString();
}
