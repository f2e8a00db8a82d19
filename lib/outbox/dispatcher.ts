import "server-only";
// The outbox's dispatcher: gives each new event a delivery per subscribed webhook (fan-out), then
// sends due deliveries, outside any change's transaction, each with a timeout. At least once: a
// delivery is only marked delivered after a 2xx. Several server processes on one PostgreSQL share
// the work: fan-out and claims take rows `FOR UPDATE SKIP LOCKED`, and a claimed delivery carries a
// lease (its next_attempt_at moves past the attempt's timeout), so no two processes send one
// delivery at the same time, and one that died mid-attempt is picked up again when its lease ends.
// A failure is retried with exponential backoff until 24 h after the delivery was made; then dead.
// Email (lib/notifications/) rides the same loop when SMTP_URL is set: an event's mails are made in
// the fan-out statement, claimed and settled with the same lease and backoff, and the weekly jobs
// (adoption digest, overdue-media reminders) make their mails on a periodic tick, once per week.
import { sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { txRows } from "@/db/tx";
import { claimDueEmails, eventMailsCte, sendEmail, settleEmail } from "@/lib/notifications/email-deliveries";
import { readMailConfig, type MailConfig } from "@/lib/notifications/mail-config";
import { smtpMailer, type Mailer } from "@/lib/notifications/mailer";
import { enqueueMediaReminders, enqueueWeeklyDigests } from "@/lib/notifications/weekly-mails";
import { claimLeased, ms } from "./claim";
import { onOutboxWrite } from "./events";
import { deliveryBody, signatureHeader, type WebhookFormat } from "./webhook-body";

export type DispatcherOptions = {
  /** The database (default: the process's). */
  db?: () => Promise<Db>;
  /** How often an idle dispatcher looks for work another process wrote (this process's writes wake it at once). */
  pollMs?: number;
  /** Deliveries claimed and sent together. */
  batchSize?: number;
  /** How long a receiver has to answer. */
  timeoutMs?: number;
  /** First retry after this long, doubling per failed attempt up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Retries stop this long after the delivery was made (or redelivery asked for). */
  retryWindowMs?: number;
  /** Email: the SMTP settings (default: SMTP_URL and MAIL_FROM; null: email off). */
  mail?: MailConfig | null;
  /** How often the weekly jobs (digest, reminders) look for mails to make; each mail is made once per week anyway. */
  weeklyJobsMs?: number;
  /** The clock of the weekly jobs (tests move it). */
  now?: () => Date;
};

const DEFAULTS = {
  pollMs: 1_000,
  batchSize: 20,
  timeoutMs: 10_000,
  retryBaseMs: 10_000,
  retryMaxMs: 3_600_000,
  retryWindowMs: 24 * 3_600_000,
  weeklyJobsMs: 15 * 60_000,
} satisfies Omit<Required<DispatcherOptions>, "db" | "mail" | "now">;

const EXCERPT_CHARS = 500;

type Claimed = {
  id: number;
  attempts: number;
  event_id: number;
  type: string;
  occurred_at: Date | string;
  data: Record<string, unknown>;
  link: string;
  url: string;
  format: WebhookFormat;
  secret: string;
};

export type AttemptResult = { ok: boolean; statusCode: number | null; latencyMs: number; response: string };

export type Dispatcher = {
  /** One pass: fan out new events, send the due deliveries. Answers what it did. */
  runOnce(): Promise<{ fannedOut: number; attempted: number }>;
  /** Look for work now (an event was just committed). */
  wake(): void;
  /** Stop polling and wait for attempts in flight. */
  stop(): Promise<void>;
};

/** The delay before retry number `attempts` (1 = after the first failure). */
export function retryDelayMs(attempts: number, base = DEFAULTS.retryBaseMs, max = DEFAULTS.retryMaxMs): number {
  return Math.min(max, base * 2 ** Math.max(0, attempts - 1));
}

/**
 * Makes a delivery row per (new event, subscribed webhook) and, with email on, a mail per subscribed
 * address; events are taken SKIP LOCKED so two processes never fan out one twice.
 */
async function fanOut(db: Db, windowMs: number, mail: boolean): Promise<number> {
  const rows = await txRows<{ id: number }>(
    db,
    sql`with claimed as (
          select id, type, data from outbox_events where fanned_out_at is null order by id limit 200 for update skip locked
        ), ${mail ? sql`${eventMailsCte(windowMs)}, ` : sql``}made as (
          insert into webhook_deliveries (event_id, webhook_id, retry_until)
          select c.id, w.id, now() + ${ms(windowMs)} from claimed c
          join webhooks w on '*' = any(w.events) or c.type = any(w.events)
          on conflict (event_id, webhook_id) do nothing
        )
        update outbox_events set fanned_out_at = now() where id in (select id from claimed) returning id`,
  );
  return rows.length;
}

/** Takes up to `limit` due deliveries: their lease runs past the attempt's timeout, so nobody else takes them meanwhile. */
function claimDue(db: Db, limit: number, leaseMs: number): Promise<Claimed[]> {
  return claimLeased<Claimed>(
    db,
    "webhook_deliveries",
    limit,
    leaseMs,
    sql`select c.id, c.attempts, c.event_id, e.type, e.occurred_at, e.data, e.link, w.url, w.format, w.secret
        from claimed c join outbox_events e on e.id = c.event_id join webhooks w on w.id = c.webhook_id
        order by c.event_id`,
  );
}

/** The first characters of an answer, without reading more of a large one. */
async function excerptOf(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (text.length < EXCERPT_CHARS) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => undefined);
  return text.slice(0, EXCERPT_CHARS);
}

/** POSTs one delivery (signed) and says how it went; never throws. */
export async function sendDelivery(claimed: Claimed, timeoutMs: number): Promise<AttemptResult> {
  const occurredAt = claimed.occurred_at instanceof Date ? claimed.occurred_at : new Date(claimed.occurred_at);
  const body = deliveryBody(claimed.format, { id: Number(claimed.event_id), type: claimed.type, occurredAt, data: claimed.data, link: claimed.link });
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(claimed.url, {
      method: "POST",
      body,
      // A redirect is not a delivery: the receiver's address is what the admin typed.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "Rollcall-Webhooks/1",
        "rollcall-event": claimed.type,
        "rollcall-delivery": String(claimed.event_id),
        "rollcall-signature": signatureHeader(claimed.secret, body, Math.floor(Date.now() / 1000)),
      },
    });
    const response_ = await excerptOf(response).catch(() => "");
    return { ok: response.status >= 200 && response.status < 300, statusCode: response.status, latencyMs: latency(), response: response_ };
  } catch (error) {
    const name = (error as Error)?.name;
    const why =
      name === "TimeoutError" || name === "AbortError"
        ? `No answer within ${timeoutMs / 1000} s.`
        : `Could not deliver: ${((error as Error & { cause?: Error })?.cause?.message ?? (error as Error)?.message ?? String(error)).slice(0, 200)}`;
    return { ok: false, statusCode: null, latencyMs: latency(), response: why };
  }
}

/** Stores how an attempt went: delivered, due again after the backoff, or dead once past its retry window. */
async function settle(db: Db, claimed: Claimed, result: AttemptResult, delayMs: number): Promise<void> {
  const pastWindow = sql`now() + ${ms(delayMs)} > retry_until`;
  await db.execute(sql`
    update webhook_deliveries set
      status = case when ${result.ok}::boolean then 'delivered'::delivery_status when ${pastWindow} then 'dead'::delivery_status else 'pending'::delivery_status end,
      delivered_at = case when ${result.ok}::boolean then now() else null end,
      dead_at = case when not ${result.ok}::boolean and ${pastWindow} then now() else null end,
      next_attempt_at = case when ${result.ok}::boolean then next_attempt_at else now() + ${ms(delayMs)} end,
      last_status_code = ${result.statusCode}::int,
      last_latency_ms = ${result.latencyMs}::int,
      last_response = ${result.response}
    where id = ${claimed.id} and attempts = ${claimed.attempts} and status = 'pending'`);
}

export function startDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const o = { ...DEFAULTS, ...options };
  const database = options.db ?? getDb;
  const mail = options.mail === undefined ? mailFromEnv() : options.mail;
  const mailer: Mailer | null = mail ? smtpMailer(mail, o.timeoutMs) : null;
  const now = options.now ?? (() => new Date());
  let weeklyJobsAt = 0;
  // The lease outlasts the attempt's timeout, so a claim is never taken twice while it is in flight.
  const leaseMs = o.timeoutMs * 2 + 30_000;

  // Attempts run in the background, at most `batchSize` at once: a receiver that never answers holds
  // one slot for its timeout, not the deliveries to everyone else.
  const inFlight = new Set<Promise<void>>();
  const retryTimers = new Set<NodeJS.Timeout>();
  let starved = false;

  // One attempt in the background: send, record, and look again when its retry is due.
  const track = <T extends { attempts: number }, R extends { ok: boolean }>(db: Db, item: T, send: (item: T) => Promise<R>, record: (db: Db, item: T, result: R, delay: number) => Promise<void>) => {
    const delay = retryDelayMs(item.attempts, o.retryBaseMs, o.retryMaxMs);
    const attempt: Promise<void> = send(item)
      .then(async (result) => {
        await record(db, item, result, delay);
        // Look again when the retry is due (another process may take it first; then this look finds nothing).
        if (!result.ok && delay < o.pollMs * 60) {
          const retry = setTimeout(() => {
            retryTimers.delete(retry);
            wake();
          }, delay + 5);
          retry.unref();
          retryTimers.add(retry);
        }
      })
      .catch((error) => console.error("[outbox] recording a delivery failed:", error instanceof Error ? error.message : error))
      .finally(() => {
        inFlight.delete(attempt);
        if (starved) {
          starved = false;
          wake();
        }
      });
    inFlight.add(attempt);
    return attempt;
  };

  const pass = async () => {
    const db = await database();
    if (mailer && Date.now() - weeklyJobsAt >= o.weeklyJobsMs) {
      weeklyJobsAt = Date.now();
      const at = now();
      await enqueueWeeklyDigests(db, at, o.retryWindowMs);
      await enqueueMediaReminders(db, at, o.retryWindowMs);
    }
    const fannedOut = await fanOut(db, o.retryWindowMs, mailer !== null);
    let room = o.batchSize - inFlight.size;
    const claimed = room > 0 ? await claimDue(db, room, leaseMs) : [];
    room -= claimed.length;
    const mails = mailer && room > 0 ? await claimDueEmails(db, room, leaseMs) : [];
    room -= mails.length;
    if (room <= 0) starved = true;
    const attempts = [
      ...claimed.map((delivery) => track(db, delivery, (d) => sendDelivery(d, o.timeoutMs), settle)),
      ...mails.map((m) => track(db, m, (x) => sendEmail(mailer!, x, mail!.host), settleEmail)),
    ];
    return { fannedOut, attempted: attempts.length, attempts };
  };

  const runOnce = async () => {
    const { fannedOut, attempted, attempts } = await pass();
    await Promise.all(attempts);
    return { fannedOut, attempted };
  };

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let lastFailure = "";

  const loop = async () => {
    do {
      again = false;
      try {
        // Fresh deliveries are due at once: claim them in the next round.
        if ((await pass()).fannedOut > 0) again = true;
        lastFailure = "";
      } catch (error) {
        // Said once per cause, not every poll while the database is down.
        const message = error instanceof Error ? error.message : String(error);
        if (message !== lastFailure) console.error("[outbox] dispatch failed:", message);
        lastFailure = message;
        break;
      }
    } while (again && !stopped);
  };

  const schedule = (delay: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, delay);
    timer.unref();
  };

  function tick() {
    if (running) {
      again = true;
      return;
    }
    running = loop().finally(() => {
      running = undefined;
      schedule(o.pollMs);
    });
  }

  function wake() {
    if (running) again = true;
    else schedule(0);
  }

  const unsubscribe = onOutboxWrite(wake);
  schedule(0);

  return {
    runOnce,
    wake,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      for (const retry of retryTimers) clearTimeout(retry);
      unsubscribe();
      await running;
      await Promise.all([...inFlight]);
      mailer?.close();
    },
  };
}

/** Email's settings from the environment; a wrong value already failed the start (lib/server/env.ts), so here it only turns email off. */
function mailFromEnv(): MailConfig | null {
  try {
    return readMailConfig();
  } catch (error) {
    console.error(`[outbox] email off: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/** The server process's dispatcher (one per process, kept across hot reloads); stopped on shutdown by lib/server/lifecycle.ts. */
export function ensureDispatcher(): Dispatcher {
  const g = globalThis as { __rollcallDispatcher?: Dispatcher };
  g.__rollcallDispatcher ??= startDispatcher();
  return g.__rollcallDispatcher;
}
