// People, API tokens, the audit log and sign-in attempts.
import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, updatedAt, ts } from "./columns";
import { roleEnum } from "./enums";

export const users = pgTable(
  "users",
  {
    id: serial().primaryKey(),
    email: text().notNull(),
    name: text().notNull().default(""),
    role: roleEnum().notNull().default("viewer"),
    disabled: boolean().notNull().default(false),
    passwordHash: text(),
    /** `issuer|subject` for single sign-on users. */
    externalId: text(),
    /** Bumped on disable, role change and password reset: older sessions stop working. */
    sessionVersion: integer().notNull().default(1),
    lastLoginAt: ts(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_lower_idx").on(sql`lower(${t.email})`),
    uniqueIndex("users_external_idx").on(t.externalId),
  ],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: serial().primaryKey(),
    name: text().notNull(),
    scopes: text().array().notNull(),
    /** Deleting the owner deletes their tokens: a token never outlives the person who answers for it. */
    ownerId: integer().references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 (hex) of the token; the token itself is never stored. */
    tokenHash: text().notNull(),
    /** The first characters, to recognise a token in lists. */
    prefix: text().notNull(),
    createdAt: createdAt(),
    lastUsedAt: ts(),
    expiresAt: ts(),
    revokedAt: ts(),
  },
  (t) => [uniqueIndex("api_tokens_hash_idx").on(t.tokenHash)],
);

export const auditEntries = pgTable(
  "audit_entries",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    at: ts().notNull().defaultNow(),
    actorUserId: integer().references(() => users.id, { onDelete: "set null" }),
    actorTokenId: integer().references(() => apiTokens.id, { onDelete: "set null" }),
    actorLabel: text().notNull(),
    action: text().notNull(),
    targetType: text().notNull(),
    targetId: text(),
    before: jsonb(),
    after: jsonb(),
    ip: text(),
  },
  (t) => [
    index("audit_entries_at_idx").on(t.at),
    index("audit_entries_actor_idx").on(t.actorUserId, t.at),
    index("audit_entries_action_idx").on(t.action, t.at),
    index("audit_entries_target_idx").on(t.targetType, t.targetId),
  ],
);

export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    email: text().notNull(),
    ip: text().notNull(),
    success: boolean().notNull(),
    at: ts().notNull().defaultNow(),
  },
  (t) => [index("login_attempts_email_idx").on(t.email, t.at), index("login_attempts_ip_idx").on(t.ip, t.at)],
);

export type User = typeof users.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type AuditEntry = typeof auditEntries.$inferSelect;
