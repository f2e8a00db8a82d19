// Before the replay: the deployments the oracle starts from and the (device, update) pairs to report
// on. After it: the database against the oracle, and every acknowledged event against the history.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import type { DeploymentState } from "@/lib/deployments/states";
import { driftCount, verifySummaries } from "@/lib/deployments/summaries";
import type { Checks } from "./checks";
import type { Target, Traffic } from "./events";
import { IngestOracle, type DeviceGroup, type OracleRow, type TargetBuild } from "./oracle";
import type { ReplayResult } from "./replay";

export type Start = { oracle: IngestOracle; devices: Map<number, DeviceGroup>; targets: Target[] };

type DeploymentRow = OracleRow;

function readDeployments(db: Db): Promise<DeploymentRow[]> {
  return queryRows<DeploymentRow>(
    db,
    sql`select device_id, update_id, state::text as state, rollout_id, wave_id, build_id, attempts, error_code,
               (extract(epoch from state_occurred_at) * 1000)::float8 as occurred_ms, state_event_key
        from deployments order by device_id, update_id`,
  );
}

/** Reads what the replay starts from: every deployment, every device's summary group, the targets. */
export async function readStart(db: Db): Promise<Start> {
  const rows = await readDeployments(db);
  const oracle = new IngestOracle(
    rows.map((r) => [
      r.device_id,
      r.update_id,
      {
        state: r.state as DeploymentState,
        version: r.occurred_ms === null ? null : { occurredAtMs: Number(r.occurred_ms), key: r.state_event_key ?? "" },
        attempts: r.attempts,
        errorCode: r.error_code,
        rolloutId: r.rollout_id,
        waveId: r.wave_id,
        buildId: r.build_id,
      },
    ]),
    targetBuildOf(await queryRows<{ wave_id: number; rollout_id: number; build_id: number | null }>(
      db,
      sql`select w.id as wave_id, r.id as rollout_id, coalesce(w.build_id, r.build_id) as build_id from waves w join rollouts r on r.id = w.rollout_id`,
    ), await queryRows<{ id: number; build_id: number }>(db, sql`select id, build_id from rollouts`)),
  );
  const deviceRows = await queryRows<{ id: number; hostname: string; site_id: number; os_name: string; department_id: number }>(
    db,
    sql`select id, hostname, site_id, os_name, coalesce(department_id, 0) as department_id from devices order by id`,
  );
  const updates = await queryRows<{ id: number; slug: string }>(db, sql`select id, slug from updates order by id`);
  const builds = await queryRows<{ id: number; update_id: number; name: string; version: string }>(db, sql`select id, update_id, name, version from builds order by id`);
  const devices = new Map(deviceRows.map((d) => [d.id, { siteId: d.site_id, osName: d.os_name, departmentId: d.department_id }]));
  // Existing deployments (planned in a rollout, or seeded history) and pairs reported for the first time.
  const targets = deviceRows.flatMap((d) =>
    updates.map((u) => ({ deviceId: d.id, hostname: d.hostname, updateId: u.id, slug: u.slug, builds: builds.filter((b) => b.update_id === u.id) })),
  );
  return { oracle, devices, targets };
}

/** The build each deployment's wave (else rollout) targets, as ingest resolves an event that names none. */
function targetBuildOf(waves: Array<{ wave_id: number; build_id: number | null }>, rollouts: Array<{ id: number; build_id: number }>): TargetBuild {
  const byWave = new Map(waves.map((w) => [w.wave_id, w.build_id]));
  const byRollout = new Map(rollouts.map((r) => [r.id, r.build_id]));
  return ({ rolloutId, waveId }) => {
    if (rolloutId === null) return null;
    return (waveId !== null ? byWave.get(waveId) : undefined) ?? byRollout.get(rolloutId) ?? null;
  };
}

const rowKey = (r: { device_id: number; update_id: number }) => `${r.device_id}:${r.update_id}`;
const normal = (r: DeploymentRow) =>
  JSON.stringify([r.state, r.rollout_id, r.wave_id, r.build_id, r.attempts, r.error_code, r.occurred_ms === null ? null : Number(r.occurred_ms), r.state_event_key]);

function diffRecords(expected: Record<string, number>, actual: Record<string, number>): string[] {
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  return [...keys].filter((k) => expected[k] !== actual[k]).map((k) => `${k}: expected ${expected[k] ?? 0}, stored ${actual[k] ?? 0}`);
}

/** Feeds every distinct event to the oracle, then compares the database with it. */
export async function verifyReplay(args: {
  db: Db;
  scenario: string;
  checks: Checks;
  start: Start;
  source: string;
  traffic: Traffic;
  result: ReplayResult;
}): Promise<void> {
  const { db, scenario, checks, start, source, traffic, result } = args;
  const { oracle } = start;
  for (const e of traffic.unique) oracle.apply(source, e.model);

  checks.check(scenario, "every batch acknowledged (2xx) within its retry window", result.failedBatches.length === 0,
    result.failedBatches.length ? `${result.failedBatches.length} not, e.g. #${result.failedBatches[0].index}: ${result.failedBatches[0].error}` : `${traffic.batches.length} batches`);
  checks.check(scenario, "no event rejected", result.totals.rejected === 0, `${result.totals.rejected} rejected`);
  const counted = result.totals.accepted + result.totals.stale;
  checks.check(scenario, "each distinct event counted once (accepted + stale)", counted === traffic.unique.length,
    `${counted} counted, ${traffic.unique.length} distinct`);
  const expectedDuplicates = traffic.sends - traffic.unique.length;
  checks.check(scenario, "every resent event answered as a duplicate", result.totals.duplicates === expectedDuplicates,
    `${result.totals.duplicates} answered, ${expectedDuplicates} resent`);

  const stored = await queryRows<{ event_id: string }>(db, sql`select event_id from status_events where source = ${source}`);
  const storedIds = new Set(stored.map((r) => r.event_id));
  const missing = [...result.acknowledged].filter((id) => !storedIds.has(id));
  checks.check(scenario, "every acknowledged event is in status_events", missing.length === 0,
    missing.length ? `${missing.length} missing, e.g. ${missing.slice(0, 3).join(", ")}` : `${result.acknowledged.size} acknowledged`);
  checks.check(scenario, "status_events holds each distinct event exactly once", stored.length === traffic.unique.length && storedIds.size === stored.length,
    `${stored.length} rows, ${traffic.unique.length} distinct events`);

  const actual = await readDeployments(db);
  const expected = oracle.rows();
  const actualByKey = new Map(actual.map((r) => [rowKey(r), r]));
  const diffs: string[] = [];
  for (const row of expected) {
    const got = actualByKey.get(rowKey(row));
    actualByKey.delete(rowKey(row));
    if (!got) diffs.push(`${rowKey(row)} missing`);
    else if (normal(got) !== normal(row)) diffs.push(`${rowKey(row)} stored ${normal(got)}, expected ${normal(row)}`);
  }
  for (const key of actualByKey.keys()) diffs.push(`${key} not expected`);
  checks.check(scenario, "deployments (state, build, occurredAt, event key, attempts) equal the oracle", diffs.length === 0,
    diffs.length ? `${diffs.length} differ, e.g. ${diffs.slice(0, 2).join("; ")}` : `${expected.length} deployments`);

  const counts = await queryRows<{ id: string; n: number }>(
    db,
    sql`select concat_ws('|', update_id, rollout_id, wave_id, site_id, os_name, department_id, state, build_id) as id, count::int as n
        from deployment_counts where count <> 0 order by 1`,
  );
  const countDiffs = diffRecords(oracle.counts((id) => start.devices.get(id)!), Object.fromEntries(counts.map((c) => [c.id, c.n])));
  checks.check(scenario, "deployment_counts equal the oracle", countDiffs.length === 0,
    countDiffs.length ? `${countDiffs.length} differ, e.g. ${countDiffs.slice(0, 2).join("; ")}` : `${counts.length} rows`);
  const adoption = await queryRows<{ id: string; n: number }>(
    db,
    sql`select concat_ws('|', update_id, day::text, build_id) as id, installed::int as n from adoption_daily where installed <> 0 order by 1`,
  );
  const adoptionDiffs = diffRecords(oracle.adoption(), Object.fromEntries(adoption.map((a) => [a.id, a.n])));
  checks.check(scenario, "adoption_daily equals the oracle", adoptionDiffs.length === 0,
    adoptionDiffs.length ? `${adoptionDiffs.length} differ, e.g. ${adoptionDiffs.slice(0, 2).join("; ")}` : `${adoption.length} rows`);
  const drift = await verifySummaries(db);
  checks.check(scenario, "verifySummaries finds no drift", driftCount(drift) === 0,
    `${drift.countDrift.length} count, ${drift.adoptionDrift.length} adoption and ${drift.signalDrift.length} wave signal rows drifted`);
}
