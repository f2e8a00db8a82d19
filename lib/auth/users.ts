import "server-only";
// People: password sign-in, single-sign-on accounts and the admin operations on users. Every
// change bumps the session version where it must end existing sessions, and is audited in the
// same transaction. Nothing here ever returns a password hash.
import { and, asc, eq, ilike, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Db } from "@/db/client";
import { roleEnum, users, type Role } from "@/db/schema";
import { recordAudit } from "@/lib/audit/log";
import { HttpError } from "@/lib/http/problem";
import type { Actor, UserActor } from "./actor";
import { generatePassword, hashPassword, verifyPassword } from "./password";
import { PASSWORD_MAX_LENGTH, passwordProblem } from "./password-policy";
import { assertCan } from "./permissions";
import { normaliseEmail, reserveLoginAttempt, settleLoginAttempt } from "./throttle";

export const ROLES = roleEnum.enumValues;

/** What the admin pages and the CLI show about a user. */
export type UserSummary = {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  sso: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
};

const summaryColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  disabled: users.disabled,
  externalId: users.externalId,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
};

function toSummary(row: { externalId: string | null } & Omit<UserSummary, "sso">): UserSummary {
  const { externalId, ...rest } = row;
  return { ...rest, sso: externalId !== null };
}

function invalid(path: string, message: string): HttpError {
  return new HttpError(422, message, { errors: [{ path, message }] });
}

// ---------------------------------------------------------------- sessions

export type SessionUser = { id: number; email: string; name: string; role: Role; disabled: boolean; sessionVersion: number };

export async function findSessionUser(id: number): Promise<SessionUser | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const db = await getDb();
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, disabled: users.disabled, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
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
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role, disabled: users.disabled, sessionVersion: users.sessionVersion });
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
  const account = normaliseEmail(email);
  const db = await getDb();
  const [row] =
    account.length > 0
      ? await db
          .select({
            id: users.id,
            email: users.email,
            name: users.name,
            role: users.role,
            disabled: users.disabled,
            sessionVersion: users.sessionVersion,
            passwordHash: users.passwordHash,
          })
          .from(users)
          .where(sql`lower(${users.email}) = ${account}`)
          .limit(1)
      : [];
  // An oversized password is refused without hashing (no CPU to burn), known email or not.
  const tooLong = [...password].length > PASSWORD_MAX_LENGTH;
  const matches = tooLong ? false : await verifyPassword(row?.passwordHash ?? (await getDummyHash()), password);
  const ok = matches && !!row && !row.disabled && !!row.passwordHash;
  await settleLoginAttempt(reservation.attemptId, ok);
  if (!ok || !row) return { ok: false, reason: "invalid" };
  const { passwordHash: _hash, ...user } = row;
  const actor = toUserActor(user, ip);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
    await recordAudit(tx, actor, { action: "user.sign_in", targetType: "user", targetId: user.id, after: { method: "password" } });
  });
  return { ok: true, user };
}

// ---------------------------------------------------------------- single sign-on

export type SsoIdentity = { issuer: string; subject: string; email: string | null; emailVerified: boolean; name: string | null; role: Role | null };

/** `issuer|subject`: how an SSO identity is stored on its user (unique). */
export function ssoExternalId(issuer: string, subject: string): string {
  return `${issuer}|${subject}`;
}

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
    let [row] = await tx.select().from(users).where(eq(users.externalId, externalId)).limit(1).for("update");
    if (!row && options.linkByEmail && identity.email && identity.emailVerified) {
      [row] = await tx
        .select()
        .from(users)
        .where(and(sql`lower(${users.email}) = ${normaliseEmail(identity.email)}`, sql`${users.externalId} is null`))
        .limit(1)
        .for("update");
      if (row && !row.disabled) {
        await tx.update(users).set({ externalId, updatedAt: new Date() }).where(eq(users.id, row.id));
        await recordAudit(tx, { kind: "system", label: "sso" }, {
          action: "user.link_sso",
          targetType: "user",
          targetId: row.id,
          after: { issuer: identity.issuer, subject: identity.subject, by: "email" },
        });
      }
    }
    const role = identity.role ?? "viewer";
    if (!row) {
      const email = identity.email ?? `${identity.subject}@${new URL(identity.issuer).hostname}`;
      const [created] = await tx
        .insert(users)
        .values({ email, name: identity.name ?? "", role, externalId, lastLoginAt: new Date() })
        .onConflictDoNothing()
        .returning();
      if (!created) return null; // the email belongs to an unlinked account; refuse rather than merge
      await recordAudit(tx, { kind: "system", label: "sso" }, {
        action: "user.create",
        targetType: "user",
        targetId: created.id,
        after: { email, role, sso: identity.issuer },
      });
      row = created;
    } else {
      if (row.disabled) return null;
      const changes: Partial<typeof users.$inferInsert> = { lastLoginAt: new Date() };
      // The identity provider is the source of truth for SSO users' roles.
      if (identity.role && identity.role !== row.role) {
        changes.role = identity.role;
        changes.sessionVersion = row.sessionVersion + 1;
        await recordAudit(tx, { kind: "system", label: "sso" }, {
          action: "user.set_role",
          targetType: "user",
          targetId: row.id,
          before: { role: row.role },
          after: { role: identity.role },
        });
      }
      [row] = await tx.update(users).set(changes).where(eq(users.id, row.id)).returning();
    }
    const user = { id: row.id, email: row.email, name: row.name, role: row.role, disabled: row.disabled, sessionVersion: row.sessionVersion };
    await recordAudit(tx, toUserActor(user, ip), { action: "user.sign_in", targetType: "user", targetId: user.id, after: { method: "sso" } });
    return user;
  });
}

// ---------------------------------------------------------------- administration

/**
 * Links an existing account to an SSO identity on purpose (an admin knows both belong to the same
 * person); the next sign-in with that issuer and subject gets this account. Ends its sessions.
 */
export async function linkSsoIdentity(actor: Actor, id: number, identity: { issuer: string; subject: string }): Promise<UserSummary> {
  assertCan(actor, "user.manage");
  const issuer = identity.issuer.trim();
  const subject = identity.subject.trim();
  if (!issuer) throw invalid("issuer", "Give the identity provider's issuer (OIDC_ISSUER).");
  if (!subject || subject.length > 255) throw invalid("subject", "Give the identity's subject (the sub claim), at most 255 characters.");
  const externalId = ssoExternalId(issuer, subject);
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const user = await lockUser(tx as unknown as Db, id);
    if (user.externalId === externalId) return user;
    const [other] = await tx.select({ email: users.email }).from(users).where(eq(users.externalId, externalId)).limit(1);
    if (other) throw new HttpError(409, `That identity is linked to ${other.email} already.`, { errors: [{ path: "subject", message: "Already linked." }] });
    const [updated] = await tx
      .update(users)
      .set({ externalId, sessionVersion: user.sessionVersion + 1, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    await recordAudit(tx, actor, {
      action: "user.link_sso",
      targetType: "user",
      targetId: id,
      before: { sso: user.externalId !== null },
      after: { issuer, subject },
    });
    return updated;
  });
  return toSummary(row);
}

export const RoleInput = z.enum(ROLES, { message: `Role must be one of ${ROLES.join(", ")}.` });
export const EmailInput = z.string().trim().max(320).pipe(z.email({ message: "Enter a valid email address." }));

export const CreateUserInput = z.object({
  email: EmailInput,
  name: z.string().trim().max(200).default(""),
  role: RoleInput,
  /** Omitted → a strong password is generated and returned once. */
  password: z.string().max(1024).optional(),
});

export async function listUsers(actor: Actor, filter: { q?: string } = {}): Promise<UserSummary[]> {
  assertCan(actor, "user.manage");
  const db = await getDb();
  const q = filter.q?.trim();
  const rows = await db
    .select(summaryColumns)
    .from(users)
    .where(q ? or(ilike(users.email, `%${escapeLike(q)}%`), ilike(users.name, `%${escapeLike(q)}%`)) : undefined)
    .orderBy(asc(users.email))
    .limit(500);
  return rows.map(toSummary);
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function getUserSummary(actor: Actor, id: number): Promise<UserSummary | null> {
  assertCan(actor, "user.manage");
  const db = await getDb();
  const [row] = await db.select(summaryColumns).from(users).where(eq(users.id, id)).limit(1);
  return row ? toSummary(row) : null;
}

export async function findUserByEmail(actor: Actor, email: string): Promise<UserSummary | null> {
  assertCan(actor, "user.manage");
  const db = await getDb();
  const [row] = await db.select(summaryColumns).from(users).where(sql`lower(${users.email}) = ${normaliseEmail(email)}`).limit(1);
  return row ? toSummary(row) : null;
}

export async function createUser(
  actor: Actor,
  input: z.input<typeof CreateUserInput>,
): Promise<{ user: UserSummary; generatedPassword: string | null }> {
  assertCan(actor, "user.manage");
  const parsed = CreateUserInput.safeParse(input);
  if (!parsed.success) {
    throw new HttpError(422, parsed.error.issues[0]?.message ?? "Invalid user.", {
      errors: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  const { email, name, role } = parsed.data;
  const generatedPassword = parsed.data.password ? null : generatePassword();
  const password = parsed.data.password ?? generatedPassword!;
  const problem = passwordProblem(password, { email });
  if (problem) throw invalid("password", problem);
  const passwordHash = await hashPassword(password);
  const db = await getDb();
  const user = await db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${normaliseEmail(email)}`).limit(1);
    if (existing) throw new HttpError(409, `A user with the email ${email} exists already.`, { errors: [{ path: "email", message: "Already in use." }] });
    const [created] = await tx.insert(users).values({ email, name, role, passwordHash }).returning(summaryColumns);
    await recordAudit(tx, actor, { action: "user.create", targetType: "user", targetId: created.id, after: { email, name, role } });
    return created;
  });
  return { user: toSummary(user), generatedPassword };
}

type UserRow = typeof users.$inferSelect;

/** Loads the user for change inside the transaction, or 404. */
async function lockUser(tx: Db, id: number): Promise<UserRow> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new HttpError(404, "No such user.");
  const [row] = await tx.select().from(users).where(eq(users.id, id)).limit(1).for("update");
  if (!row) throw new HttpError(404, "No such user.");
  return row;
}

/** Refuses a change that would leave no enabled admin: nobody could manage users any more. */
async function assertAnotherAdmin(tx: Db, userId: number): Promise<void> {
  const [{ n }] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.disabled, false), sql`${users.id} <> ${userId}`));
  if (n === 0) throw new HttpError(409, "This is the last enabled admin; make someone else admin first.");
}

export async function setUserRole(actor: Actor, id: number, role: Role): Promise<UserSummary> {
  assertCan(actor, "user.manage");
  const parsedRole = RoleInput.safeParse(role);
  if (!parsedRole.success) throw invalid("role", parsedRole.error.issues[0].message);
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const user = await lockUser(tx as unknown as Db, id);
    if (user.role === parsedRole.data) return user;
    if (user.role === "admin" && !user.disabled) await assertAnotherAdmin(tx as unknown as Db, user.id);
    const [updated] = await tx
      .update(users)
      .set({ role: parsedRole.data, sessionVersion: user.sessionVersion + 1, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    await recordAudit(tx, actor, { action: "user.set_role", targetType: "user", targetId: id, before: { role: user.role }, after: { role: parsedRole.data } });
    return updated;
  });
  return toSummary(row);
}

export async function setUserDisabled(actor: Actor, id: number, disabled: boolean): Promise<UserSummary> {
  assertCan(actor, "user.manage");
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const user = await lockUser(tx as unknown as Db, id);
    if (user.disabled === disabled) return user;
    if (disabled && user.role === "admin") await assertAnotherAdmin(tx as unknown as Db, user.id);
    const [updated] = await tx
      .update(users)
      .set({ disabled, sessionVersion: user.sessionVersion + 1, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    await recordAudit(tx, actor, {
      action: disabled ? "user.disable" : "user.enable",
      targetType: "user",
      targetId: id,
      before: { disabled: user.disabled },
      after: { disabled },
    });
    return updated;
  });
  return toSummary(row);
}

/** Sets a new password (generated when omitted, returned once) and ends the user's sessions. */
export async function resetUserPassword(actor: Actor, id: number, password?: string): Promise<{ user: UserSummary; generatedPassword: string | null }> {
  assertCan(actor, "user.manage");
  const db = await getDb();
  const [current] = await db.select({ email: users.email, externalId: users.externalId }).from(users).where(eq(users.id, id)).limit(1);
  if (!current) throw new HttpError(404, "No such user.");
  const generatedPassword = password ? null : generatePassword();
  const newPassword = password ?? generatedPassword!;
  const problem = passwordProblem(newPassword, { email: current.email });
  if (problem) throw invalid("password", problem);
  const passwordHash = await hashPassword(newPassword);
  const row = await db.transaction(async (tx) => {
    const user = await lockUser(tx as unknown as Db, id);
    const [updated] = await tx
      .update(users)
      .set({ passwordHash, sessionVersion: user.sessionVersion + 1, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    await recordAudit(tx, actor, { action: "user.reset_password", targetType: "user", targetId: id, after: { passwordChanged: true } });
    return updated;
  });
  return { user: toSummary(row), generatedPassword };
}
