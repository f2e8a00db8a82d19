import "server-only";
// Login throttling: after 10 failed attempts for one account or from one address within 15
// minutes, further attempts are refused with a retry time. Nothing is locked for good, so an
// attacker cannot keep a user out for longer than the window.
import { and, eq, gt, lt, sql } from "drizzle-orm";
import { getDb, queryRows, type Db } from "@/db/client";
import { loginAttempts } from "@/db/schema";

export const THROTTLE_MAX_FAILURES = 10;
export const THROTTLE_WINDOW_MS = 15 * 60_000;

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase().slice(0, 320);
}

// Advisory-lock namespaces (first key) for the per-account and per-address reservations.
const LOCK_ACCOUNT = 72_368_301;
const LOCK_ADDRESS = 72_368_302;

/**
 * Only the latest 10 failures matter: the wait ends when the oldest of them leaves the window.
 * Failures per account count since that account's last successful sign-in (a user who gets in
 * starts afresh); failures per address count over the whole window.
 */
async function throttleVerdict(db: Db, account: string, ip: string, now: Date): Promise<ThrottleVerdict> {
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const [byAccount] = await queryRows<{ n: number; oldest: string | Date | null }>(
    db,
    sql`select count(*)::int as n, min(at) as oldest from (
          select at from ${loginAttempts}
          where email = ${account} and success = false and at > ${since.toISOString()}::timestamptz
            and at > coalesce((select max(at) from ${loginAttempts} where email = ${account} and success = true), '-infinity'::timestamptz)
          order by at desc limit ${THROTTLE_MAX_FAILURES}) recent`,
  );
  const [byIp] = await queryRows<{ n: number; oldest: string | Date | null }>(
    db,
    sql`select count(*)::int as n, min(at) as oldest from (
          select at from ${loginAttempts} where ip = ${ip} and success = false and at > ${since.toISOString()}::timestamptz
          order by at desc limit ${THROTTLE_MAX_FAILURES}) recent`,
  );
  let retryAt = 0;
  for (const count of [byAccount, byIp]) {
    if (count && count.n >= THROTTLE_MAX_FAILURES && count.oldest) {
      retryAt = Math.max(retryAt, new Date(count.oldest).getTime() + THROTTLE_WINDOW_MS);
    }
  }
  if (retryAt > now.getTime()) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000)) };
  return { allowed: true };
}

/** A read-only look at the throttle (the sign-in route answers 429 with it before next-auth runs). */
export async function checkLoginThrottle(email: string, ip: string, now = new Date()): Promise<ThrottleVerdict> {
  return throttleVerdict(await getDb(), normaliseEmail(email), ip, now);
}

export type Reservation = { allowed: true; attemptId: number } | { allowed: false; retryAfterSeconds: number };

/**
 * Checks the throttle and, when allowed, records the attempt as a failure before the password is
 * verified, under per-account and per-address advisory locks: concurrent attempts queue here, so
 * at most THROTTLE_MAX_FAILURES passwords are ever checked in a window (issue #14: 40 parallel
 * guesses used to get 12 verifications). `settleLoginAttempt` marks a success afterwards.
 */
export async function reserveLoginAttempt(email: string, ip: string, now = new Date()): Promise<Reservation> {
  const db = await getDb();
  const account = normaliseEmail(email);
  const reservation = await db.transaction(async (tx) => {
    const txDb = tx as unknown as Db;
    // Always account first, then address: every transaction takes them in the same order.
    await txDb.execute(sql`select pg_advisory_xact_lock(${LOCK_ACCOUNT}::int4, hashtext(${account}))`);
    await txDb.execute(sql`select pg_advisory_xact_lock(${LOCK_ADDRESS}::int4, hashtext(${ip}))`);
    const verdict = await throttleVerdict(txDb, account, ip, now);
    if (!verdict.allowed) return verdict;
    const [row] = await tx
      .insert(loginAttempts)
      .values({ email: account, ip, success: false, at: sql`clock_timestamp()` })
      .returning({ id: loginAttempts.id });
    return { allowed: true as const, attemptId: row.id };
  });
  // Keep the table small: attempts older than a day tell the throttle nothing.
  if (Math.random() < 0.02) {
    await db.delete(loginAttempts).where(lt(loginAttempts.at, new Date(Date.now() - 24 * 3_600_000)));
  }
  return reservation;
}

/** Turns a reserved attempt into a success (it stays a failure otherwise). */
export async function settleLoginAttempt(attemptId: number, success: boolean): Promise<void> {
  if (!success) return;
  const db = await getDb();
  await db.update(loginAttempts).set({ success: true }).where(eq(loginAttempts.id, attemptId));
}

/** Failed attempts for an account in the window (the admin page shows it). */
export async function recentFailures(email: string): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.email, normaliseEmail(email)),
        eq(loginAttempts.success, false),
        gt(loginAttempts.at, new Date(Date.now() - THROTTLE_WINDOW_MS)),
      ),
    );
  return row?.n ?? 0;
}
