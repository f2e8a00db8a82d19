import "server-only";
// Each wave's calendar as the pages and the API show it: planned start and deadline (a date, or the
// release date + an offset), the compliance target, the ramp, the forecast (forecast.ts) from the
// installs of the last 7 days, and what slips moved. One read per page for all the waves it shows.
import { and, inArray, gte, eq, sql } from "drizzle-orm";
import { deployments, type Wave } from "@/db/schema";
import type { Tx } from "@/db/tx";
import { FORECAST_WINDOW_DAYS, forecastWave, type Forecast } from "./forecast";
import { DAY_MS } from "./wave-dates";

export type WaveCalendar = {
  plannedStart: string | null;
  startOffsetDays: number | null;
  deadline: string | null;
  deadlineOffsetDays: number | null;
  complianceTarget: number;
  maxDevicesPerDay: number | null;
  forecast: Forecast;
};

type CalendarWave = Pick<Wave, "id" | "status" | "plannedStartAt" | "startOffsetDays" | "deadlineAt" | "deadlineOffsetDays" | "complianceTargetPct" | "maxDevicesPerDay" | "startedAt">;

/** Installs per wave whose installed state occurred in the forecast's window (only waves under way have any worth counting). */
export async function installsInWindow(tx: Tx, list: readonly Pick<Wave, "id" | "status">[], now: Date): Promise<Map<number, number>> {
  const ids = list.filter((w) => w.status !== "planned" && w.status !== "completed").map((w) => w.id);
  const result = new Map<number, number>();
  if (ids.length === 0) return result;
  const rows = await tx
    .select({ waveId: deployments.waveId, installed: sql<number>`count(*)::int` })
    .from(deployments)
    .where(and(inArray(deployments.waveId, ids), eq(deployments.state, "installed"), gte(deployments.stateOccurredAt, new Date(now.getTime() - FORECAST_WINDOW_DAYS * DAY_MS))))
    .groupBy(deployments.waveId);
  for (const r of rows) if (r.waveId !== null) result.set(r.waveId, Number(r.installed));
  return result;
}

export function waveCalendar(wave: CalendarWave, counts: { inScope: number; installed: number }, installedInWindow: number, now: Date): WaveCalendar {
  return {
    plannedStart: wave.plannedStartAt?.toISOString() ?? null,
    startOffsetDays: wave.startOffsetDays,
    deadline: wave.deadlineAt?.toISOString() ?? null,
    deadlineOffsetDays: wave.deadlineOffsetDays,
    complianceTarget: wave.complianceTargetPct,
    maxDevicesPerDay: wave.maxDevicesPerDay,
    forecast: forecastWave({
      now,
      waveStatus: wave.status,
      inScope: counts.inScope,
      installed: counts.installed,
      complianceTargetPct: wave.complianceTargetPct,
      installedInWindow,
      startedAt: wave.startedAt,
      plannedStartAt: wave.plannedStartAt,
      deadlineAt: wave.deadlineAt,
      maxDevicesPerDay: wave.maxDevicesPerDay,
    }),
  };
}
