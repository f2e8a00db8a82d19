import "server-only";
// API tokens: `rc_` + 32 random bytes (base64url). Only the SHA-256 (hex) is stored; the plaintext
// is returned once, at creation. Lookup goes through the unique index on the hash.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiTokens, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/log";
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

export const CreateTokenInput = z.object({
  name: z.string().trim().min(1, "Give the token a name.").max(100, "At most 100 characters."),
  scopes: z
    .array(z.enum(TOKEN_SCOPES))
    .min(1, "Choose at least one scope.")
    .transform((scopes) => [...new Set(scopes)].sort() as TokenScope[]),
  expiresAt: z.date().nullable().optional(),
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

export async function createApiToken(actor: Actor, input: CreateTokenInput): Promise<CreatedToken> {
  assertCan(actor, "token.manage");
  const parsed = CreateTokenInput.safeParse(input);
  if (!parsed.success) {
    throw new HttpError(422, "The token has invalid fields.", {
      errors: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  const { name, scopes, expiresAt = null } = parsed.data;
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw new HttpError(422, "The expiry date must be in the future.", { errors: [{ path: "expiresAt", message: "Must be in the future." }] });
  }
  const token = generateTokenValue();
  const prefix = token.slice(0, PREFIX_LENGTH);
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(apiTokens)
      .values({ name, scopes, tokenHash: hashToken(token), prefix, expiresAt, ownerId: actor.kind === "user" ? actor.userId : null })
      .returning({ id: apiTokens.id });
    await recordAudit(tx, actor, {
      action: "token.create",
      targetType: "api_token",
      targetId: created.id,
      after: { name, scopes, prefix, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return created;
  });
  return { id: row.id, name, scopes, prefix, expiresAt, token };
}

export async function revokeApiToken(actor: Actor, tokenId: number): Promise<void> {
  assertCan(actor, "token.manage");
  if (!Number.isSafeInteger(tokenId) || tokenId <= 0) throw new HttpError(404, "No such token.");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [token] = await tx
      .select({ id: apiTokens.id, name: apiTokens.name, revokedAt: apiTokens.revokedAt })
      .from(apiTokens)
      .where(eq(apiTokens.id, tokenId))
      .for("update");
    if (!token) throw new HttpError(404, "No such token.");
    if (token.revokedAt) return;
    const revokedAt = new Date();
    await tx.update(apiTokens).set({ revokedAt }).where(eq(apiTokens.id, tokenId));
    await recordAudit(tx, actor, {
      action: "token.revoke",
      targetType: "api_token",
      targetId: tokenId,
      before: { name: token.name, revokedAt: null },
      after: { name: token.name, revokedAt: revokedAt.toISOString() },
    });
  });
}

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
