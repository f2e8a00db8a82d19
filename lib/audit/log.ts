import "server-only";
// The one helper every write goes through: who (user or token), what, before → after, when, from where.
// Call it with the transaction of the change so the entry commits (or rolls back) with it.
import { auditEntries } from "@/db/schema";
import type { Tx } from "@/db/tx";
import { actorLabel, type Actor } from "@/lib/auth/actor";

export type AuditInput = {
  action: string;
  targetType: string;
  targetId?: string | number | null;
  before?: unknown;
  after?: unknown;
};

export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput): Promise<void> {
  await auditInsert(tx, actor, input);
}

/** The audit insert as a statement, for callers that send it with other writes in one round trip. */
export function auditInsert(tx: Tx, actor: Actor, input: AuditInput) {
  return tx.insert(auditEntries).values({
    actorUserId: actor.kind === "user" ? actor.userId : null,
    actorTokenId: actor.kind === "token" ? actor.tokenId : null,
    actorLabel: actorLabel(actor),
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId == null ? null : String(input.targetId),
    before: input.before ?? null,
    after: input.after ?? null,
    ip: actor.kind === "system" ? null : (actor.ip ?? null),
  });
}
