import "server-only";
// One status-event batch inside its transaction (lib/deployments/ingest.ts opens it, retries it and
// keeps the idempotency record), in three round trips before the gates: devices, updates and named
// builds resolved; the history appended (exactly-once by (source, eventId)) with the deployments it
// reports on created or locked (which also gives the build an event naming none is about); then, each deployment compared with its newest event (last writer wins by
// (occurredAt, event key)), the deployments, the summary deltas, the devices' last report and the
// audit entry written together; then the health gates of the waves that moved.
// Where the time of a batch goes, and why it is shaped so: bench/performance-choices.md section 4.
import { randomBytes } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { executeTogether, txRows, type Transaction as Tx } from "@/db/tx";
import { auditInsert } from "@/lib/audit/log";
import type { Actor } from "@/lib/auth/actor";
import { afterBatch } from "./gates-hook";
import {
  dayOf,
  eventKey,
  isNewer,
  matchBuild,
  OUTCOME_STATES,
  receiptSuffix,
  unknownBuildMessage,
  type BuildRef,
  type IngestResult,
  type RejectedEvent,
  type ValidEvent,
  type Version,
} from "./ingest-model";
import type { DeploymentState } from "./states";
import { SummaryDeltas, summaryDeltaStatements } from "./summaries";


type Resolved = ValidEvent & { deviceId: number; updateId: number; buildId: number | null; key: string; occurredAtMs: number };
type DeviceInfo = { id: number; siteId: number; osName: string; departmentId: number | null; channel: string };
type Group = { deviceId: number; updateId: number; events: Resolved[]; winner: Resolved; attempts: number; reportedAt: Date };
type CurrentRow = {
  device_id: number;
  update_id: number;
  rollout_id: number | null;
  wave_id: number | null;
  build_id: number | null;
  state: DeploymentState | null;
  error_code: string | null;
  alert: string | null;
  channel: string | null;
  occurred_ms: number | null;
  state_event_key: string | null;
  /** The build the deployment's wave targets (else its rollout's); null outside a rollout or when created. */
  target_build_id: number | null;
  created: boolean;
};

const p = (value: unknown) => sql.param(value);

export async function applyBatch(
  tx: Tx,
  actor: Actor,
  source: string,
  valid: ValidEvent[],
  rejectedByValidation: RejectedEvent[],
  now: Date,
): Promise<IngestResult> {
  const rejected = [...rejectedByValidation];
  const { devices, updates, builds } = await findDevicesUpdatesAndBuilds(tx, valid);
  const screened = screenEvents(valid, devices, updates, builds, source, rejected);
  const deviceById = new Map([...devices.values()].map((d) => [d.id, d]));
  const { groups, duplicates, current } = await appendHistoryAndLock(tx, screened.candidates, source, now, deviceById);
  const counts = { accepted: 0, duplicates: screened.duplicates + duplicates, stale: 0, rejected: 0 };

  if (groups.size) {
    const compared = compareWithCurrent(groups, deviceById, current);
    counts.accepted = compared.accepted;
    counts.stale = compared.stale;
    counts.rejected = rejected.length;
    await writeBatch(tx, actor, source, groups, compared, counts);

    // The health gates of the waves whose counts moved (the rollouts area halts a breach).
    await afterBatch(tx, [...compared.affectedWaves]);
  }

  rejected.sort((a, b) => a.index - b.index);
  return { accepted: counts.accepted, duplicates: counts.duplicates, stale: counts.stale, rejected };
}

/** The builds of each update an event names a build of. */
type BatchBuilds = Map<number, BuildRef[]>;

type Lookup = { devices: Map<string, DeviceInfo>; updates: Map<string, number>; builds: BatchBuilds };

/**
 * 1. Devices (hostname, case-insensitive) and updates (slug) of the batch, and the builds of the
 * updates an event names a build of: one round trip. (The build an event naming none is about comes
 * with its deployment's lock, step 3.)
 */
async function findDevicesUpdatesAndBuilds(tx: Tx, valid: ValidEvent[]): Promise<Lookup> {
  const devices = new Map<string, DeviceInfo>();
  const updates = new Map<string, number>();
  const byUpdate = new Map<number, BuildRef[]>();
  if (!valid.length) return { devices, updates, builds: byUpdate };
  const hostnames = new Set<string>();
  const slugs = new Set<string>();
  const namedSlugs = new Set<string>();
  for (const event of valid) {
    hostnames.add(event.hostname);
    slugs.add(event.slug);
    if (event.build !== null) namedSlugs.add(event.slug);
  }
  const found = await txRows<{
    kind: "d" | "u" | "b";
    id: number;
    name: string | null;
    site_id: number | null;
    os_name: string | null;
    department_id: number | null;
    channel: string | null;
    update_id: number | null;
    version: string | null;
  }>(
    tx,
    // A join, not `lower(hostname) = any($1)`: with an array PostgreSQL prefers the trigram GIN
    // index for that, which takes seconds for 1,000 names; the join uses the btree or a hash.
    sql`with dev as (
          select d.id, h.name, d.site_id, d.os_name, d.department_id, d.channel::text as channel
          from unnest(${p([...hostnames])}::text[]) as h(name) join devices d on lower(d.hostname) = h.name
        ),
        upd as (
          select u.id, s.slug from unnest(${p([...slugs])}::text[]) as s(slug) join updates u on u.slug = s.slug
        )
        select 'd' as kind, id, name, site_id, os_name, department_id, channel, null::int as update_id, null::text as version
        from dev
        union all
        select 'u', id, slug, null, null, null, null, null, null from upd
        union all
        select 'b', b.id, b.name, null, null, null, null, b.update_id, b.version
        from upd join builds b on b.update_id = upd.id
        where upd.slug = any(${p([...namedSlugs])}::text[])`,
  );
  for (const row of found) {
    if (row.kind === "d") devices.set(row.name!, { id: row.id, siteId: row.site_id!, osName: row.os_name!, departmentId: row.department_id, channel: row.channel! });
    else if (row.kind === "u") updates.set(row.name!, row.id);
    else {
      const list = byUpdate.get(row.update_id!) ?? [];
      list.push({ id: row.id, name: row.name!, version: row.version! });
      byUpdate.set(row.update_id!, list);
    }
  }
  for (const list of byUpdate.values()) list.sort((a, b) => a.id - b.id);
  return { devices, updates, builds: byUpdate };
}

/**
 * 2. Unknown device, update or build → that row is rejected; a repeated eventId within the batch is
 * a duplicate. Each kept event carries the build it names (one naming none: step 3).
 */
function screenEvents(
  valid: ValidEvent[],
  devices: Map<string, DeviceInfo>,
  updates: Map<string, number>,
  builds: BatchBuilds,
  source: string,
  rejected: RejectedEvent[],
): { candidates: Resolved[]; duplicates: number } {
  let duplicates = 0;
  const batchStartedAt = Date.now();
  const nonce = randomBytes(3).toString("hex");
  const seen = new Set<string>();
  const candidates: Resolved[] = [];
  for (const event of valid) {
    const device = devices.get(event.hostname);
    const updateId = updates.get(event.slug);
    if (!device || updateId === undefined) {
      const errors = [];
      if (!device) errors.push({ path: "device", message: `unknown device "${event.hostname}"` });
      if (updateId === undefined) errors.push({ path: "update", message: `unknown update "${event.slug}"` });
      rejected.push({ index: event.index, errors });
      continue;
    }
    let buildId: number | null;
    if (event.build !== null) {
      const known = builds.get(updateId) ?? [];
      const build = matchBuild(known, event.build);
      if (!build) {
        rejected.push({ index: event.index, errors: [{ path: "build", message: unknownBuildMessage(event.build, event.slug, known) }] });
        continue;
      }
      buildId = build.id;
    } else {
      // The build its deployment's wave targets: known once step 3 has locked the deployment.
      buildId = null;
    }
    if (event.eventId !== null) {
      if (seen.has(event.eventId)) {
        duplicates++;
        continue;
      }
      seen.add(event.eventId);
    }
    candidates.push({
      ...event,
      deviceId: device.id,
      updateId,
      buildId,
      occurredAtMs: event.occurredAt.getTime(),
      key: eventKey(source, event.eventId, receiptSuffix(batchStartedAt, nonce, event.index)),
    });
  }
  return { candidates, duplicates };
}

/** Creates the deployments of `from` (rows of `input`) that do not exist yet, with the group's newest event as their state. */
const createdCte = (from: "input" | "fresh") =>
  sql.raw(`
        created as (
          insert into deployments (device_id, update_id, state, error_code, alert, message, attempts, channel,
                                   state_occurred_at, state_event_key, last_reported_at, build_id)
          select device_id, update_id, state::deployment_state, error_code, alert::deployment_alert, message, attempts,
                 channel::delivery_channel, occurred_at, event_key, reported_at, build_id
          from ${from} order by device_id, update_id
          on conflict (device_id, update_id) do nothing
          returning device_id, update_id
        )`);

/**
 * Locks the deployments of `input` that exist, in (device, update) order so concurrent batches
 * cannot deadlock on them, each with the build its wave (else its rollout) targets, for the events
 * that name none (a deployment outside a rollout has none).
 */
const lockedCte = sql.raw(`
        locked as (
          select d.device_id, d.update_id, d.rollout_id, d.wave_id, d.build_id, d.state::text as state,
                 d.error_code, d.alert::text as alert, d.channel::text as channel,
                 (extract(epoch from d.state_occurred_at) * 1000)::float8 as occurred_ms, d.state_event_key,
                 case when r.id is null then null else coalesce(w.build_id, r.build_id) end as target_build_id
          from deployments d join input i on i.device_id = d.device_id and i.update_id = d.update_id
          left join rollouts r on r.id = d.rollout_id
          left join waves w on w.id = d.wave_id
          order by d.device_id, d.update_id
          for update of d
        )`);

/** The groups as the rows `input` of createdCte and lockedCte: the newest event's fields, attempts, channel, last report. */
function groupRows(g: Group[], deviceById: Map<number, DeviceInfo>): SQL {
  return sql`unnest(${p(g.map((x) => x.deviceId))}::int[], ${p(g.map((x) => x.updateId))}::int[],
                ${p(g.map((x) => x.winner.state))}::text[], ${p(g.map((x) => x.winner.errorCode))}::text[],
                ${p(g.map((x) => x.winner.alert))}::text[], ${p(g.map((x) => x.winner.message))}::text[],
                ${p(g.map((x) => x.attempts))}::int[], ${p(g.map((x) => deviceById.get(x.deviceId)!.channel))}::text[],
                ${p(g.map((x) => x.winner.occurredAt.toISOString()))}::timestamptz[], ${p(g.map((x) => x.winner.key))}::text[],
                ${p(g.map((x) => x.reportedAt.toISOString()))}::timestamptz[], ${p(g.map((x) => x.winner.buildId))}::int[])
      as t(device_id, update_id, state, error_code, alert, message, attempts, channel, occurred_at, event_key, reported_at, build_id)`;
}

/**
 * 3. Locks the deployments the batch reports on, returning their state before the batch and the
 * build their wave targets; appends the history with that build for events naming none (an eventId
 * this source already sent is a duplicate and changes nothing); and creates the deployments reported
 * on for the first time, with the batch's newest event as their state — one statement. The
 * deployments are grouped as if every event were new; one with a duplicate among its events is not
 * created there but, from its stored events alone, by lockDeployments (as is one another instance
 * created and committed meanwhile).
 */
async function appendHistoryAndLock(
  tx: Tx,
  candidates: Resolved[],
  source: string,
  now: Date,
  deviceById: Map<number, DeviceInfo>,
): Promise<{ groups: Map<string, Group>; duplicates: number; current: Map<string, CurrentRow> }> {
  const current = new Map<string, CurrentRow>();
  const optimistic = groupByDeployment(candidates, now);
  if (!candidates.length) return { groups: optimistic, duplicates: 0, current };
  // History rows in eventId order, deployments in (device, update) order: concurrent batches take
  // their unique-index entries and row locks in the same order.
  const ordered = [...candidates].sort((a, b) => ((a.eventId ?? "") < (b.eventId ?? "") ? -1 : (a.eventId ?? "") > (b.eventId ?? "") ? 1 : 0));
  const g = [...optimistic.values()].sort((a, b) => a.deviceId - b.deviceId || a.updateId - b.updateId);
  const rows = await txRows<CurrentRow & { repeated_event_id: string | null }>(
    tx,
    sql`
      with events as (
        select * from unnest(${p(ordered.map((e) => e.deviceId))}::int[], ${p(ordered.map((e) => e.updateId))}::int[], ${p(ordered.map((e) => e.buildId))}::int[],
                             ${p(ordered.map((e) => e.state))}::text[], ${p(ordered.map((e) => e.occurredAt.toISOString()))}::timestamptz[],
                             ${p(ordered.map((e) => e.errorCode))}::text[], ${p(ordered.map((e) => e.alert))}::text[],
                             ${p(ordered.map((e) => e.message))}::text[], ${p(ordered.map((e) => e.eventId))}::text[])
          with ordinality as t(device_id, update_id, build_id, state, occurred_at, error_code, alert, message, event_id, position)
      ),
      input as (select * from ${groupRows(g, deviceById)}),
      ${lockedCte},
      history as (
        insert into status_events (device_id, update_id, build_id, state, occurred_at, error_code, alert, message, source, event_id)
        select e.device_id, e.update_id, coalesce(e.build_id, l.target_build_id), e.state::deployment_state, e.occurred_at, e.error_code,
               e.alert::deployment_alert, e.message, ${source}, e.event_id
        from events e left join locked l on l.device_id = e.device_id and l.update_id = e.update_id
        order by e.position
        on conflict (source, event_id) do nothing
        returning event_id
      ),
      repeated as (
        select e.event_id, e.device_id, e.update_id from events e
        where e.event_id is not null and not exists (select 1 from history h where h.event_id = e.event_id)
      ),
      fresh as (
        select * from input i where not exists (select 1 from repeated r where r.device_id = i.device_id and r.update_id = i.update_id)
      ),
      ${createdCte("fresh")}
      select null::text as repeated_event_id, device_id, update_id, null::int as rollout_id, null::int as wave_id, null::int as build_id, null::text as state,
             null::text as error_code, null::text as alert, null::text as channel,
             null::float8 as occurred_ms, null::text as state_event_key, null::int as target_build_id, true as created
      from created
      union all
      select null, device_id, update_id, rollout_id, wave_id, build_id, state, error_code, alert, channel, occurred_ms, state_event_key, target_build_id, false
      from locked
      union all
      select event_id, null, null, null, null, null, null, null, null, null, null, null, null, null
      from repeated`,
  );
  const repeated = new Set<string>();
  for (const row of rows) {
    if (row.repeated_event_id !== null) repeated.add(row.repeated_event_id);
    else current.set(`${row.device_id}:${row.update_id}`, row);
  }
  // An event naming no build is about the one its deployment's wave targets, as the history row has it.
  for (const event of candidates) {
    if (event.build === null) event.buildId = current.get(`${event.deviceId}:${event.updateId}`)?.target_build_id ?? null;
  }
  const stored = repeated.size ? candidates.filter((e) => e.eventId === null || !repeated.has(e.eventId)) : candidates;
  const groups = repeated.size ? groupByDeployment(stored, now) : optimistic;
  const pending = [...groups.values()].filter((x) => !current.has(`${x.deviceId}:${x.updateId}`));
  if (pending.length) for (const [key, row] of await lockDeployments(tx, pending, deviceById)) current.set(key, row);
  return { groups, duplicates: candidates.length - stored.length, current };
}

/** 4a. Per deployment: the batch's newest event, the outcomes it reports, when the device last reported. */
function groupByDeployment(stored: Resolved[], now: Date): Map<string, Group> {
  const groups = new Map<string, Group>();
  const nowMs = now.getTime();
  for (const event of stored) {
    const id = `${event.deviceId}:${event.updateId}`;
    const reportedAt = new Date(Math.min(event.occurredAtMs, nowMs));
    const group = groups.get(id);
    const outcome = OUTCOME_STATES.includes(event.state) ? 1 : 0;
    if (!group) {
      groups.set(id, { deviceId: event.deviceId, updateId: event.updateId, events: [event], winner: event, attempts: outcome, reportedAt });
      continue;
    }
    group.events.push(event);
    group.attempts += outcome;
    if (isNewer(event, group.winner)) group.winner = event;
    if (reportedAt > group.reportedAt) group.reportedAt = reportedAt;
  }
  return groups;
}

type Compared = { changes: Array<{ group: Group; apply: boolean }>; deltas: SummaryDeltas; affectedWaves: Set<number>; accepted: number; stale: number };

/**
 * 4b. Each group against its deployment as it stands (created or locked by step 3): which events are newer
 * (accepted) or not (stale), whether the deployment's state changes, and the summary deltas.
 */
function compareWithCurrent(groups: Map<string, Group>, deviceById: Map<number, DeviceInfo>, current: Map<string, CurrentRow>): Compared {
  let accepted = 0;
  let stale = 0;
  const deltas = new SummaryDeltas();
  const affectedWaves = new Set<number>();
  const changes: Array<{ group: Group; apply: boolean }> = [];
  for (const group of groups.values()) {
    const row = current.get(`${group.deviceId}:${group.updateId}`)!;
    const device = deviceById.get(group.deviceId)!;
    // Sequential semantics inside the batch: each event is compared with the state as it would be
    // had the earlier events of the request been applied one by one.
    let version: Version | null =
      row.created || row.occurred_ms === null ? null : { occurredAtMs: Number(row.occurred_ms), key: row.state_event_key ?? "" };
    const before = version;
    for (const event of group.events.sort((a, b) => a.index - b.index)) {
      if (isNewer(event, version)) {
        accepted++;
        version = event;
      } else {
        stale++;
      }
    }
    const winner = group.winner;
    const countKey = { updateId: group.updateId, siteId: device.siteId, osName: device.osName, departmentId: device.departmentId };
    if (row.created) {
      deltas.count({ ...countKey, rolloutId: null, waveId: null, state: winner.state, buildId: winner.buildId }, +1);
      if (winner.state === "installed") deltas.install(group.updateId, dayOf(winner.occurredAtMs), +1, winner.buildId);
      continue;
    }
    const apply = version !== before;
    changes.push({ group, apply });
    if (!apply) continue;
    const oldState = row.state!;
    deltas.count({ ...countKey, rolloutId: row.rollout_id, waveId: row.wave_id, state: oldState, buildId: row.build_id }, -1);
    deltas.count({ ...countKey, rolloutId: row.rollout_id, waveId: row.wave_id, state: winner.state, buildId: winner.buildId }, +1);
    if (oldState === "installed" && before) deltas.install(group.updateId, dayOf(before.occurredAtMs), -1, row.build_id);
    const channel = row.channel!;
    deltas.signal({ waveId: row.wave_id, state: oldState, errorCode: row.error_code, alert: row.alert, channel, message: null }, -1);
    deltas.signal({ waveId: row.wave_id, state: winner.state, errorCode: winner.errorCode, alert: winner.alert, channel, message: winner.message }, +1);
    if (winner.state === "installed") deltas.install(group.updateId, dayOf(winner.occurredAtMs), +1, winner.buildId);
    if (row.wave_id !== null && oldState !== winner.state) affectedWaves.add(row.wave_id);
  }
  return { changes, deltas, affectedWaves, accepted, stale };
}

/**
 * 5–7 in one round trip, in a fixed table order (deployments, summaries, devices) so concurrent
 * batches take their row locks in the same order: the existing deployments (newer state where
 * it won, attempts and last report always), the summary deltas — in this transaction, so the
 * dashboard never disagrees with the deployments — and when each device last reported.
 */
async function writeBatch(
  tx: Tx,
  actor: Actor,
  source: string,
  groups: Map<string, Group>,
  { changes, deltas }: Compared,
  counts: { accepted: number; duplicates: number; stale: number; rejected: number },
): Promise<void> {
  const writes: SQL[] = [];
  if (changes.length) {
    const c = changes;
    writes.push(sql`
      update deployments d set
        state = case when u.apply then u.state::deployment_state else d.state end,
        build_id = case when u.apply then u.build_id else d.build_id end,
        error_code = case when u.apply then u.error_code else d.error_code end,
        alert = case when u.apply then u.alert::deployment_alert else d.alert end,
        message = case when u.apply then u.message else d.message end,
        state_occurred_at = case when u.apply then u.occurred_at else d.state_occurred_at end,
        state_event_key = case when u.apply then u.event_key else d.state_event_key end,
        attempts = d.attempts + u.attempts,
        last_reported_at = greatest(d.last_reported_at, u.reported_at),
        updated_at = case when u.apply then now() else d.updated_at end
      from unnest(${p(c.map((x) => x.group.deviceId))}::int[], ${p(c.map((x) => x.group.updateId))}::int[],
                  ${p(c.map((x) => x.apply))}::boolean[], ${p(c.map((x) => x.group.winner.state))}::text[],
                  ${p(c.map((x) => x.group.winner.errorCode))}::text[], ${p(c.map((x) => x.group.winner.alert))}::text[],
                  ${p(c.map((x) => x.group.winner.message))}::text[], ${p(c.map((x) => x.group.winner.occurredAt.toISOString()))}::timestamptz[],
                  ${p(c.map((x) => x.group.winner.key))}::text[], ${p(c.map((x) => x.group.attempts))}::int[],
                  ${p(c.map((x) => x.group.reportedAt.toISOString()))}::timestamptz[], ${p(c.map((x) => x.group.winner.buildId))}::int[])
        as u(device_id, update_id, apply, state, error_code, alert, message, occurred_at, event_key, attempts, reported_at, build_id)
      where d.device_id = u.device_id and d.update_id = u.update_id`);
  }
  writes.push(...summaryDeltaStatements(deltas));
  const lastReport = new Map<number, Date>();
  for (const group of groups.values()) {
    const seenAt = lastReport.get(group.deviceId);
    if (!seenAt || group.reportedAt > seenAt) lastReport.set(group.deviceId, group.reportedAt);
  }
  const reports = [...lastReport.entries()].sort((a, b) => a[0] - b[0]);
  writes.push(sql`
    update devices v set last_reported_at = u.at
    from unnest(${p(reports.map((r) => r[0]))}::int[], ${p(reports.map((r) => r[1].toISOString()))}::timestamptz[]) as u(id, at)
    where v.id = u.id and (v.last_reported_at is null or v.last_reported_at < u.at)`);
  // The audit entry goes in the same round trip (the counts are known by now).
  writes.push(auditInsert(tx, actor, ingestAudit(source, counts)).getSQL());
  // In the order written (deployments, summaries, devices, audit).
  await executeTogether(tx, writes);
}

/** The audit entry of a batch that stored events (every batch with a deployment to apply to). */
function ingestAudit(source: string, counts: { accepted: number; duplicates: number; stale: number; rejected: number }) {
  return { action: "status_events.ingest", targetType: "status_events", after: { source, ...counts } };
}

/**
 * Creates or locks the deployments of `groups` (those step 3 left out), as step 3 does, returning
 * their state before the batch; a row another instance inserted and committed meanwhile is taken
 * again with a fresh snapshot.
 */
async function lockDeployments(tx: Tx, groups: Group[], deviceById: Map<number, DeviceInfo>): Promise<Map<string, CurrentRow>> {
  const result = new Map<string, CurrentRow>();
  let pending = groups;
  for (let round = 0; pending.length && round < 3; round++) {
    const g = [...pending].sort((a, b) => a.deviceId - b.deviceId || a.updateId - b.updateId);
    const found = await txRows<CurrentRow>(
      tx,
      sql`
        with input as (select * from ${groupRows(g, deviceById)}),
        ${createdCte("input")},
        ${lockedCte}
        select device_id, update_id, null::int as rollout_id, null::int as wave_id, null::int as build_id, null::text as state,
               null::text as error_code, null::text as alert, null::text as channel,
               null::float8 as occurred_ms, null::text as state_event_key, null::int as target_build_id, true as created
        from created
        union all
        select device_id, update_id, rollout_id, wave_id, build_id, state, error_code, alert, channel, occurred_ms, state_event_key, target_build_id, false
        from locked`,
    );
    for (const row of found) result.set(`${row.device_id}:${row.update_id}`, row);
    // A row another instance inserted and committed while this statement ran is neither created
    // nor visible to it: take it again with a fresh snapshot.
    pending = pending.filter((x) => !result.has(`${x.deviceId}:${x.updateId}`));
  }
  if (pending.length) throw Object.assign(new Error("deployments changed concurrently; retrying the batch"), { code: "40001" });
  return result;
}
