import "server-only";
// Installed machines per build over time (issue #17), from adoption_daily (installs per update, day
// and build; build 0 = not known): for each day with installs, how many machines then installed
// are on each build today, cumulative. The chart and its table equivalent read this.
import { asc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { adoptionDaily, builds, updates } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { HttpError } from "@/lib/http/problem";

export type BuildSeries = { key: string; label: string };
/** One day with installs: per build key, the cumulative installs up to and including that day. */
export type BuildAdoptionPoint = { day: string; cumulative: Record<string, number>; total: number };
export type BuildAdoption = { builds: BuildSeries[]; points: BuildAdoptionPoint[] };

/** Installs per (day, build) in any order → cumulative per build by day; builds listed oldest first, "not known" last. */
export function cumulativeByBuild(rows: readonly { day: string; buildId: number; installed: number }[], known: readonly { id: number; name: string; version: string }[]): BuildAdoption {
  const used = new Set(rows.filter((r) => r.installed !== 0).map((r) => r.buildId));
  const series: BuildSeries[] = known.filter((b) => used.has(b.id)).map((b) => ({ key: `b${b.id}`, label: `${b.name} (${b.version})` }));
  if (used.has(0) || [...used].some((id) => !known.some((b) => b.id === id))) series.push({ key: "b0", label: "Build not known" });
  const keyOf = (id: number) => (known.some((b) => b.id === id) ? `b${id}` : "b0");
  const byDay = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.installed === 0) continue;
    const day = byDay.get(r.day) ?? new Map<string, number>();
    day.set(keyOf(r.buildId), (day.get(keyOf(r.buildId)) ?? 0) + r.installed);
    byDay.set(r.day, day);
  }
  const running: Record<string, number> = Object.fromEntries(series.map((s) => [s.key, 0]));
  const points: BuildAdoptionPoint[] = [];
  for (const day of [...byDay.keys()].sort()) {
    for (const [key, n] of byDay.get(day)!) running[key] += n;
    points.push({ day, cumulative: { ...running }, total: Object.values(running).reduce((a, b) => a + b, 0) });
  }
  return { builds: series, points };
}

export async function getAdoptionByBuild(actor: Actor | null, slug: string): Promise<BuildAdoption> {
  assertCan(actor, "dashboard.read");
  const db = await getDb();
  const [update] = await db.select({ id: updates.id }).from(updates).where(eq(updates.slug, slug));
  if (!update) throw new HttpError(404, `No update with slug ${slug}.`);
  const [rows, known] = await Promise.all([
    db
      .select({ day: adoptionDaily.day, buildId: adoptionDaily.buildId, installed: sql<number>`sum(${adoptionDaily.installed})::int` })
      .from(adoptionDaily)
      .where(eq(adoptionDaily.updateId, update.id))
      .groupBy(adoptionDaily.day, adoptionDaily.buildId),
    db.select({ id: builds.id, name: builds.name, version: builds.version }).from(builds).where(eq(builds.updateId, update.id)).orderBy(asc(builds.id)),
  ]);
  return cumulativeByBuild(rows.map((r) => ({ ...r, installed: Number(r.installed) })), known);
}
