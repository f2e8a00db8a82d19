// `rollcall db seed --scale N`: N generated devices × 10 updates for benchmarks (100,000 devices
// → 1M deployments). Set-based and streamed: each batch of devices is one transaction of a few
// statements that generate rows server-side (generate_series, arrays passed as single parameters),
// so no statement nears the 65,535-parameter limit and memory stays flat. Works on an empty
// database and on top of the demo or an earlier scale seed (hostnames continue SCALE-000001…).
// Pseudo-random choices come from hashint8 of the device number, so the same N gives the same
// machines and states (timestamps count back from `now`).
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import type { Transaction as Tx } from "@/db/tx";
import { recordAudit } from "@/lib/audit/log";
import { adoptionFromDeployments, countsFromDeployments, signalsFromDeployments } from "@/lib/deployments/summaries";

export type ScaleOptions = {
  onProgress?: (done: number, total: number) => void;
  /** Devices per transaction (default 5,000 → 50,000 deployments). */
  batchSize?: number;
  now?: Date;
};

const UPDATE_COUNT = 10;
const RINGS = ["Ring 0 – pilot", "Ring 1 – early adopters", "Ring 2 – broad"] as const;
/** Share of devices per ring (by a hash of the device number). */
const RING_SHARES = [0.02, 0.3] as const;
const WIN2000_SHARE = 0.08;

/**
 * Installed share per ring for each update, oldest first; -1 = the ring's wave has not started.
 * The rest of a started ring is a mix of in-progress, failed, scheduled and pending.
 */
const INSTALLED_BY_RING: readonly (readonly [number, number, number])[] = [
  [0.97, 0.96, 0.95],
  [0.97, 0.96, 0.94],
  [0.96, 0.95, 0.93],
  [0.96, 0.94, 0.9],
  [0.95, 0.93, 0.86],
  [0.95, 0.92, 0.75],
  [0.94, 0.9, 0.5],
  [0.94, 0.8, -1],
  [0.9, 0.4, -1],
  [0.6, -1, -1],
];

const UPDATE_KINDS = ["security", "security", "feature", "driver", "application", "security", "service_pack", "security", "driver", "feature"] as const;
const UPDATE_SIZES_MB = [4, 6, 35, 8, 60, 3, 270, 5, 12, 40];

const SCALE_SITES = [
  { name: "Scale HQ", kind: "hq", linkKbps: 100_000, distributionPoint: "SCALE-HQ-DP" },
  ...Array.from({ length: 8 }, (_, i) => ({
    name: `Scale branch ${String(i + 1).padStart(2, "0")}`,
    kind: "branch",
    linkKbps: [2048, 1024, 512][i % 3],
    distributionPoint: `SCALE-BR${i + 1}-DP`,
  })),
  { name: "Scale home workers", kind: "home", linkKbps: null, distributionPoint: null },
] as const;
const SCALE_DEPARTMENTS = ["IT", "Finance", "Sales", "HR", "Engineering", "Operations", "Customer Service"];
const SCALE_APPS = [
  { name: "Microsoft Office 2003", vendor: "Microsoft", version: "11.0.5614.0", share: 0.85 },
  { name: "Sygate Personal Firewall", vendor: "Sygate Technologies", version: "5.5", share: 0.1 },
  { name: "Microsoft Business Solutions CRM Sales for Outlook", vendor: "Microsoft", version: "1.2", share: 0.06 },
];
const FAILURES = [
  { errorCode: "0x80070005", alert: null, message: "Access is denied" },
  { errorCode: "0x8007000E", alert: null, message: "Not enough memory to complete setup" },
  { errorCode: "0x80240022", alert: null, message: "The update failed to install (WU_E_ALL_UPDATES_FAILED)" },
  { errorCode: "0x80070070", alert: "disk_full", message: "There is not enough space on the system drive" },
  { errorCode: "0x80072EE2", alert: "download_timeout", message: "The download from the distribution point timed out" },
];

type Setup = {
  firstNumber: number;
  siteIds: number[];
  siteChannels: string[];
  departmentIds: number[];
  appIds: number[];
  updates: { updateId: number; rolloutId: number; waveIds: [number, number, number] }[];
};

export async function seedScale(db: Db, devices: number, opts: ScaleOptions = {}): Promise<{ devices: number; deployments: number; statusEvents: number }> {
  if (!Number.isInteger(devices) || devices < 1) throw new RangeError(`devices must be a whole number ≥ 1, not ${devices}`);
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? 5_000, 20_000));
  const now = opts.now ?? new Date();

  const setup = await db.transaction((tx) => prepare(tx, now));
  const [{ superuser }] = await queryRows<{ superuser: boolean }>(db, sql`select current_setting('is_superuser') = 'on' as superuser`);
  let done = 0;
  let deployments = 0;
  let statusEvents = 0;
  while (done < devices) {
    const count = Math.min(batchSize, devices - done);
    const from = setup.firstNumber + done;
    const added = await db.transaction(async (tx) => {
      // Bulk load: every foreign key of these rows points at a row this seed just created or read in
      // the same transaction, so the per-row FK triggers (half the insert time on PGlite) are skipped
      // where we may (PGlite, a superuser on PostgreSQL). The schema has no other triggers.
      if (superuser) await tx.execute(sql`set local session_replication_role = replica`);
      return seedBatch(tx, setup, from, from + count - 1, now);
    });
    deployments += added.deployments;
    statusEvents += added.statusEvents;
    done += count;
    opts.onProgress?.(done, devices);
  }
  await db.transaction((tx) =>
    recordAudit(tx, { kind: "system", label: "seed" }, {
      action: "seed.scale",
      targetType: "database",
      after: { devices, deployments, statusEvents, firstHostname: hostname(setup.firstNumber) },
    }),
  );
  // Fresh statistics after a bulk load: without them the planner guesses from empty tables (at 1M
  // devices the device page's known-issues query planned for 33,825 deployments per device, 180 ms).
  await db.execute(sql`analyze`);
  return { devices, deployments, statusEvents };
}

function hostname(n: number): string {
  return `SCALE-${String(n).padStart(6, "0")}`;
}

/** Sites, departments, apps, the 10 updates with their rollouts and waves: created once, reused by later runs. */
async function prepare(tx: Tx, now: Date): Promise<Setup> {
  let sites = await queryRows<{ id: number; kind: string }>(tx, sql`select id, kind::text as kind from sites order by id`);
  if (sites.length === 0) {
    for (const site of SCALE_SITES) {
      await tx.execute(sql`insert into sites (name, kind, link_kbps, distribution_point) values (${site.name}, ${site.kind}, ${site.linkKbps}, ${site.distributionPoint})`);
    }
    sites = await queryRows<{ id: number; kind: string }>(tx, sql`select id, kind::text as kind from sites order by id`);
  }
  // Headquarters hold more machines than a branch; home workers are many but scattered.
  const weight = { hq: 6, branch: 1, home: 3 } as Record<string, number>;
  const siteIds: number[] = [];
  const siteChannels: string[] = [];
  for (const site of sites) {
    for (let i = 0; i < weight[site.kind]; i++) {
      siteIds.push(site.id);
      siteChannels.push(site.kind === "home" ? "offline_media" : "network");
    }
  }

  let departments = await queryRows<{ id: number }>(tx, sql`select id from departments order by id`);
  if (departments.length === 0) {
    for (const name of SCALE_DEPARTMENTS) await tx.execute(sql`insert into departments (name) values (${name})`);
    departments = await queryRows<{ id: number }>(tx, sql`select id from departments order by id`);
  }

  const appIds: number[] = [];
  for (const app of SCALE_APPS) {
    await tx.execute(sql`insert into apps (name, vendor) values (${app.name}, ${app.vendor}) on conflict (lower(name)) do nothing`);
    const [row] = await queryRows<{ id: number }>(tx, sql`select id from apps where lower(name) = lower(${app.name})`);
    appIds.push(row.id);
  }

  const updates: Setup["updates"] = [];
  for (let i = 0; i < UPDATE_COUNT; i++) {
    const nn = String(i + 1).padStart(2, "0");
    const slug = `scale-update-${nn}`;
    const existing = await queryRows<{ id: number }>(tx, sql`select id from updates where slug = ${slug}`);
    let updateId = existing[0]?.id;
    let rolloutId: number;
    let waveIds: [number, number, number];
    const released = new Date(now.getTime() - (UPDATE_COUNT - i) * 6 * 86_400_000);
    if (updateId === undefined) {
      [{ id: updateId }] = await queryRows<{ id: number }>(
        tx,
        sql`insert into updates (slug, title, vendor, product, kind, kb, size_bytes, description, vendor_status, applicable_os_names, created_at, updated_at)
            values (${slug}, ${`Scale test update ${nn}`}, 'Contoso', 'Contoso Desktop', ${UPDATE_KINDS[i]}, ${`KB90${String(1000 + i)}`},
                    ${UPDATE_SIZES_MB[i] * 1024 * 1024}, 'Generated by rollcall db seed --scale for benchmarks.', 'Released',
                    ${sql.param(["Windows XP"])}::text[], ${released}, ${released})
            returning id`,
      );
      const [{ id: buildId }] = await queryRows<{ id: number }>(
        tx,
        sql`insert into builds (update_id, name, version, kind, released_at) values (${updateId}, 'Final', ${`1.0.${i}`}, 'final', ${released}) returning id`,
      );
      const ringStatus = INSTALLED_BY_RING[i].map((installed, ring, all) =>
        installed < 0 ? "planned" : ring < 2 && all[ring + 1] >= 0 ? "completed" : installed >= 0.86 ? "completed" : "active",
      );
      const rolloutStatus = ringStatus.every((st) => st === "completed") ? "completed" : "active";
      [{ id: rolloutId }] = await queryRows<{ id: number }>(
        tx,
        sql`insert into rollouts (update_id, build_id, name, status, created_at, updated_at)
            values (${updateId}, ${buildId}, ${`Scale rollout ${nn}`}, ${rolloutStatus}, ${released}, ${released}) returning id`,
      );
      const ids: number[] = [];
      for (let ring = 0; ring < RINGS.length; ring++) {
        const plannedStart = new Date(released.getTime() + ring * 2 * 86_400_000);
        const started = ringStatus[ring] === "planned" ? null : plannedStart;
        const completed = ringStatus[ring] === "completed" ? new Date(Math.min(plannedStart.getTime() + 2 * 86_400_000, now.getTime())) : null;
        const [{ id }] = await queryRows<{ id: number }>(
          tx,
          sql`insert into waves (rollout_id, position, name, build_id, status, targeting, planned_start_at, started_at, completed_at,
                                 gate_min_success_pct, gate_max_failure_pct, gate_min_attempted)
              values (${rolloutId}, ${ring}, ${RINGS[ring]}, ${buildId}, ${ringStatus[ring]},
                      ${JSON.stringify({ osNames: ["Windows XP"], tags: [`scale-ring-${ring}`] })}::jsonb,
                      ${plannedStart}, ${started}, ${completed}, 95, 5, ${ring === 0 ? 10 : 50})
              returning id`,
        );
        ids.push(id);
      }
      waveIds = ids as [number, number, number];
    } else {
      const [rollout] = await queryRows<{ id: number }>(tx, sql`select id from rollouts where update_id = ${updateId} order by id limit 1`);
      rolloutId = rollout.id;
      const waves = await queryRows<{ id: number }>(tx, sql`select id from waves where rollout_id = ${rolloutId} order by position`);
      waveIds = waves.map((w) => w.id) as [number, number, number];
    }
    updates.push({ updateId, rolloutId, waveIds });
  }

  const [{ last }] = await queryRows<{ last: number }>(
    tx,
    sql`select coalesce(max(substring(hostname from 7)::bigint), 0)::int as last from devices where hostname ~ '^SCALE-[0-9]+$'`,
  );
  return { firstNumber: last + 1, siteIds, siteChannels, departmentIds: departments.map((d) => d.id), appIds, updates };
}

/** A float in [0, 1) from a device number and a salt: the same number always gives the same value. */
function hash01(n: string, salt: string): SQL {
  // Both arguments are SQL expressions written in this file, never input.
  return sql.raw(`((hashint8((${n})::bigint * 64 + (${salt})) & 2147483647)::float8 / 2147483648.0)`);
}

/** One transaction: devices numbered `from`..`to`, their apps, 10 deployments each, their events and summary deltas. */
async function seedBatch(tx: Tx, setup: Setup, from: number, to: number, now: Date): Promise<{ deployments: number; statusEvents: number }> {
  const p = sql.param;
  const nowTs = sql`${now.toISOString()}::timestamptz`;
  const ringShare0 = RING_SHARES[0];
  const ringShare1 = RING_SHARES[0] + RING_SHARES[1];

  const inserted = await queryRows<{ id: number }>(
    tx,
    sql`insert into devices (hostname, os_name, os_version, site_id, department_id, channel, tags, last_seen_at, created_at, updated_at)
        select 'SCALE-' || lpad(n::text, greatest(6, length(n::text)), '0'),
               case when ${hash01("n", "2")} < ${WIN2000_SHARE} then 'Windows 2000' else 'Windows XP' end,
               case when ${hash01("n", "2")} < ${WIN2000_SHARE} then '5.0 SP4' else '5.1 SP1' end,
               (${p(setup.siteIds)}::int[])[1 + floor(${hash01("n", "3")} * ${setup.siteIds.length})::int],
               (${p(setup.departmentIds)}::int[])[1 + floor(${hash01("n", "4")} * ${setup.departmentIds.length})::int],
               ((${p(setup.siteChannels)}::text[])[1 + floor(${hash01("n", "3")} * ${setup.siteIds.length})::int])::delivery_channel,
               array['scale', 'scale-ring-' || (case when ${hash01("n", "1")} < ${ringShare0} then 0
                                                      when ${hash01("n", "1")} < ${ringShare1} then 1 else 2 end)::text],
               ${nowTs} - make_interval(secs => floor(${hash01("n", "5")} * 259200)),
               ${nowTs}, ${nowTs}
        from generate_series(${from}::bigint, ${to}::bigint) as n
        returning id`,
  );
  const ids = p(inserted.map((d) => d.id));
  const batch = sql`(select id, substring(hostname from 7)::bigint as n from devices where id = any(${ids}::int[]))`;

  await tx.execute(sql`
    insert into device_apps (device_id, app_id, version)
    select b.id, a.app_id, a.version
    from ${batch} b
    cross join unnest(${p(setup.appIds)}::int[], ${p(SCALE_APPS.map((a) => a.version))}::text[], ${p(SCALE_APPS.map((a) => a.share))}::float8[])
      with ordinality as a(app_id, version, share, k)
    where ${hash01("b.n", "10 + a.k")} < a.share`);

  // Per update (oldest first): its ids, the installed share per ring (-1: wave not started), how far back its reports go.
  const u = setup.updates;
  const installed = (ring: 0 | 1 | 2) => p(INSTALLED_BY_RING.map((x) => x[ring]));
  const [counts] = await queryRows<{ deployments: number }>(
    tx,
    sql`with devs as materialized (
          select v.id, v.channel, v.os_name, b.n,
                 case when 'scale-ring-0' = any(v.tags) then 0 when 'scale-ring-1' = any(v.tags) then 1 else 2 end as ring
          from ${batch} b join devices v on v.id = b.id
        ),
        base as materialized (
          select v.id as device_id, v.channel, v.os_name, v.n, x.k, x.update_id, x.rollout_id,
                 case v.ring when 0 then x.w0 when 1 then x.w1 else x.w2 end as wave_id,
                 case v.ring when 0 then x.i0 when 1 then x.i1 else x.i2 end as installed_share,
                 x.span_secs, ${hash01("v.n", "16 + x.k")} as roll, ${hash01("v.n", "32 + x.k")} as roll2
          from devs v
          cross join unnest(${p(u.map((x) => x.updateId))}::int[], ${p(u.map((x) => x.rolloutId))}::int[],
                            ${p(u.map((x) => x.waveIds[0]))}::int[], ${p(u.map((x) => x.waveIds[1]))}::int[], ${p(u.map((x) => x.waveIds[2]))}::int[],
                            ${installed(0)}::float8[], ${installed(1)}::float8[], ${installed(2)}::float8[],
                            ${p(u.map((_, i) => (UPDATE_COUNT - i) * 6 * 86_400 - 7_200))}::int[])
            with ordinality as x(update_id, rollout_id, w0, w1, w2, i0, i1, i2, span_secs, k)
        ),
        decided as (
          select b.*,
                 (case
                   when b.os_name = 'Windows 2000' then 'not_applicable'
                   when b.installed_share < 0 then case when b.roll < 0.02 then 'scheduled' else 'pending' end
                   when b.roll < b.installed_share then 'installed'
                   when b.roll < b.installed_share + 0.010 then 'reboot_required'
                   when b.roll < b.installed_share + 0.014 then 'installing'
                   when b.roll < b.installed_share + 0.019 then 'downloading'
                   when b.roll < b.installed_share + 0.031 then 'failed'
                   when b.roll < b.installed_share + 0.034 then 'rolled_back'
                   when b.roll < b.installed_share + 0.045 then 'scheduled'
                   when b.roll < b.installed_share + 0.052 then 'deferred'
                   else 'pending'
                 end)::deployment_state as state,
                 1 + floor(b.roll2 * ${FAILURES.length})::int as failure
          from base b
        ),
        timed as (
          select d.*,
                 case
                   when d.state = 'pending' then null
                   when d.state in ('downloading', 'installing', 'reboot_required', 'scheduled') then ${nowTs} - make_interval(secs => 60 + floor(d.roll2 * 21600))
                   else ${nowTs} - make_interval(secs => 3600 + floor(d.roll2 * d.span_secs))
                 end as occurred_at
          from decided d
        ),
        inserted as (
          insert into deployments (device_id, update_id, rollout_id, wave_id, state, error_code, alert, message, attempts, channel,
                                   state_occurred_at, state_event_key, last_reported_at, created_at, updated_at)
          select t.device_id, t.update_id, t.rollout_id, case when t.state = 'not_applicable' then null else t.wave_id end, t.state,
                 case when t.state = 'failed' then (${p(FAILURES.map((f) => f.errorCode))}::text[])[t.failure]
                      when t.state = 'rolled_back' then '0x800F0922' end,
                 (case when t.state = 'failed' then nullif((${p(FAILURES.map((f) => f.alert ?? ""))}::text[])[t.failure], '')
                       when t.state = 'rolled_back' then 'rollback_initiated' end)::deployment_alert,
                 case when t.state = 'failed' then (${p(FAILURES.map((f) => f.message))}::text[])[t.failure]
                      when t.state = 'rolled_back' then 'Setup rolled the machine back' end,
                 case when t.state in ('installed', 'failed', 'rolled_back') then 1 else 0 end,
                 t.channel, t.occurred_at,
                 case when t.occurred_at is not null then 's-' || t.device_id || '-' || t.update_id || chr(31) || 'seed' end,
                 t.occurred_at, ${nowTs}, coalesce(t.occurred_at, ${nowTs})
          from timed t
          returning 1
        )
        select count(*)::int as deployments from inserted`,
  );

  // The event behind each current state, and for outcomes of the newest updates
  // the download and install steps before it (≈ 11 events per device: the benchmark's 1M at 100,000).
  const newest = p(u.slice(-5).map((x) => x.updateId));
  const [events] = await queryRows<{ statusEvents: number }>(
    tx,
    sql`with inserted as (
          insert into status_events (device_id, update_id, state, occurred_at, received_at, error_code, alert, message, source, event_id)
          select device_id, update_id, state, state_occurred_at, state_occurred_at, error_code, alert, message, 'seed',
                 split_part(state_event_key, chr(31), 1)
          from deployments
          where device_id = any(${ids}::int[]) and state_event_key is not null
          union all
          select device_id, update_id, 'downloading', state_occurred_at - interval '25 minutes', state_occurred_at - interval '25 minutes',
                 null, null, null, 'seed', split_part(state_event_key, chr(31), 1) || '-d'
          from deployments
          where device_id = any(${ids}::int[]) and (state in ('failed', 'rolled_back') or (state = 'installed' and update_id = any(${newest}::int[])))
          union all
          select device_id, update_id, 'installing', state_occurred_at - interval '10 minutes', state_occurred_at - interval '10 minutes',
                 null, null, null, 'seed', split_part(state_event_key, chr(31), 1) || '-i'
          from deployments
          where device_id = any(${ids}::int[]) and state in ('installed', 'failed', 'rolled_back') and update_id = any(${newest}::int[])
          returning 1
        )
        select count(*)::int as "statusEvents" from inserted`,
  );

  await tx.execute(sql`
    update devices v set last_reported_at = m.at, last_seen_at = greatest(v.last_seen_at, m.at)
    from (select device_id, max(last_reported_at) as at from deployments where device_id = any(${ids}::int[]) group by 1) m
    where v.id = m.device_id and m.at is not null`);

  // Summary deltas for this batch, in key order (concurrent writers lock keys in the same order).
  await tx.execute(sql`
    insert into deployment_counts as dc (update_id, rollout_id, wave_id, site_id, os_name, department_id, state, build_id, count)
    select * from (${countsFromDeployments(sql`d.device_id = any(${ids}::int[])`)}) c
    order by 1, 2, 3, 4, 5, 6, 7, 8
    on conflict (update_id, rollout_id, wave_id, site_id, os_name, department_id, state, build_id) do update set count = dc.count + excluded.count`);
  await tx.execute(sql`
    insert into wave_signal_counts as ws (wave_id, signal, value, state, count, message)
    select * from (${signalsFromDeployments(sql`device_id = any(${ids}::int[])`)}) s
    order by 1, 2, 3, 4
    on conflict (wave_id, signal, value, state) do update set count = ws.count + excluded.count, message = coalesce(ws.message, excluded.message)`);
  await tx.execute(sql`
    insert into adoption_daily as ad (update_id, day, build_id, installed)
    select * from (${adoptionFromDeployments(sql`device_id = any(${ids}::int[])`)}) a
    order by 1, 2, 3
    on conflict (update_id, day, build_id) do update set installed = ad.installed + excluded.installed`);

  return { deployments: counts.deployments, statusEvents: events.statusEvents };
}
