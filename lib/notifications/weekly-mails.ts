import "server-only";
// The dispatcher's weekly jobs (run on every pass's periodic tick, in every process): the adoption
// digest for each subscription that asks for it, and a reminder per overdue offline-media machine to
// whoever recorded its posting or appointment (issue #21 item 4). Each mail's de-duplication key
// holds the ISO week, so however many processes and passes run, each goes out once per week.
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { emailDeliveries } from "@/db/schema";
import { txRows } from "@/db/tx";
import { digestEmail, reminderEmail, type DigestRow } from "./email-body";
import { isoWeek } from "./iso-week";

type NewMail = typeof emailDeliveries.$inferInsert;

async function insertOnce(db: Db, mails: NewMail[]): Promise<number> {
  let made = 0;
  // In slices: one statement holds at most 65,535 parameters.
  for (let i = 0; i < mails.length; i += 500) {
    const rows = await db.insert(emailDeliveries).values(mails.slice(i, i + 500)).onConflictDoNothing({ target: emailDeliveries.dedupeKey }).returning({ id: emailDeliveries.id });
    made += rows.length;
  }
  return made;
}

/** Adoption of every update with an active rollout: in scope, installed, failed, installs in the 7 days before `now`. */
async function adoptionRows(db: Db, now: Date): Promise<Array<DigestRow & { updateId: number }>> {
  const rows = await txRows<{ update_id: number; slug: string; title: string; in_scope: number; installed: number; failed: number; this_week: number }>(
    db,
    sql`select u.id as update_id, u.slug, u.title,
          coalesce(sum(c.count) filter (where c.state not in ('not_applicable', 'excluded')), 0)::int as in_scope,
          coalesce(sum(c.count) filter (where c.state = 'installed'), 0)::int as installed,
          coalesce(sum(c.count) filter (where c.state in ('failed', 'rolled_back')), 0)::int as failed,
          (select coalesce(sum(a.installed), 0)::int from adoption_daily a
            where a.update_id = u.id and a.day > (${now.toISOString()}::timestamptz - interval '7 days')::date and a.day <= ${now.toISOString()}::timestamptz::date) as this_week
        from updates u join deployment_counts c on c.update_id = u.id and c.rollout_id > 0
        where exists (select 1 from rollouts r where r.update_id = u.id and r.status = 'active')
        group by u.id, u.slug, u.title order by u.title`,
  );
  return rows.map((r) => ({ updateId: Number(r.update_id), slug: r.slug, title: r.title, inScope: Number(r.in_scope), installed: Number(r.installed), failed: Number(r.failed), installedThisWeek: Number(r.this_week) }));
}

/** Makes this week's digest for every subscription that asks for one and has none yet. Answers how many were made. */
export async function enqueueWeeklyDigests(db: Db, now: Date, windowMs: number): Promise<number> {
  const week = isoWeek(now);
  const due = await txRows<{ id: number; address: string; update_ids: number[] }>(
    db,
    sql`select s.id, coalesce(s.address, u.email) as address, s.update_ids from email_subscriptions s left join users u on u.id = s.user_id
        where s.weekly_digest and (s.address is not null or not u.disabled)
          and not exists (select 1 from email_deliveries d where d.dedupe_key = 'digest:' || s.id || ':' || ${week})`,
  );
  if (due.length === 0) return 0;
  const adoption = await adoptionRows(db, now);
  const retryUntil = new Date(now.getTime() + windowMs);
  return insertOnce(
    db,
    due.map((s) => {
      const followed = (s.update_ids ?? []).map(Number);
      const content = digestEmail(week, followed.length ? adoption.filter((r) => followed.includes(r.updateId)) : adoption);
      return { kind: "digest", dedupeKey: `digest:${s.id}:${week}`, subscriptionId: s.id, toAddress: s.address, subject: content.subject, textBody: content.text, htmlBody: content.html, retryUntil };
    }),
  );
}

/**
 * Makes this week's reminder for every overdue offline-media machine (its latest step a posting or an
 * appointment older than the wave's overdue days, not installed, in a rollout neither completed nor cancelled), to the user who
 * recorded that step. Inventory has no department contact yet, so the recorder is the owner list.
 */
export async function enqueueMediaReminders(db: Db, now: Date, windowMs: number): Promise<number> {
  const week = isoWeek(now);
  const overdue = await txRows<{ rollout_id: number; rollout: string; device_id: number; hostname: string; wave: string; step: "posted" | "appointment"; occurred_at: Date | string; overdue_days: number; address: string }>(
    db,
    sql`with last as (
          select distinct on (m.rollout_id, m.device_id) m.rollout_id, m.device_id, m.step::text as step, m.occurred_at, m.recorded_by
          from media_steps m join rollouts r on r.id = m.rollout_id and r.status not in ('completed', 'cancelled')
          order by m.rollout_id, m.device_id, m.occurred_at desc, m.id desc
        )
        select l.rollout_id, r.name as rollout, l.device_id, v.hostname, w.name as wave, l.step, l.occurred_at, w.media_overdue_days as overdue_days, u.email as address
        from last l
        join rollouts r on r.id = l.rollout_id
        join waves w on w.rollout_id = l.rollout_id
        join deployments d on d.wave_id = w.id and d.device_id = l.device_id and d.channel in ('offline_media', 'technician')
          and d.state not in ('installed', 'not_applicable', 'excluded')
        join devices v on v.id = l.device_id
        join users u on u.id = l.recorded_by and not u.disabled
        where l.step in ('posted', 'appointment')
          and l.occurred_at < ${now.toISOString()}::timestamptz - make_interval(days => w.media_overdue_days)
          and not exists (select 1 from email_deliveries e where e.dedupe_key = 'reminder:' || l.rollout_id || ':' || l.device_id || ':' || ${week} || ':' || lower(u.email))`,
  );
  const retryUntil = new Date(now.getTime() + windowMs);
  return insertOnce(
    db,
    overdue.map((m) => {
      const since = m.occurred_at instanceof Date ? m.occurred_at : new Date(m.occurred_at);
      const content = reminderEmail({ hostname: m.hostname, rollout: m.rollout, rolloutId: Number(m.rollout_id), wave: m.wave, step: m.step, since, overdueDays: Number(m.overdue_days) });
      return {
        kind: "reminder",
        dedupeKey: `reminder:${m.rollout_id}:${m.device_id}:${week}:${m.address.toLowerCase()}`,
        toAddress: m.address,
        subject: content.subject,
        textBody: content.text,
        htmlBody: content.html,
        retryUntil,
      };
    }),
  );
}
