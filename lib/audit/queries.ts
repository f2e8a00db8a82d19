import "server-only";
// Reading the audit log (/admin/audit): filters by actor, action, target and date, newest first,
// keyset-paginated by id so deep pages stay cheap.
import { and, desc, eq, gte, ilike, lt, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { auditEntries } from "@/db/schema";
import { txRows } from "@/db/tx";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { firstValues, optionalText, type SearchParams } from "@/lib/http/query";

export const AUDIT_PAGE_SIZE = 50;

const optionalDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD.")
  .optional()
  .or(z.literal("").transform(() => undefined));

/** The filters as they appear in the URL; anything malformed is dropped, not an error page. */
export const AuditFilter = z.object({
  actor: optionalText,
  action: optionalText,
  target: optionalText,
  from: optionalDate,
  to: optionalDate,
  before: z.coerce.number().int().positive().optional().catch(undefined),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

export function parseAuditFilter(params: SearchParams): AuditFilter {
  const flat = firstValues(params);
  const parsed = AuditFilter.safeParse(flat);
  if (parsed.success) return parsed.data;
  // Keep the valid fields of a partly wrong URL.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(AuditFilter.shape) as (keyof typeof AuditFilter.shape)[]) {
    const one = AuditFilter.shape[key].safeParse(flat[key]);
    if (one.success) out[key] = one.data;
  }
  return out as AuditFilter;
}

export type AuditRow = {
  id: number;
  at: Date;
  actorLabel: string;
  actorKind: "user" | "token" | "system";
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
};

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listAuditEntries(actor: Actor, filter: Partial<AuditFilter>): Promise<{ rows: AuditRow[]; nextBefore: number | null }> {
  assertCan(actor, "audit.read");
  const where: SQL[] = [];
  if (filter.actor) where.push(ilike(auditEntries.actorLabel, `%${escapeLike(filter.actor)}%`));
  if (filter.action) where.push(filter.action.endsWith(".") ? ilike(auditEntries.action, `${escapeLike(filter.action)}%`) : eq(auditEntries.action, filter.action));
  if (filter.target) {
    // "user" or "user:12"
    const [type, id] = filter.target.split(":", 2);
    where.push(eq(auditEntries.targetType, type));
    if (id) where.push(eq(auditEntries.targetId, id));
  }
  if (filter.from) where.push(gte(auditEntries.at, new Date(`${filter.from}T00:00:00Z`)));
  if (filter.to) where.push(lte(auditEntries.at, new Date(`${filter.to}T23:59:59.999Z`)));
  if (filter.before) where.push(lt(auditEntries.id, filter.before));
  const db = await getDb();
  const rows = await db
    .select({
      id: auditEntries.id,
      at: auditEntries.at,
      actorLabel: auditEntries.actorLabel,
      actorUserId: auditEntries.actorUserId,
      actorTokenId: auditEntries.actorTokenId,
      action: auditEntries.action,
      targetType: auditEntries.targetType,
      targetId: auditEntries.targetId,
      before: auditEntries.before,
      after: auditEntries.after,
      ip: auditEntries.ip,
    })
    .from(auditEntries)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditEntries.id))
    .limit(AUDIT_PAGE_SIZE + 1);
  const page = rows.slice(0, AUDIT_PAGE_SIZE).map(({ actorUserId, actorTokenId, ...r }) => ({
    ...r,
    actorKind: (actorTokenId !== null || r.actorLabel.startsWith("token:") ? "token" : actorUserId !== null ? "user" : "system") as AuditRow["actorKind"],
  }));
  return { rows: page, nextBefore: rows.length > AUDIT_PAGE_SIZE ? page[page.length - 1].id : null };
}

/** Distinct action names for the filter's suggestions. */
export async function auditActions(actor: Actor): Promise<string[]> {
  assertCan(actor, "audit.read");
  const db = await getDb();
  const rows = await txRows<{ action: string }>(db, sql`select distinct action from ${auditEntries} order by action limit 200`);
  return rows.map((r) => r.action);
}
