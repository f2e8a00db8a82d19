import "server-only";
// Wave lifecycle: planned → active → paused | halted → completed, with the rules the UI and the
// API share:
// - waves start in order: the previous wave must have started, and passed its health gate,
//   unless an editor overrides with a written reason (audited);
// - a wave affected by a confirmed blocking known issue does not start;
// - resuming a halted wave, completing a halted wave and halting by hand need a reason;
// - a planned wave with auto-start starts by itself once the previous one passed its gate and
//   soaked `soakDays` days (and its planned start, if any, has come).
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { knownIssues, rollouts, updates, waveBlockingIssues, waves, type Wave, type WaveStatus } from "@/db/schema";
import { actorLabel, type Actor } from "@/lib/auth/actor";
import { recordAudit, type AuditInput } from "@/lib/audit/log";
import { mutation } from "@/lib/dal/mutation";
import { HttpError } from "@/lib/http/problem";
import { emitEvents, type EventType, type OutboxEvent } from "@/lib/outbox/events";
import { readinessStartRefusal } from "@/lib/readiness/waves";
import { assignRampPositions } from "./ramp";
import type { Tx } from "@/db/tx";

export const WAVE_ACTIONS = ["start", "pause", "resume", "halt", "complete"] as const;
export type WaveAction = (typeof WAVE_ACTIONS)[number];

export const WaveActionInput = z.object({
  rolloutId: z.coerce.number().int().positive(),
  waveId: z.coerce.number().int().positive(),
  action: z.enum(WAVE_ACTIONS, { message: `action must be one of ${WAVE_ACTIONS.join(", ")}.` }),
  reason: z
    .string({ message: "reason must be text." })
    .trim()
    .max(2000, "At most 2000 characters.")
    .optional()
    .transform((r) => (r ? r : undefined)),
});
export type WaveActionInput = z.input<typeof WaveActionInput>;

export const SYSTEM_GATE: Actor = { kind: "system", label: "health gate" };
export const SYSTEM_SCHEDULER: Actor = { kind: "system", label: "wave scheduler" };

const MIN_REASON = 10;

function needReason(message: string): HttpError {
  return new HttpError(422, message, { errors: [{ path: "reason", message }] });
}

export type BlockingIssue = { id: number; advisoryId: string; title: string };

/** Confirmed blocking known issues of the rollout's update that affect the wave. */
export async function blockingIssuesFor(tx: Tx, wave: Pick<Wave, "id" | "rolloutId">): Promise<BlockingIssue[]> {
  return (await blockingIssuesForWaves(tx, [wave])).get(wave.id) ?? [];
}

/**
 * The same for several waves in one query (ingest evaluates the gates of every wave a batch
 * touched, the rollout page shows all its waves): wave id → its blocking issues, by issue id.
 */
export async function blockingIssuesForWaves(tx: Tx, list: ReadonlyArray<Pick<Wave, "id" | "rolloutId">>): Promise<Map<number, BlockingIssue[]>> {
  const result = new Map<number, BlockingIssue[]>(list.map((w) => [w.id, []]));
  if (list.length === 0) return result;
  // An issue linked to specific waves affects those; an issue linked to none affects every wave of its update.
  const rows = await tx
    .select({ waveId: sql<number>`w.wave_id`.mapWith(Number), id: knownIssues.id, advisoryId: knownIssues.advisoryId, title: knownIssues.title })
    .from(sql`unnest(${sql.param(list.map((w) => w.id))}::int[], ${sql.param(list.map((w) => w.rolloutId))}::int[]) as w(wave_id, rollout_id)`)
    .innerJoin(rollouts, sql`${rollouts.id} = w.rollout_id`)
    .innerJoin(knownIssues, eq(knownIssues.updateId, rollouts.updateId))
    .where(
      and(
        eq(knownIssues.blocking, true),
        eq(knownIssues.status, "confirmed"),
        sql`(exists (select 1 from ${waveBlockingIssues} b where b.known_issue_id = ${knownIssues.id} and b.wave_id = w.wave_id)
             or not exists (select 1 from ${waveBlockingIssues} b where b.known_issue_id = ${knownIssues.id}))`,
      ),
    )
    .orderBy(sql`w.wave_id`, asc(knownIssues.id));
  for (const row of rows) result.get(row.waveId)?.push({ id: row.id, advisoryId: row.advisoryId, title: row.title });
  return result;
}

type TransitionDetails = { reason?: string; override?: string; action: string; numbers?: unknown };

/** The audit entry of a status change (the same for a person's action and the system's). */
function transitionAudit(wave: Wave, to: WaveStatus, details: TransitionDetails): AuditInput {
  return {
    action: `wave.${details.action}`,
    targetType: "wave",
    targetId: wave.id,
    before: { status: wave.status },
    after: {
      status: to,
      rolloutId: wave.rolloutId,
      ...(details.reason ? { reason: details.reason } : {}),
      ...(details.override ? { override: details.override } : {}),
      ...(details.numbers ? { numbers: details.numbers } : {}),
    },
  };
}

/** What every event about a wave says: which wave of which rollout of which update. */
export async function waveEventData(tx: Tx, wave: Pick<Wave, "id" | "name" | "rolloutId">): Promise<Record<string, unknown>> {
  const [rollout] = await tx
    .select({ name: rollouts.name, update: updates.slug, updateTitle: updates.title })
    .from(rollouts)
    .innerJoin(updates, eq(updates.id, rollouts.updateId))
    .where(eq(rollouts.id, wave.rolloutId));
  return { rolloutId: wave.rolloutId, rolloutName: rollout?.name ?? null, update: rollout?.update ?? null, updateTitle: rollout?.updateTitle ?? null, waveId: wave.id, waveName: wave.name };
}

/** The event a status change announces (none for a resume: the wave goes on as it was). */
function transitionEventType(from: WaveStatus, to: WaveStatus): EventType | null {
  if (to === "active") return from === "planned" ? "wave.started" : null;
  return to === "paused" ? "wave.paused" : to === "halted" ? "wave.halted" : to === "completed" ? "wave.completed" : null;
}

async function transitionEvents(tx: Tx, actor: Actor, wave: Wave, to: WaveStatus, details: TransitionDetails): Promise<OutboxEvent[]> {
  const type = transitionEventType(wave.status, to);
  if (!type) return [];
  const data = {
    ...(await waveEventData(tx, wave)),
    from: wave.status,
    to,
    by: actorLabel(actor),
    reason: details.reason ?? null,
    ...(details.override ? { override: details.override } : {}),
    ...(details.numbers ? { numbers: details.numbers } : {}),
  };
  return [{ type, data, path: `/rollouts/${wave.rolloutId}` }];
}

/** Applies a status change with its timestamps and keeps the rollout's status in step (no audit). */
async function applyTransition(tx: Tx, wave: Wave, to: WaveStatus, details: TransitionDetails, now: Date): Promise<Wave> {
  const set: Partial<Wave> = { status: to };
  if (to === "active" && !wave.startedAt) set.startedAt = now;
  // The ramp order is fixed when the wave starts (./ramp.ts), so eligibility reads it per machine.
  if (to === "active" && wave.status === "planned") await assignRampPositions(tx, wave.id);
  if (to === "halted") {
    set.haltedAt = now;
    set.haltReason = details.reason ?? "Halted.";
  }
  if (to === "active" && wave.status === "halted") set.haltReason = null;
  if (to === "completed") set.completedAt = now;
  const [updated] = await tx.update(waves).set(set).where(eq(waves.id, wave.id)).returning();

  const all = await tx.select({ status: waves.status }).from(waves).where(eq(waves.rolloutId, wave.rolloutId));
  const rolloutStatus = all.every((w) => w.status === "completed") ? "completed" : all.some((w) => w.status !== "planned") ? "active" : "draft";
  await tx
    .update(rollouts)
    .set({ status: rolloutStatus })
    .where(and(eq(rollouts.id, wave.rolloutId), sql`${rollouts.status} <> 'cancelled'`));
  return updated;
}

/**
 * A status change made by the system inside another transaction (a gate halts, the scheduler
 * starts a due wave): applied and audited there. A person's change goes through `performWaveAction`.
 */
export async function transitionWave(tx: Tx, actor: Actor, wave: Wave, to: WaveStatus, details: TransitionDetails, now = new Date()): Promise<Wave> {
  const updated = await applyTransition(tx, wave, to, details, now);
  await recordAudit(tx, actor, transitionAudit(wave, to, details));
  await emitEvents(tx, await transitionEvents(tx, actor, wave, to, details));
  return updated;
}

/** Why `wave` may not start now (null when it may); `override` lifts only the gate and readiness rules. */
export async function startRefusal(tx: Tx, wave: Wave, all: Wave[], override?: string): Promise<{ message: string; overridable: boolean } | null> {
  if (wave.status !== "planned") return { message: `"${wave.name}" is ${wave.status}; only a planned wave can start.`, overridable: false };
  const blocking = await blockingIssuesFor(tx, wave);
  if (blocking.length) {
    return {
      message: `"${wave.name}" cannot start: blocking known issue ${blocking.map((b) => `${b.advisoryId} (${b.title})`).join(", ")} is confirmed.`,
      overridable: false,
    };
  }
  const earlier = all.filter((w) => w.position < wave.position);
  const notStarted = earlier.find((w) => w.status === "planned");
  if (notStarted) return { message: `Waves start in order: "${notStarted.name}" has not started yet.`, overridable: false };
  const previous = earlier.at(-1);
  if (previous && !(previous.gatePassedAt && previous.status !== "halted") && !override) {
    const why = previous.status === "halted" ? `is halted${previous.haltReason ? ` (${previous.haltReason})` : ""}` : "has not passed its health gate yet";
    return { message: `"${previous.name}" ${why}. To start "${wave.name}" anyway, give a written reason (it is kept in the audit log).`, overridable: true };
  }
  // The readiness rule (issue #17): too many machines with untested apps; a written reason overrides it like the gate.
  const readiness = override ? null : await readinessStartRefusal(tx, wave);
  if (readiness) return { message: readiness, overridable: true };
  return null;
}

type WaveChange = { wave: Wave; audit: AuditInput; events: OutboxEvent[] };

/** The change `action` makes to `wave` (with the rules above), or the refusal it throws. */
async function changeWave(tx: Tx, actor: Actor, all: Wave[], wave: Wave, action: WaveAction, reason: string | undefined): Promise<WaveChange> {
  const to = async (status: WaveStatus, details: TransitionDetails): Promise<WaveChange> => {
    const changed = await applyTransition(tx, wave, status, details, new Date());
    const events = await transitionEvents(tx, actor, wave, status, details);
    return { wave: changed, audit: transitionAudit(wave, status, details), events };
  };
  const conflict = (message: string) => new HttpError(409, message);
  switch (action) {
    case "start": {
      const refusal = await startRefusal(tx, wave, all, reason);
      if (refusal?.overridable) throw needReason(refusal.message);
      if (refusal) throw conflict(refusal.message);
      const previous = all.filter((w) => w.position < wave.position).at(-1);
      const overriding = (previous && !(previous.gatePassedAt && previous.status !== "halted")) || (reason !== undefined && (await readinessStartRefusal(tx, wave)) !== null);
      return to("active", { action: "start", override: overriding ? reason : undefined, reason: overriding ? undefined : reason });
    }
    case "pause":
      if (wave.status !== "active") throw conflict(`Only an active wave can be paused; "${wave.name}" is ${wave.status}.`);
      return to("paused", { action: "pause", reason });
    case "resume": {
      if (wave.status === "paused") return to("active", { action: "resume", reason });
      if (wave.status !== "halted") throw conflict(`Only a paused or halted wave can be resumed; "${wave.name}" is ${wave.status}.`);
      if (!reason) throw needReason(`"${wave.name}" was halted${wave.haltReason ? ` (${wave.haltReason})` : ""}. Write why it is safe to resume.`);
      const blocking = await blockingIssuesFor(tx, wave);
      if (blocking.length) throw conflict(`Blocking known issue ${blocking.map((b) => b.advisoryId).join(", ")} is still confirmed; resolve or mitigate it first.`);
      return to("active", { action: "resume", override: reason });
    }
    case "halt":
      if (wave.status !== "active" && wave.status !== "paused") throw conflict(`Only an active or paused wave can be halted; "${wave.name}" is ${wave.status}.`);
      if (!reason) throw needReason("Write why the wave is halted.");
      return to("halted", { action: "halt", reason: `Halted by ${actor.kind === "user" ? actor.email : "API"}: ${reason}` });
    case "complete":
      if (wave.status === "halted" && !reason) throw needReason(`"${wave.name}" is halted. Write why it may be marked completed anyway.`);
      if (wave.status !== "active" && wave.status !== "paused" && wave.status !== "halted") throw conflict(`Only a started wave can be completed; "${wave.name}" is ${wave.status}.`);
      return to("completed", { action: "complete", reason });
  }
}

/** An editor's (or API client's) start | pause | resume | halt | complete, with the lifecycle rules. */
export const performWaveAction = mutation({
  action: "wave.action",
  input: WaveActionInput,
  invalid: "The wave action is invalid.",
  run: async (tx, actor, { rolloutId, waveId, action, reason }): Promise<WaveChange> => {
    const [rollout] = await tx.select().from(rollouts).where(eq(rollouts.id, rolloutId)).for("update");
    if (!rollout) throw new HttpError(404, "No such rollout.");
    if (rollout.status === "cancelled") throw new HttpError(409, "This rollout is cancelled.");
    const all = await tx.select().from(waves).where(eq(waves.rolloutId, rolloutId)).orderBy(asc(waves.position));
    const wave = all.find((w) => w.id === waveId);
    if (!wave) throw new HttpError(404, "No such wave in this rollout.");
    if (reason !== undefined && reason.length < MIN_REASON) throw needReason(`Write a reason of at least ${MIN_REASON} characters.`);
    return changeWave(tx, actor, all, wave, action, reason);
  },
  audit: (_data, change) => change.audit,
  events: (_data, change) => change.events,
});

/**
 * Starts planned auto-start waves whose previous wave passed its gate at least `soakDays` ago.
 * Runs inside the caller's transaction (after gate evaluation) or on its own (the scheduler).
 */
export async function autoStartDueWaves(tx: Tx, rolloutIds?: number[], now = new Date()): Promise<number[]> {
  const candidates = await tx
    .select()
    .from(waves)
    .where(and(eq(waves.status, "planned"), eq(waves.autoStart, true), rolloutIds ? inArray(waves.rolloutId, rolloutIds.length ? rolloutIds : [0]) : undefined))
    .orderBy(asc(waves.id))
    // Several instances run this check: the row lock makes the second wait, and then see the wave
    // is no longer planned, instead of starting it twice (a second audit entry, a new startedAt).
    .for("update");
  const started: number[] = [];
  for (const wave of candidates) {
    if (wave.plannedStartAt && wave.plannedStartAt > now) continue;
    const all = await tx.select().from(waves).where(eq(waves.rolloutId, wave.rolloutId)).orderBy(asc(waves.position));
    const previous = all.filter((w) => w.position < wave.position).at(-1);
    if (!previous?.gatePassedAt) continue;
    if (previous.gatePassedAt.getTime() + wave.soakDays * 86_400_000 > now.getTime()) continue;
    if (await startRefusal(tx, wave, all)) continue;
    await transitionWave(tx, SYSTEM_SCHEDULER, wave, "active", {
      action: "start",
      reason: `Started automatically: "${previous.name}" passed its gate on ${previous.gatePassedAt.toISOString().slice(0, 10)} and soaked ${wave.soakDays} days.`,
    }, now);
    started.push(wave.id);
  }
  return started;
}

/** Runs the auto-start check every minute in a server process (idempotent; the timer does not hold the process open). */
export function ensureWaveScheduler(intervalMs = 60_000): void {
  const g = globalThis as { __rollcallWaveScheduler?: NodeJS.Timeout };
  if (g.__rollcallWaveScheduler) return;
  g.__rollcallWaveScheduler = setInterval(() => {
    getDb()
      .then((db) => db.transaction((tx) => autoStartDueWaves(tx)))
      .catch((error) => console.error("[waves] auto-start check failed:", error instanceof Error ? error.message : error));
  }, intervalMs);
  g.__rollcallWaveScheduler.unref();
}
