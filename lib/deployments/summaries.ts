// Summary tables: deployment_counts, adoption_daily and wave_signal_counts always equal a GROUP BY
// over deployments.
// Ingest keeps them exact with deltas in its own transaction; this module recomputes them whole
// (after a seed or bulk import) and measures drift.
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import type { Tx } from "@/db/tx";
import type { DeploymentState } from "./states";

/** deployment_counts rows from the deployments (`d`, joined with their devices `v`; `where` narrows them). */
export function countsFromDeployments(where: SQL = sql`true`): SQL {
  return sql`
    select d.update_id, coalesce(d.rollout_id, 0) as rollout_id, coalesce(d.wave_id, 0) as wave_id,
           v.site_id, v.os_name, coalesce(v.department_id, 0) as department_id, d.state,
           coalesce(d.build_id, 0) as build_id, count(*)::int as count
    from deployments d join devices v on v.id = d.device_id
    where ${where}
    group by 1, 2, 3, 4, 5, 6, 7, 8`;
}

/** adoption_daily rows from the deployments (`where` narrows them). */
export function adoptionFromDeployments(where: SQL = sql`true`): SQL {
  return sql`
    select update_id, (state_occurred_at at time zone 'UTC')::date as day, coalesce(build_id, 0) as build_id, count(*)::int as installed
    from deployments
    where state = 'installed' and state_occurred_at is not null and ${where}
    group by 1, 2, 3`;
}

const COUNTS_FROM_DEPLOYMENTS = countsFromDeployments();
const ADOPTION_FROM_DEPLOYMENTS = adoptionFromDeployments();

/** Per wave: deployments by error code, alert and delivery channel, and state (`where` narrows the deployments). */
export function signalsFromDeployments(where: SQL = sql`true`): SQL {
  return sql`
    select wave_id, 'error_code' as signal, error_code as value, state, count(*)::int as count, min(message) as message
    from deployments where wave_id is not null and error_code is not null and ${where} group by 1, 2, 3, 4
    union all
    select wave_id, 'alert', alert::text, state, count(*)::int, null
    from deployments where wave_id is not null and alert is not null and ${where} group by 1, 2, 3, 4
    union all
    select wave_id, 'channel', channel::text, state, count(*)::int, null
    from deployments where wave_id is not null and ${where} group by 1, 2, 3, 4`;
}

/** Replaces the summary tables with what the deployments say; run inside the caller's transaction. */
export async function recomputeSummaries(tx: Tx): Promise<void> {
  await tx.execute(sql`delete from deployment_counts`);
  await tx.execute(sql`insert into deployment_counts (update_id, rollout_id, wave_id, site_id, os_name, department_id, state, build_id, count) ${COUNTS_FROM_DEPLOYMENTS}`);
  await tx.execute(sql`delete from adoption_daily`);
  await tx.execute(sql`insert into adoption_daily (update_id, day, build_id, installed) ${ADOPTION_FROM_DEPLOYMENTS}`);
  await tx.execute(sql`delete from wave_signal_counts`);
  await tx.execute(sql`insert into wave_signal_counts (wave_id, signal, value, state, count, message) ${signalsFromDeployments()}`);
}

export { COUNTS_FROM_DEPLOYMENTS, ADOPTION_FROM_DEPLOYMENTS };

// ---------------------------------------------------------------- deltas (kept by ingest in its own transaction)

export type CountKey = {
  updateId: number;
  rolloutId: number | null;
  waveId: number | null;
  siteId: number;
  osName: string;
  departmentId: number | null;
  state: DeploymentState;
  /** The deployment's build (null or absent: not known, counted under build 0). */
  buildId?: number | null;
};

export type SignalKey = { waveId: number; signal: "error_code" | "alert" | "channel"; value: string; state: DeploymentState };

/** What a deployment in a wave contributes to wave_signal_counts. */
export type SignalSource = { waveId: number | null; state: DeploymentState; errorCode: string | null; alert: string | null; channel: string; message: string | null };

/** The changes one batch makes to the summary tables, summed per key before they are written. */
export class SummaryDeltas {
  readonly counts = new Map<string, { key: CountKey; delta: number }>();
  readonly adoption = new Map<string, { updateId: number; day: string; buildId: number; delta: number }>();
  readonly signals = new Map<string, { key: SignalKey; delta: number; message: string | null }>();

  /** +1 when a deployment enters the key, -1 when it leaves it. */
  count(key: CountKey, delta: number): void {
    const id = [key.updateId, key.rolloutId ?? 0, key.waveId ?? 0, key.siteId, key.osName, key.departmentId ?? 0, key.state, key.buildId ?? 0].join("\u001f");
    const entry = this.counts.get(id);
    if (entry) entry.delta += delta;
    else this.counts.set(id, { key, delta });
  }

  /** +1 for each signal of a deployment in a wave entering its keys, -1 leaving them. */
  signal(source: SignalSource, delta: number): void {
    if (source.waveId === null) return;
    const { waveId, state } = source;
    this.addSignal({ waveId, signal: "channel", value: source.channel, state }, delta, null);
    if (source.errorCode !== null) this.addSignal({ waveId, signal: "error_code", value: source.errorCode, state }, delta, source.message);
    if (source.alert !== null) this.addSignal({ waveId, signal: "alert", value: source.alert, state }, delta, null);
  }

  private addSignal(key: SignalKey, delta: number, message: string | null): void {
    const id = [key.waveId, key.signal, key.value, key.state].join("\u001f");
    const entry = this.signals.get(id);
    if (entry) {
      entry.delta += delta;
      if (delta > 0 && entry.message === null) entry.message = message;
    } else this.signals.set(id, { key, delta, message: delta > 0 ? message : null });
  }

  /** ±1 install on the (UTC) day the installed state occurred. */
  install(updateId: number, day: string, delta: number, buildId: number | null = null): void {
    const id = `${updateId}\u001f${day}\u001f${buildId ?? 0}`;
    const entry = this.adoption.get(id);
    if (entry) entry.delta += delta;
    else this.adoption.set(id, { updateId, day, buildId: buildId ?? 0, delta });
  }
}

/**
 * Adds a batch's deltas to the summary tables, set-based (one statement per table, arrays as single
 * parameters). Keys are written in a fixed order so concurrent batches cannot deadlock on them.
 * A key whose count drops to 0 keeps its row at 0; readers sum, and verifySummaries ignores zeros.
 */
export async function applySummaryDeltas(tx: Tx, deltas: SummaryDeltas): Promise<void> {
  for (const statement of summaryDeltaStatements(deltas)) await tx.execute(statement);
}

/** The upserts applySummaryDeltas runs (0–3), for callers that fold them into one round trip. */
export function summaryDeltaStatements(deltas: SummaryDeltas): SQL[] {
  const statements: SQL[] = [];
  const counts = [...deltas.counts.values()].filter((c) => c.delta !== 0);
  if (counts.length) {
    counts.sort((a, b) => compareCountKeys(a.key, b.key));
    statements.push(sql`
      insert into deployment_counts as dc (update_id, rollout_id, wave_id, site_id, os_name, department_id, state, build_id, count)
      select * from unnest(
        ${sql.param(counts.map((c) => c.key.updateId))}::int[],
        ${sql.param(counts.map((c) => c.key.rolloutId ?? 0))}::int[],
        ${sql.param(counts.map((c) => c.key.waveId ?? 0))}::int[],
        ${sql.param(counts.map((c) => c.key.siteId))}::int[],
        ${sql.param(counts.map((c) => c.key.osName))}::text[],
        ${sql.param(counts.map((c) => c.key.departmentId ?? 0))}::int[],
        ${sql.param(counts.map((c) => c.key.state))}::text[]::deployment_state[],
        ${sql.param(counts.map((c) => c.key.buildId ?? 0))}::int[],
        ${sql.param(counts.map((c) => c.delta))}::int[])
      on conflict (update_id, rollout_id, wave_id, site_id, os_name, department_id, state, build_id)
      do update set count = dc.count + excluded.count`);
  }
  const adoption = [...deltas.adoption.values()].filter((a) => a.delta !== 0);
  if (adoption.length) {
    adoption.sort((a, b) => a.updateId - b.updateId || (a.day < b.day ? -1 : a.day > b.day ? 1 : 0) || a.buildId - b.buildId);
    statements.push(sql`
      insert into adoption_daily as ad (update_id, day, build_id, installed)
      select * from unnest(
        ${sql.param(adoption.map((a) => a.updateId))}::int[],
        ${sql.param(adoption.map((a) => a.day))}::date[],
        ${sql.param(adoption.map((a) => a.buildId))}::int[],
        ${sql.param(adoption.map((a) => a.delta))}::int[])
      on conflict (update_id, day, build_id) do update set installed = ad.installed + excluded.installed`);
  }
  const signals = [...deltas.signals.values()].filter((s) => s.delta !== 0);
  if (signals.length) {
    signals.sort((a, b) => compareSignalKeys(a.key, b.key));
    statements.push(sql`
      insert into wave_signal_counts as ws (wave_id, signal, value, state, count, message)
      select * from unnest(
        ${sql.param(signals.map((s) => s.key.waveId))}::int[],
        ${sql.param(signals.map((s) => s.key.signal))}::text[],
        ${sql.param(signals.map((s) => s.key.value))}::text[],
        ${sql.param(signals.map((s) => s.key.state))}::text[]::deployment_state[],
        ${sql.param(signals.map((s) => s.delta))}::int[],
        ${sql.param(signals.map((s) => s.message))}::text[])
      on conflict (wave_id, signal, value, state)
      do update set count = ws.count + excluded.count, message = coalesce(ws.message, excluded.message)`);
  }
  return statements;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function compareSignalKeys(a: SignalKey, b: SignalKey): number {
  return a.waveId - b.waveId || byText(a.signal, b.signal) || byText(a.value, b.value) || byText(a.state, b.state);
}

function compareCountKeys(a: CountKey, b: CountKey): number {
  return (
    a.updateId - b.updateId ||
    (a.rolloutId ?? 0) - (b.rolloutId ?? 0) ||
    (a.waveId ?? 0) - (b.waveId ?? 0) ||
    a.siteId - b.siteId ||
    byText(a.osName, b.osName) ||
    (a.departmentId ?? 0) - (b.departmentId ?? 0) ||
    byText(a.state, b.state) ||
    (a.buildId ?? 0) - (b.buildId ?? 0)
  );
}

// ---------------------------------------------------------------- verification

export type CountDrift = {
  updateId: number;
  rolloutId: number;
  waveId: number;
  siteId: number;
  osName: string;
  departmentId: number;
  state: DeploymentState;
  buildId: number;
  expected: number;
  stored: number;
};
export type AdoptionDrift = { updateId: number; day: string; buildId: number; expected: number; stored: number };
export type SignalDrift = SignalKey & { expected: number; stored: number };
export type VerifyReport = { countDrift: CountDrift[]; adoptionDrift: AdoptionDrift[]; signalDrift: SignalDrift[]; repaired: boolean };

/** Rows of all three summary tables that disagree with the deployments. */
export function driftCount(report: VerifyReport): number {
  return report.countDrift.length + report.adoptionDrift.length + report.signalDrift.length;
}

/**
 * Compares the summary tables with a GROUP BY over the deployments (one statement each, so each
 * compares one consistent snapshot) and, with `repair`, rebuilds them. A stored 0 equals "no row".
 */
export async function verifySummaries(db: Db, options: { repair?: boolean; limit?: number } = {}): Promise<VerifyReport> {
  const limit = options.limit ?? 1_000;
  const countDrift = await queryRows<CountDrift>(
    db,
    sql`
      with expected as (${COUNTS_FROM_DEPLOYMENTS}),
      stored as (select update_id, rollout_id, wave_id, site_id, os_name, department_id, state, build_id, count from deployment_counts where count <> 0)
      select coalesce(e.update_id, s.update_id) as "updateId", coalesce(e.rollout_id, s.rollout_id) as "rolloutId",
             coalesce(e.wave_id, s.wave_id) as "waveId", coalesce(e.site_id, s.site_id) as "siteId",
             coalesce(e.os_name, s.os_name) as "osName", coalesce(e.department_id, s.department_id) as "departmentId",
             coalesce(e.state, s.state)::text as state, coalesce(e.build_id, s.build_id) as "buildId",
             coalesce(e.count, 0)::int as expected, coalesce(s.count, 0)::int as stored
      from expected e
      full join stored s on s.update_id = e.update_id and s.rollout_id = e.rollout_id and s.wave_id = e.wave_id
        and s.site_id = e.site_id and s.os_name = e.os_name and s.department_id = e.department_id and s.state = e.state
        and s.build_id = e.build_id
      where coalesce(e.count, 0) <> coalesce(s.count, 0)
      order by 1, 2, 3, 4, 5, 6, 7, 8
      limit ${limit}`,
  );
  const adoptionDrift = await queryRows<AdoptionDrift>(
    db,
    sql`
      with expected as (${ADOPTION_FROM_DEPLOYMENTS}),
      stored as (select update_id, day, build_id, installed from adoption_daily where installed <> 0)
      select coalesce(e.update_id, s.update_id) as "updateId", coalesce(e.day, s.day)::text as day,
             coalesce(e.build_id, s.build_id) as "buildId",
             coalesce(e.installed, 0)::int as expected, coalesce(s.installed, 0)::int as stored
      from expected e full join stored s on s.update_id = e.update_id and s.day = e.day and s.build_id = e.build_id
      where coalesce(e.installed, 0) <> coalesce(s.installed, 0)
      order by 1, 2, 3
      limit ${limit}`,
  );
  const signalDrift = await queryRows<SignalDrift>(
    db,
    sql`
      with expected as (${signalsFromDeployments()}),
      stored as (select wave_id, signal, value, state, count from wave_signal_counts where count <> 0)
      select coalesce(e.wave_id, s.wave_id) as "waveId", coalesce(e.signal, s.signal) as signal,
             coalesce(e.value, s.value) as value, coalesce(e.state, s.state)::text as state,
             coalesce(e.count, 0)::int as expected, coalesce(s.count, 0)::int as stored
      from expected e
      full join stored s on s.wave_id = e.wave_id and s.signal = e.signal and s.value = e.value and s.state = e.state
      where coalesce(e.count, 0) <> coalesce(s.count, 0)
      order by 1, 2, 3, 4
      limit ${limit}`,
  );
  let repaired = false;
  if (options.repair && (countDrift.length || adoptionDrift.length || signalDrift.length)) {
    await db.transaction(async (tx) => {
      // Waits for batches that already wrote deltas and holds off new ones until the rebuild
      // commits; a batch that writes its deltas afterwards adds them to the rebuilt counts.
      await tx.execute(sql`lock table deployment_counts, adoption_daily, wave_signal_counts in share row exclusive mode`);
      await recomputeSummaries(tx);
    });
    repaired = true;
  }
  return { countDrift, adoptionDrift, signalDrift, repaired };
}
