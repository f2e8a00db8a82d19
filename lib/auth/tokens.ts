import "server-only";
// API tokens: `rc_` + 32 random bytes (base64url). Only the SHA-256 (hex) is stored; the plaintext
// is returned once, at creation. Lookup goes through the unique index on the hash. Creating and
// revoking are kernel mutations (token.manage, audited in their transaction).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiTokens, users } from "@/db/schema";
import { mutation } from "@/lib/dal/mutation";
import { HttpError } from "@/lib/http/problem";
import { TOKEN_SCOPES, type Actor, type TokenActor, type TokenScope } from "./actor";
import { assertCan, roleCoversScope } from "./permissions";

export const TOKEN_PREFIX = "rc_";
/** `rc_` + base64url of 32 bytes (43 characters, no padding). */
export const TOKEN_PATTERN = /^rc_[A-Za-z0-9_-]{43}$/;
const LAST_USED_RESOLUTION_MS = 60_000;
const PREFIX_LENGTH = 10;

export function generateTokenValue(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A form's blank field is no value. */
const blankToNull = (v: unknown) => (v === "" ? null : v);

export const CreateTokenInput = z.object({
  name: z.string().trim().min(1, "Give the token a name.").max(100, "At most 100 characters."),
  scopes: z.preprocess(
    (v) => (typeof v === "string" ? [v] : (v ?? [])),
    z
      .array(z.enum(TOKEN_SCOPES, { message: `Scopes are ${TOKEN_SCOPES.join(", ")}.` }))
      .min(1, "Choose at least one scope.")
      .transform((scopes) => [...new Set(scopes)].sort() as TokenScope[]),
  ),
  /** A date, or an ISO date as text (a form); null or blank: never expires. */
  expiresAt: z.preprocess(blankToNull, z.coerce.date({ message: "Enter a valid date." }).nullable().optional()),
});
export type CreateTokenInput = z.input<typeof CreateTokenInput>;

/** What lists show about a token: never its hash. */
export type TokenSummary = {
  id: number;
  name: string;
  scopes: TokenScope[];
  prefix: string;
  ownerEmail: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

export type CreatedToken = { id: number; name: string; scopes: TokenScope[]; prefix: string; expiresAt: Date | null; token: string };

export const createApiToken = mutation({
  action: "token.manage",
  input: CreateTokenInput,
  invalid: "The token has invalid fields.",
  run: async (tx, actor, { name, scopes, expiresAt = null }): Promise<CreatedToken> => {
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw new HttpError(422, "The expiry date must be in the future.", { errors: [{ path: "expiresAt", message: "Must be in the future." }] });
    }
    const token = generateTokenValue();
    const prefix = token.slice(0, PREFIX_LENGTH);
    const [created] = await tx
      .insert(apiTokens)
      .values({ name, scopes, tokenHash: hashToken(token), prefix, expiresAt, ownerId: actor.kind === "user" ? actor.userId : null })
      .returning({ id: apiTokens.id });
    return { id: created.id, name, scopes, prefix, expiresAt, token };
  },
  audit: (_data, { id, name, scopes, prefix, expiresAt }) => ({
    action: "token.create",
    targetType: "api_token",
    targetId: id,
    after: { name, scopes, prefix, expiresAt: expiresAt?.toISOString() ?? null },
  }),
});

const TokenId = z.coerce.number({ message: "No such token." }).int("No such token.").positive("No such token.").max(2_147_483_647, "No such token.");

/** Revokes a token at once (requests with it get 401 from now on); revoking it again changes nothing. */
export const revokeApiToken = mutation({
  action: "token.manage",
  input: z.object({ id: TokenId }),
  run: async (tx, _actor, { id }): Promise<{ name: string; revokedAt: Date; changed: boolean }> => {
    const [token] = await tx
      .select({ id: apiTokens.id, name: apiTokens.name, revokedAt: apiTokens.revokedAt })
      .from(apiTokens)
      .where(eq(apiTokens.id, id))
      .for("update");
    if (!token) throw new HttpError(404, "No such token.");
    if (token.revokedAt) return { name: token.name, revokedAt: token.revokedAt, changed: false };
    const revokedAt = new Date();
    await tx.update(apiTokens).set({ revokedAt }).where(eq(apiTokens.id, id));
    return { name: token.name, revokedAt, changed: true };
  },
  audit: ({ id }, { name, revokedAt, changed }) =>
    changed
      ? { action: "token.revoke", targetType: "api_token", targetId: id, before: { name, revokedAt: null }, after: { name, revokedAt: revokedAt.toISOString() } }
      : null,
});

export async function listApiTokens(actor: Actor, options: { includeRevoked?: boolean } = {}): Promise<TokenSummary[]> {
  assertCan(actor, "token.manage");
  const db = await getDb();
  const rows = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      scopes: apiTokens.scopes,
      prefix: apiTokens.prefix,
      ownerEmail: users.email,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.ownerId))
    .where(options.includeRevoked === false ? isNull(apiTokens.revokedAt) : undefined)
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .limit(500);
  return rows.map((r) => ({ ...r, scopes: r.scopes as TokenScope[] }));
}

/**
 * The actor behind a bearer token, or null when it is malformed, unknown, expired, revoked or its
 * owner is disabled (a deleted owner's tokens are deleted with them). A token keeps only the
 * scopes its owner's current role covers (`roleCoversScope`); tokens made by the CLI have no owner. The hash is looked up through the unique index and compared again in
 * constant time; last_used_at is written at most once a minute.
 */
export async function resolveApiToken(token: string, ip?: string): Promise<TokenActor | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const digest = hashToken(token);
  const db = await getDb();
  const [row] = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      scopes: apiTokens.scopes,
      tokenHash: apiTokens.tokenHash,
      ownerId: apiTokens.ownerId,
      lastUsedAt: apiTokens.lastUsedAt,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
      ownerDisabled: users.disabled,
      ownerRole: users.role,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.ownerId))
    .where(eq(apiTokens.tokenHash, digest))
    .limit(1);
  if (!row) return null;
  if (!timingSafeEqual(Buffer.from(row.tokenHash, "utf8"), Buffer.from(digest, "utf8"))) return null;
  const now = Date.now();
  if (row.revokedAt) return null;
  if (row.expiresAt && row.expiresAt.getTime() <= now) return null;
  if (row.ownerDisabled) return null;
  if (row.ownerId !== null && row.ownerRole === null) return null;
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // The condition is repeated in SQL so concurrent requests write it once.
    await db
      .update(apiTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(
        and(
          eq(apiTokens.id, row.id),
          sql`(${apiTokens.lastUsedAt} is null or ${apiTokens.lastUsedAt} < now() - interval '1 minute')`,
        ),
      );
  }
  const ownerRole = row.ownerRole;
  const scopes = row.scopes
    .filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s))
    .filter((s) => row.ownerId === null || (ownerRole !== null && roleCoversScope(ownerRole, s)));
  return { kind: "token", tokenId: row.id, name: row.name, scopes, ownerId: row.ownerId, ...(ip ? { ip } : {}) };
}

/** "90d", "12h", "2w" or an ISO date → a Date in the future; null for "never". */
export function parseExpiry(value: string, now = new Date()): Date | null {
  const text = value.trim().toLowerCase();
  if (text === "never" || text === "") return null;
  const relative = /^(\d{1,5})([hdwy])$/.exec(text);
  if (relative) {
    const amount = Number(relative[1]);
    const hours = { h: 1, d: 24, w: 24 * 7, y: 24 * 365 }[relative[2] as "h" | "d" | "w" | "y"];
    if (amount <= 0) throw new Error(`--expires ${value}: must be more than zero.`);
    return new Date(now.getTime() + amount * hours * 3_600_000);
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new Error(`--expires ${value}: use a number of hours, days, weeks or years (12h, 90d, 2w, 1y), an ISO date, or "never".`);
}
