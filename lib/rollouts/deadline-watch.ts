import "server-only";
// Announces `wave.deadline_at_risk` once when a wave's forecast turns at_risk or late (issue #18):
// a system job every few minutes in each server process, next to the outbox dispatcher. The wave's
// deadlineRiskNotifiedAt says it was announced; a forecast back on track (or a deadline moved by a
// slip or the planner) clears it, so a later risk is announced again. Rows are claimed with
// FOR UPDATE SKIP LOCKED, so two instances never announce the same wave twice.
import { and, eq, inArray, isNotNull, ne, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { deploymentCounts, rollouts, updates, waves } from "@/db/schema";
import type { Tx } from "@/db/tx";
import { summarise, type StateCounts } from "@/lib/deployments/states";
import { emitEvents, wakeDispatchers, type OutboxEvent } from "@/lib/outbox/events";
import { installsInWindow, waveCalendar } from "./calendar";

const RISKY = new Set(["at_risk", "late"]);

/** One pass in one transaction; answers the events it emitted. */
export async function announceDeadlineRisks(tx: Tx, now = new Date()): Promise<OutboxEvent[]> {
  const rows = await tx
    .select({ wave: waves, rolloutName: rollouts.name, slug: updates.slug })
    .from(waves)
    .innerJoin(rollouts, eq(rollouts.id, waves.rolloutId))
    .innerJoin(updates, eq(updates.id, rollouts.updateId))
    .where(and(isNotNull(waves.deadlineAt), ne(waves.status, "completed"), inArray(rollouts.status, ["draft", "active"])))
    .for("update", { of: waves, skipLocked: true });
  if (rows.length === 0) return [];
  const list = rows.map((r) => r.wave);
  const countRows = await tx
    .select({ waveId: deploymentCounts.waveId, state: deploymentCounts.state, count: sql<number>`sum(${deploymentCounts.count})::int` })
    .from(deploymentCounts)
    .where(inArray(deploymentCounts.waveId, list.map((w) => w.id)))
    .groupBy(deploymentCounts.waveId, deploymentCounts.state);
  const counts = new Map<number, StateCounts>();
  for (const r of countRows) counts.set(r.waveId, { ...counts.get(r.waveId), [r.state]: Number(r.count) });
  const recent = await installsInWindow(tx, list, now);

  const events: OutboxEvent[] = [];
  for (const { wave, rolloutName, slug } of rows) {
    const summary = summarise(counts.get(wave.id) ?? {});
    const calendar = waveCalendar(wave, summary, recent.get(wave.id) ?? 0, now);
    const risky = RISKY.has(calendar.forecast.status);
    if (risky && !wave.deadlineRiskNotifiedAt) {
      await tx.update(waves).set({ deadlineRiskNotifiedAt: now }).where(eq(waves.id, wave.id));
      events.push({
        type: "wave.deadline_at_risk",
        path: `/rollouts/${wave.rolloutId}`,
        occurredAt: now,
        data: {
          rolloutId: wave.rolloutId,
          rolloutName,
          update: slug,
          waveId: wave.id,
          waveName: wave.name,
          waveStatus: wave.status,
          deadline: calendar.deadline,
          complianceTarget: calendar.complianceTarget,
          installed: summary.installed,
          inScope: summary.inScope,
          forecast: calendar.forecast,
        },
      });
    } else if (!risky && wave.deadlineRiskNotifiedAt && calendar.forecast.status !== "no_data") {
      await tx.update(waves).set({ deadlineRiskNotifiedAt: null }).where(eq(waves.id, wave.id));
    }
  }
  await emitEvents(tx, events);
  return events;
}

/** Checks every five minutes in a server process (idempotent; the timer does not hold the process open). */
export function ensureDeadlineWatch(intervalMs = 5 * 60_000): void {
  const g = globalThis as { __rollcallDeadlineWatch?: NodeJS.Timeout };
  if (g.__rollcallDeadlineWatch) return;
  g.__rollcallDeadlineWatch = setInterval(() => {
    getDb()
      .then((db) => db.transaction((tx) => announceDeadlineRisks(tx)))
      .then((events) => {
        if (events.length) wakeDispatchers();
      })
      .catch((error) => console.error("[waves] deadline check failed:", error instanceof Error ? error.message : error));
  }, intervalMs);
  g.__rollcallDeadlineWatch.unref();
}
