import "server-only";
// User administration (the admin pages and `rollcall user`): list and find people, add them, change
// their role, disable them, reset their password, link them to a single-sign-on identity. Every
// change is a kernel mutation (admin only, audited in its transaction); one that changes what a
// person may do ends their sessions (the session version moves on). Nothing here ever returns a
// password hash. Signing in and out lives in sign-in.ts.
import { and, asc, eq, ilike, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { roleEnum, users, type Role } from "@/db/schema";
import type { Transaction } from "@/db/tx";
import { mutation } from "@/lib/dal/mutation";
import { fieldProblem, HttpError } from "@/lib/http/problem";
import type { Actor } from "./actor";
import { generatePassword, hashPassword } from "./password";
import { passwordProblem } from "./password-policy";
import { assertCan } from "./permissions";
import { ssoExternalId } from "./sign-in";
import { normaliseEmail } from "./throttle";

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

/** A change to one user: the user as it is now, and what the changed field was (null: nothing changed). */
export type UserChange<T> = { user: UserSummary; before: T | null };

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
  const { id, email, name, role, disabled, externalId, lastLoginAt, createdAt } = row;
  return { id, email, name, role, disabled, sso: externalId !== null, lastLoginAt, createdAt };
}

// ---------------------------------------------------------------- inputs

export const RoleInput = z.enum(ROLES, { message: `Role must be one of ${ROLES.join(", ")}.` });
export const EmailInput = z.string().trim().max(320).pipe(z.email({ message: "Enter a valid email address." }));
const UserId = z.coerce.number({ message: "No such user." }).int("No such user.").positive("No such user.").max(2_147_483_647, "No such user.");
/** Empty (a form's blank field) or omitted → a strong password is generated and returned once. */
const NewPassword = z.preprocess((v) => (v === "" ? undefined : v), z.string().max(1024).optional());
/** A flag as code passes it, or as a form sends it ("true"/"false"). */
const Flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")], { message: "Expected true or false." });

export const CreateUserInput = z.object({
  email: EmailInput,
  name: z.string().trim().max(200).default(""),
  role: RoleInput,
  password: NewPassword,
});

const RoleChange = z.object({ id: UserId, role: RoleInput });
const DisabledChange = z.object({ id: UserId, disabled: Flag });
const PasswordReset = z.object({ id: UserId, password: NewPassword });
const SsoLink = z.object({
  id: UserId,
  issuer: z.string().trim().min(1, "Give the identity provider's issuer (OIDC_ISSUER)."),
  subject: z.string().trim().min(1, "Give the identity's subject (the sub claim), at most 255 characters.").max(255, "Give the identity's subject (the sub claim), at most 255 characters."),
});

// ---------------------------------------------------------------- reads

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

// ---------------------------------------------------------------- changes

type UserRow = typeof users.$inferSelect;

/** Loads the user for change inside the transaction, or 404. */
async function lockUser(tx: Transaction, id: number): Promise<UserRow> {
  const [row] = await tx.select().from(users).where(eq(users.id, id)).limit(1).for("update");
  if (!row) throw new HttpError(404, "No such user.");
  return row;
}

/** Refuses a change that would leave no enabled admin: nobody could manage users any more. */
async function assertAnotherAdmin(tx: Transaction, userId: number): Promise<void> {
  const [{ n }] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.disabled, false), sql`${users.id} <> ${userId}`));
  if (n === 0) throw new HttpError(409, "This is the last enabled admin; make someone else admin first.");
}

/** Writes the change and moves the session version on, so the user's sessions end. */
async function changeAndEndSessions(tx: Transaction, user: UserRow, changes: Partial<typeof users.$inferInsert>): Promise<UserSummary> {
  const [updated] = await tx
    .update(users)
    .set({ ...changes, sessionVersion: user.sessionVersion + 1 })
    .where(eq(users.id, user.id))
    .returning(summaryColumns);
  return toSummary(updated);
}

/** The password to set: the one given (it must pass the policy) or a generated one, returned once. */
function choosePassword(given: string | undefined, email: string): { password: string; generatedPassword: string | null } {
  if (!given) {
    const generated = generatePassword();
    return { password: generated, generatedPassword: generated };
  }
  const problem = passwordProblem(given, { email });
  if (problem) throw fieldProblem(422, "password", problem);
  return { password: given, generatedPassword: null };
}

export const createUser = mutation({
  action: "user.manage",
  input: CreateUserInput,
  invalid: "The user has invalid fields; nothing was saved.",
  run: async (tx, _actor, { email, name, role, password: given }) => {
    const { password, generatedPassword } = choosePassword(given, email);
    const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${normaliseEmail(email)}`).limit(1);
    if (existing) throw new HttpError(409, `A user with the email ${email} exists already.`, { errors: [{ path: "email", message: "Already in use." }] });
    const passwordHash = await hashPassword(password);
    const [created] = await tx.insert(users).values({ email, name, role, passwordHash }).returning(summaryColumns);
    return { user: toSummary(created), generatedPassword };
  },
  audit: ({ email, name, role }, { user }) => ({ action: "user.create", targetType: "user", targetId: user.id, after: { email, name, role } }),
});

/** A new role ends the user's sessions; the last enabled admin keeps theirs. */
export const setUserRole = mutation({
  action: "user.manage",
  input: RoleChange,
  invalid: "Choose one of the roles; nothing was changed.",
  run: async (tx, _actor, { id, role }): Promise<UserChange<Role>> => {
    const user = await lockUser(tx, id);
    if (user.role === role) return { user: toSummary(user), before: null };
    if (user.role === "admin" && !user.disabled) await assertAnotherAdmin(tx, user.id);
    return { user: await changeAndEndSessions(tx, user, { role }), before: user.role };
  },
  audit: ({ id, role }, { before }) => (before === null ? null : { action: "user.set_role", targetType: "user", targetId: id, before: { role: before }, after: { role } }),
});

/** Disabling ends the user's sessions and stops the tokens they own; the last enabled admin stays enabled. */
export const setUserDisabled = mutation({
  action: "user.manage",
  input: DisabledChange,
  run: async (tx, _actor, { id, disabled }): Promise<UserChange<boolean>> => {
    const user = await lockUser(tx, id);
    if (user.disabled === disabled) return { user: toSummary(user), before: null };
    if (disabled && user.role === "admin") await assertAnotherAdmin(tx, user.id);
    return { user: await changeAndEndSessions(tx, user, { disabled }), before: user.disabled };
  },
  audit: ({ id, disabled }, { before }) =>
    before === null
      ? null
      : { action: disabled ? "user.disable" : "user.enable", targetType: "user", targetId: id, before: { disabled: before }, after: { disabled } },
});

/** Sets a new password (generated when omitted, returned once) and ends the user's sessions. */
export const resetUserPassword = mutation({
  action: "user.manage",
  input: PasswordReset,
  invalid: "The password is not valid; nothing was changed.",
  run: async (tx, _actor, { id, password: given }) => {
    const user = await lockUser(tx, id);
    const { password, generatedPassword } = choosePassword(given, user.email);
    const passwordHash = await hashPassword(password);
    return { user: await changeAndEndSessions(tx, user, { passwordHash }), generatedPassword };
  },
  audit: ({ id }) => ({ action: "user.reset_password", targetType: "user", targetId: id, after: { passwordChanged: true } }),
});

/**
 * Links an existing account to an SSO identity on purpose (an admin knows both belong to the same
 * person); the next sign-in with that issuer and subject gets this account. Ends its sessions.
 */
export const linkSsoIdentity = mutation({
  action: "user.manage",
  input: SsoLink,
  invalid: "The identity is not valid; nothing was changed.",
  run: async (tx, _actor, { id, issuer, subject }): Promise<UserChange<{ sso: boolean }>> => {
    const externalId = ssoExternalId(issuer, subject);
    const user = await lockUser(tx, id);
    if (user.externalId === externalId) return { user: toSummary(user), before: null };
    const [other] = await tx.select({ email: users.email }).from(users).where(eq(users.externalId, externalId)).limit(1);
    if (other) throw new HttpError(409, `That identity is linked to ${other.email} already.`, { errors: [{ path: "subject", message: "Already linked." }] });
    return { user: await changeAndEndSessions(tx, user, { externalId }), before: { sso: user.externalId !== null } };
  },
  audit: ({ id, issuer, subject }, { before }) =>
    before === null ? null : { action: "user.link_sso", targetType: "user", targetId: id, before, after: { issuer, subject } },
});
