import "server-only";
// The email half of the outbox's dispatcher: which subscribers an event's mail goes to (made in the
// same statement that fans the event out to webhooks), claiming due mails with a lease (FOR UPDATE
// SKIP LOCKED, as webhook deliveries), sending them and recording how it went. The same rules as
// webhooks: at least once, exponential backoff, dead 24 h after the mail was made.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { claimLeased, ms } from "@/lib/outbox/claim";
import { eventEmail, type EmailContent } from "./email-body";
import type { Mailer } from "./mailer";


/**
 * CTEs that make one `event` mail per (claimed event, subscribed address): a subscription matches
 * when it names the type (or "*") and, if it names updates, the event's update — read from the
 * event's `update` slug, or for known-issue events from the update. Disabled users get none.
 * Expects a CTE `claimed (id, type, data)` before it.
 */
export function eventMailsCte(windowMs: number): SQL {
  return sql`about as (
      select c.id, c.type, coalesce(u.id, ki.update_id) as update_id from claimed c
      left join updates u on u.slug = c.data->>'update'
      left join known_issues ki on ki.advisory_id = c.data->>'advisoryId'
    ), recipients as (
      select s.id, s.events, s.update_ids, coalesce(s.address, us.email) as address
      from email_subscriptions s left join users us on us.id = s.user_id
      where s.address is not null or not us.disabled
    ), mailed as (
      insert into email_deliveries (kind, dedupe_key, event_id, subscription_id, to_address, retry_until)
      select distinct on (a.id, lower(r.address)) 'event', 'event:' || a.id || ':' || lower(r.address), a.id, r.id, r.address, now() + ${ms(windowMs)}
      from about a join recipients r
        on ('*' = any(r.events) or a.type = any(r.events)) and (cardinality(r.update_ids) = 0 or a.update_id = any(r.update_ids))
      order by a.id, lower(r.address), r.id
      on conflict (dedupe_key) do nothing
    )`;
}

export type ClaimedEmail = {
  id: number;
  attempts: number;
  kind: "event" | "digest" | "reminder";
  to_address: string;
  subject: string | null;
  text_body: string | null;
  html_body: string | null;
  event_id: number | null;
  type: string | null;
  data: Record<string, unknown> | null;
  link: string | null;
};

/** Takes up to `limit` due mails under a lease, so no other process sends them meanwhile (the same claim as webhook deliveries). */
export function claimDueEmails(db: Db, limit: number, leaseMs: number): Promise<ClaimedEmail[]> {
  return claimLeased<ClaimedEmail>(
    db,
    "email_deliveries",
    limit,
    leaseMs,
    sql`select c.id, c.attempts, c.kind::text as kind, c.to_address, c.subject, c.text_body, c.html_body, c.event_id, e.type, e.data, e.link
        from claimed c left join outbox_events e on e.id = c.event_id order by c.id`,
  );
}

/** The mail's subject and bodies: an event mail is written from its event, the others were written when made. */
export function contentOf(mail: ClaimedEmail): EmailContent {
  if (mail.kind === "event" && mail.type) return eventEmail({ type: mail.type, data: mail.data ?? {}, link: mail.link ?? "" });
  return { subject: mail.subject ?? "[Rollcall]", text: mail.text_body ?? "", html: mail.html_body ?? "" };
}

export async function sendEmail(mailer: Mailer, mail: ClaimedEmail, host: string) {
  const headers: Record<string, string> = { "X-Rollcall-Kind": mail.kind };
  if (mail.event_id !== null && mail.type) {
    headers["X-Rollcall-Event"] = mail.type;
    headers["X-Rollcall-Delivery"] = String(mail.event_id);
  }
  return mailer.send({ ...contentOf(mail), to: mail.to_address, messageId: `<rollcall-mail-${mail.id}@${host}>`, headers });
}

/** Stores how an attempt went: delivered, due again after the backoff, or dead once past its window. */
export async function settleEmail(db: Db, mail: ClaimedEmail, result: { ok: boolean; latencyMs: number; response: string }, delayMs: number): Promise<void> {
  const pastWindow = sql`now() + ${ms(delayMs)} > retry_until`;
  await db.execute(sql`
    update email_deliveries set
      status = case when ${result.ok}::boolean then 'delivered'::delivery_status when ${pastWindow} then 'dead'::delivery_status else 'pending'::delivery_status end,
      delivered_at = case when ${result.ok}::boolean then now() else null end,
      dead_at = case when not ${result.ok}::boolean and ${pastWindow} then now() else null end,
      next_attempt_at = case when ${result.ok}::boolean then next_attempt_at else now() + ${ms(delayMs)} end,
      last_latency_ms = ${result.latencyMs}::int,
      last_response = ${result.response}
    where id = ${mail.id} and attempts = ${mail.attempts} and status = 'pending'`);
}

