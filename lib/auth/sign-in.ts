import "server-only";
// Signing in and out: password sign-in (throttled, the same work for every failure), single
// sign-on by issuer and subject, and the session bookkeeping request-actor.ts checks. These keep
// their own transactions: there is no actor yet when they start (test/architecture lists this file).
// Nothing here ever returns a password hash.
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users, type Role } from "@/db/schema";
import type { Transaction } from "@/db/tx";
import { recordAudit } from "@/lib/audit/log";
import type { UserActor } from "./actor";
import { generatePassword, hashPassword, verifyPassword } from "./password";
import { PASSWORD_MAX_LENGTH } from "./password-policy";
import { normaliseEmail, reserveLoginAttempt, settleLoginAttempt } from "./throttle";

// ---------------------------------------------------------------- sessions

export type SessionUser = { id: number; email: string; name: string; role: Role; disabled: boolean; sessionVersion: number };

const sessionColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  disabled: users.disabled,
  sessionVersion: users.sessionVersion,
};

export async function findSessionUser(id: number): Promise<SessionUser | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const db = await getDb();
  const [row] = await db.select(sessionColumns).from(users).where(eq(users.id, id)).limit(1);
  return row ?? null;
}

export function toUserActor(user: SessionUser, ip?: string): UserActor {
  return { kind: "user", userId: user.id, email: user.email, name: user.name, role: user.role, ...(ip ? { ip } : {}) };
}

/**
 * Signing out ends the session on the server: the user's session version moves on, so the signed-out
 * cookie (and any copy of it) is refused from now on. Other sessions of the same user end too; the
 * cookie carries no id of its own to deny one session alone. A stale version changes nothing.
 */
export async function endSessions(userId: number, sessionVersion: number, ip?: string): Promise<void> {
  if (!Number.isSafeInteger(userId) || userId <= 0) return;
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(and(eq(users.id, userId), eq(users.sessionVersion, sessionVersion)))
      .returning(sessionColumns);
    if (!row) return;
    await recordAudit(tx, toUserActor(row, ip), { action: "user.sign_out", targetType: "user", targetId: row.id });
  });
}

// ---------------------------------------------------------------- password sign-in

let dummyHash: Promise<string> | undefined;
/** A real argon2id hash of a random password, so unknown emails cost as much as known ones. */
function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(generatePassword(24));
  return dummyHash;
}

export type SignInResult =
  | { ok: true; user: SessionUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks an email and password. One answer for every failure ("invalid"), and the same work
 * (one argon2id verification) whether or not the email exists or the account is disabled.
 */
export async function signInWithPassword(email: string, password: string, ip: string): Promise<SignInResult> {
  const reservation = await reserveLoginAttempt(email, ip);
  if (!reservation.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: reservation.retryAfterSeconds };
  const row = await findPasswordAccount(normaliseEmail(email));
  // An oversized password is refused without hashing (no CPU to burn), known email or not.
  const tooLong = [...password].length > PASSWORD_MAX_LENGTH;
  const matches = tooLong ? false : await verifyPassword(row?.passwordHash ?? (await getDummyHash()), password);
  const ok = matches && !!row && !row.disabled && !!row.passwordHash;
  await settleLoginAttempt(reservation.attemptId, ok);
  if (!ok || !row) return { ok: false, reason: "invalid" };
  const { passwordHash: _hash, ...user } = row;
  await recordSignIn(user, ip);
  return { ok: true, user };
}

/** The account with this (normalised) email and its hash; none for an empty email. */
async function findPasswordAccount(account: string): Promise<(SessionUser & { passwordHash: string | null }) | undefined> {
  if (account.length === 0) return undefined;
  const db = await getDb();
  const [row] = await db
    .select({ ...sessionColumns, passwordHash: users.passwordHash })
    .from(users)
    .where(sql`lower(${users.email}) = ${account}`)
    .limit(1);
  return row;
}

async function recordSignIn(user: SessionUser, ip: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
    await recordAudit(tx, toUserActor(user, ip), { action: "user.sign_in", targetType: "user", targetId: user.id, after: { method: "password" } });
  });
}

// ---------------------------------------------------------------- single sign-on

export type SsoIdentity = { issuer: string; subject: string; email: string | null; emailVerified: boolean; name: string | null; role: Role | null };

/** `issuer|subject`: how an SSO identity is stored on its user (unique). */
export function ssoExternalId(issuer: string, subject: string): string {
  return `${issuer}|${subject}`;
}

type UserRow = typeof users.$inferSelect;

const SSO_ACTOR = { kind: "system", label: "sso" } as const;

/**
 * Finds or creates the user behind an OIDC identity, by issuer and subject only. An existing
 * account with the same email is never taken over by an identity it is not linked to (issue #14,
 * "nOAuth": any tenant of a multi-tenant provider can claim a verified email): an admin links it
 * (`linkSsoIdentity`, `rollcall user link-sso`), or the operator opts in with OIDC_LINK_BY_EMAIL=true.
 * Returns null when the account is disabled or the email belongs to an unlinked account.
 */
export async function signInWithSso(identity: SsoIdentity, ip: string, options: { linkByEmail?: boolean } = {}): Promise<SessionUser | null> {
  const externalId = ssoExternalId(identity.issuer, identity.subject);
  const db = await getDb();
  return db.transaction(async (tx) => {
    let [row]: (UserRow | undefined)[] = await tx.select().from(users).where(eq(users.externalId, externalId)).limit(1).for("update");
    if (!row && options.linkByEmail && identity.email && identity.emailVerified) row = await linkByVerifiedEmail(tx, identity, identity.email, externalId);
    if (row?.disabled) return null;
    const signedIn = row ? await followIdentityRole(tx, row, identity) : await createSsoUser(tx, identity, externalId);
    if (!signedIn) return null;
    const { id, email, name, role, disabled, sessionVersion } = signedIn;
    const user = { id, email, name, role, disabled, sessionVersion };
    await recordAudit(tx, toUserActor(user, ip), { action: "user.sign_in", targetType: "user", targetId: user.id, after: { method: "sso" } });
    return user;
  });
}

/** OIDC_LINK_BY_EMAIL=true: an unlinked account with the identity's verified email is linked to it (not when disabled). */
async function linkByVerifiedEmail(tx: Transaction, identity: SsoIdentity, email: string, externalId: string): Promise<UserRow | undefined> {
  const [row] = await tx
    .select()
    .from(users)
    .where(and(sql`lower(${users.email}) = ${normaliseEmail(email)}`, sql`${users.externalId} is null`))
    .limit(1)
    .for("update");
  if (row && !row.disabled) {
    await tx.update(users).set({ externalId }).where(eq(users.id, row.id));
    await recordAudit(tx, SSO_ACTOR, {
      action: "user.link_sso",
      targetType: "user",
      targetId: row.id,
      after: { issuer: identity.issuer, subject: identity.subject, by: "email" },
    });
  }
  return row;
}

/** A first sign-in creates the account; null when its email belongs to an unlinked account (refuse rather than merge). */
async function createSsoUser(tx: Transaction, identity: SsoIdentity, externalId: string): Promise<UserRow | null> {
  const email = identity.email ?? `${identity.subject}@${new URL(identity.issuer).hostname}`;
  const role = identity.role ?? "viewer";
  const [created] = await tx
    .insert(users)
    .values({ email, name: identity.name ?? "", role, externalId, lastLoginAt: new Date() })
    .onConflictDoNothing()
    .returning();
  if (!created) return null;
  await recordAudit(tx, SSO_ACTOR, { action: "user.create", targetType: "user", targetId: created.id, after: { email, role, sso: identity.issuer } });
  return created;
}

/** The identity provider is the source of truth for SSO users' roles: a new role ends the old sessions. */
async function followIdentityRole(tx: Transaction, row: UserRow, identity: SsoIdentity): Promise<UserRow> {
  const changes: Partial<typeof users.$inferInsert> = { lastLoginAt: new Date() };
  if (identity.role && identity.role !== row.role) {
    changes.role = identity.role;
    changes.sessionVersion = row.sessionVersion + 1;
    await recordAudit(tx, SSO_ACTOR, { action: "user.set_role", targetType: "user", targetId: row.id, before: { role: row.role }, after: { role: identity.role } });
  }
  const [updated] = await tx.update(users).set(changes).where(eq(users.id, row.id)).returning();
  return updated;
}
