import "server-only";
// Builds per wave, from deployment_counts (issue #17): which build each wave targets (its own, else
// the rollout's), how many of its machines run each build, and how many are "installed, behind" —
// installed with a known build older than the wave now targets (a build is newer when its id is
// greater). Behind is its own population: never a failure, never done.
import { sql } from "drizzle-orm";
import { cache } from "react";
import { getDb, queryRows } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { summarise, type StateCounts } from "@/lib/deployments/states";

export type BuildRefView = { id: number; name: string; version: string };

/** One build's machines in a wave: installed, and reported on it in any other state (in progress, failed…). */
export type BuildMixRow = { build: BuildRefView | null; installed: number; other: number };

export type WaveBuilds = {
  waveId: number;
  /** The build the wave targets (its own, else the rollout's). */
  target: BuildRefView | null;
  /** Installed with a known build older than the target. */
  behind: number;
  /** Per build the wave's machines reported (null: no build known), oldest build first. */
  mix: BuildMixRow[];
};

type MixCount = { buildId: number; installed: number; other: number };

/** Installed machines whose known build (id > 0) is older than the target (id below it). */
export function behindOf(mix: readonly MixCount[], targetId: number | null): number {
  if (targetId === null) return 0;
  return mix.reduce((n, m) => n + (m.buildId > 0 && m.buildId < targetId ? m.installed : 0), 0);
}

/**
 * A wave's summary with "installed, behind" as its own population: out of installed (not done),
 * still in scope, and out of the finished attempts that success and failure rates are taken from.
 */
export function summariseWithBehind(counts: StateCounts, behind: number) {
  const installed = counts.installed ?? 0;
  const moved = Math.min(behind, installed);
  const s = summarise({ ...counts, installed: installed - moved });
  const inScope = s.inScope + moved;
  return { ...s, total: s.total + moved, inScope, behind: moved, installedPct: inScope === 0 ? null : (s.installed / inScope) * 100 };
}

const OUT_OF_SCOPE = sql`('not_applicable', 'excluded')`;

/** Per wave of the rollout: target build, build mix and installed-behind count (one statement over deployment_counts). */
export const readWaveBuilds = cache(async (actor: Actor | null, rolloutId: number): Promise<Map<number, WaveBuilds>> => {
  assertCan(actor, "rollout.read");
  const db = await getDb();
  const rows = await queryRows<{ kind: "w" | "b" | "m"; wave_id: number | null; build_id: number | null; name: string | null; version: string | null; installed: number; other: number }>(
      db,
      sql`select 'w' as kind, w.id as wave_id, coalesce(w.build_id, r.build_id) as build_id, null::text as name, null::text as version, 0 as installed, 0 as other
          from waves w join rollouts r on r.id = w.rollout_id where w.rollout_id = ${rolloutId}
          union all
          select 'b', null, b.id, b.name, b.version, 0, 0
          from builds b where b.update_id = (select update_id from rollouts where id = ${rolloutId})
          union all
          select 'm', c.wave_id, c.build_id, null, null,
                 sum(case when c.state = 'installed' then c.count else 0 end)::int,
                 sum(case when c.state <> 'installed' and c.state not in ${OUT_OF_SCOPE} and c.build_id <> 0 then c.count else 0 end)::int
          from deployment_counts c
          where c.rollout_id = ${rolloutId} and c.wave_id <> 0
          group by c.wave_id, c.build_id`,
  );
  const builds = new Map<number, BuildRefView>();
  for (const r of rows) if (r.kind === "b") builds.set(r.build_id!, { id: r.build_id!, name: r.name!, version: r.version! });
  const result = new Map<number, WaveBuilds>();
  const mixes = new Map<number, MixCount[]>();
  for (const r of rows) {
    if (r.kind === "w") result.set(r.wave_id!, { waveId: r.wave_id!, target: r.build_id === null ? null : (builds.get(r.build_id) ?? null), behind: 0, mix: [] });
    if (r.kind === "m" && (Number(r.installed) || Number(r.other))) {
      const list = mixes.get(r.wave_id!) ?? [];
      list.push({ buildId: Number(r.build_id), installed: Number(r.installed), other: Number(r.other) });
      mixes.set(r.wave_id!, list);
    }
  }
  for (const wave of result.values()) {
    const mix = (mixes.get(wave.waveId) ?? []).sort((a, b) => (a.buildId || Infinity) - (b.buildId || Infinity));
    wave.behind = behindOf(mix, wave.target?.id ?? null);
    wave.mix = mix.map((m) => ({ build: m.buildId ? (builds.get(m.buildId) ?? null) : null, installed: m.installed, other: m.other }));
  }
  return result;
});
