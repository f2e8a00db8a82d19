import "server-only";
// Offline media per machine (issue #21): machines on the offline_media and technician channels get
// their disc posted (batch, tracking reference), received, or an office appointment booked, maybe
// returned or lost; each step is a row of media_steps with who recorded it. The installed step is
// the deployment being installed (status events), so the journey closes by itself. The rules of the
// journey live in media-journey.ts; here are the bulk write and the reads per wave and per machine.
import { eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { mediaSteps, rollouts, waves } from "@/db/schema";
import { txRows, type Tx } from "@/db/tx";
import { actorLabel, type Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { csvLine } from "@/lib/dashboards/csv";
import { mutation } from "@/lib/dal/mutation";
import { HttpError, type FieldError } from "@/lib/http/problem";
import { HOSTNAME_PATTERN } from "@/lib/devices/import";
import { HELPDESK_STEPS, isOverdue, journeyOf, MEDIA_JOURNEY_STEPS, MEDIA_STEPS, refusal, STEP_LABELS, type Journey, type MediaJourneyStep, type MediaStepValue } from "./media-journey";
import { readRolloutWaves } from "./shared-reads";

export const DEFAULT_OVERDUE_DAYS = 14;
export const MAX_MEDIA_HOSTNAMES = 10_000;
const OFFLINE_CHANNELS = sql`('offline_media', 'technician')`;

const optionalText = (max: number, label: string) =>
  z
    .string({ message: `${label} must be text.` })
    .trim()
    .max(max, `${label}: at most ${max} characters.`)
    .optional()
    .transform((v) => (v ? v : undefined));

/** One bulk record: the same step and date for every hostname. */
export const MediaStepsInput = z
  .object({
    rolloutId: z.coerce.number().int().positive(),
    hostnames: z
      .array(z.string({ message: "A hostname must be text." }).trim(), { message: "hostnames must be a list of hostnames." })
      .min(1, "Give at least one hostname.")
      .max(MAX_MEDIA_HOSTNAMES, `At most ${MAX_MEDIA_HOSTNAMES.toLocaleString("en")} hostnames at once.`),
    step: z.enum(MEDIA_STEPS, { message: `step must be one of ${MEDIA_STEPS.join(", ")} (installed comes from the machine's own report).` }),
    date: z.coerce.date({ message: "Enter the date (YYYY-MM-DD)." }),
    batch: optionalText(100, "batch"),
    reference: optionalText(200, "reference"),
    office: optionalText(200, "office"),
    technician: optionalText(200, "technician"),
    dryRun: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    if (v.step === "appointment" && !v.office) ctx.addIssue({ code: "custom", path: ["office"], message: "Name the office of the appointment." });
    if (v.step === "posted" && !v.batch && !v.reference) ctx.addIssue({ code: "custom", path: ["batch"], message: "Name the batch or carrier (or give a tracking reference)." });
  });
export type MediaStepsInput = z.input<typeof MediaStepsInput>;

export type MediaRejectedRow = { index: number; hostname: string; errors: FieldError[] };
export type MediaStepsResult = { dryRun: boolean; received: number; accepted: number; rejected: MediaRejectedRow[] };

type Candidate = {
  key: string;
  device_id: number;
  channel: string;
  in_wave: boolean;
  installed: boolean;
  step: MediaStepValue | null;
  at: Date | string | null;
  seq: number | null;
};

/** The named devices (lower-cased hostnames) with their channel, whether this rollout has them in a wave, and their current journey. */
async function candidates(tx: Tx, rolloutId: number, keys: string[]): Promise<Map<string, Candidate>> {
  if (!keys.length) return new Map();
  const rows = await txRows<Candidate>(
    tx,
    sql`select lower(v.hostname) as key, v.id as device_id, coalesce(d.channel, v.channel)::text as channel,
          (d.wave_id is not null) as in_wave, coalesce(d.state = 'installed', false) as installed,
          l.step, l.occurred_at as at, l.id as seq
        from jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb) as k(key)
        join devices v on lower(v.hostname) = k.key
        left join deployments d on d.device_id = v.id and d.rollout_id = ${rolloutId}
        left join lateral (
          select m.step::text as step, m.occurred_at, m.id from media_steps m
          where m.rollout_id = ${rolloutId} and m.device_id = v.id order by m.occurred_at desc, m.id desc limit 1
        ) l on true`,
  );
  return new Map(rows.map((r) => [r.key, r]));
}

function currentJourney(c: Candidate): Journey {
  if (c.installed) return { step: "installed", at: null, seq: null };
  if (!c.step || c.at === null || c.seq === null) return { step: "to_send", at: null, seq: null };
  return { step: c.step, at: new Date(c.at), seq: Number(c.seq) };
}

/** Each hostname's problems (none: it may take the step). */
function checkRow(hostname: string, key: string, c: Candidate | undefined, seen: Map<string, number>, data: z.output<typeof MediaStepsInput>, now: Date): FieldError[] {
  if (!hostname) return [{ path: "hostname", message: "Empty hostname." }];
  if (!HOSTNAME_PATTERN.test(hostname)) return [{ path: "hostname", message: "Not a hostname: letters, digits, '.', '-' and '_' only." }];
  const first = seen.get(key);
  if (first !== undefined) return [{ path: "hostname", message: `Duplicate: the same machine as row ${first + 1}.` }];
  if (!c) return [{ path: "hostname", message: `Unknown hostname "${hostname}".` }];
  if (c.channel !== "offline_media" && c.channel !== "technician") {
    return [{ path: "hostname", message: `Not on an offline channel (it gets updates over the ${c.channel}); only offline_media and technician machines have a media journey.` }];
  }
  if (!c.in_wave) return [{ path: "hostname", message: "Not in any wave of this rollout." }];
  const why = refusal(currentJourney(c), data.step, data.date, now);
  return why ? [{ path: why.includes("date") ? "date" : "step", message: why }] : [];
}

/**
 * Records one step for many machines, with an answer per hostname like the device import: good rows
 * are stored, bad ones listed with their reasons; with `dryRun` nothing is written. Helpdesk may
 * record `received` and appointments only.
 */
export const recordMediaSteps = mutation({
  action: "media.record",
  input: MediaStepsInput,
  invalid: "The media step has invalid fields; nothing was recorded.",
  run: async (tx, actor, data): Promise<MediaStepsResult> => {
    if (actor.kind === "user" && actor.role === "helpdesk" && !HELPDESK_STEPS.includes(data.step)) {
      throw new HttpError(403, `Helpdesk may record "received" and appointments only; "${STEP_LABELS[data.step].toLowerCase()}" needs an editor.`, {
        errors: [{ path: "step", message: "Helpdesk may record received and appointments only." }],
      });
    }
    const [rollout] = await tx.select({ id: rollouts.id }).from(rollouts).where(eq(rollouts.id, data.rolloutId));
    if (!rollout) throw new HttpError(404, "No such rollout.");
    const now = new Date();
    const keys = data.hostnames.map((h) => h.toLowerCase());
    const found = await candidates(tx, data.rolloutId, [...new Set(keys.filter(Boolean))]);
    const seen = new Map<string, number>();
    const good: { deviceId: number; index: number }[] = [];
    const rejected: MediaRejectedRow[] = [];
    data.hostnames.forEach((hostname, index) => {
      const errors = checkRow(hostname, keys[index], found.get(keys[index]), seen, data, now);
      if (errors.length) rejected.push({ index, hostname, errors });
      else {
        seen.set(keys[index], index);
        good.push({ deviceId: found.get(keys[index])!.device_id, index });
      }
    });
    if (!data.dryRun && good.length) {
      const by = actor.kind === "user" ? actor.userId : null;
      const label = actorLabel(actor);
      for (let i = 0; i < good.length; i += 1000) {
        await tx.insert(mediaSteps).values(
          good.slice(i, i + 1000).map((g) => ({
            rolloutId: data.rolloutId,
            deviceId: g.deviceId,
            step: data.step,
            occurredAt: data.date,
            batch: data.batch ?? null,
            reference: data.reference ?? null,
            office: data.office ?? null,
            technician: data.technician ?? null,
            recordedBy: by,
            recordedByLabel: label,
          })),
        );
      }
    }
    return { dryRun: data.dryRun, received: data.hostnames.length, accepted: good.length, rejected };
  },
  audit: (data, result) =>
    data.dryRun || result.accepted === 0
      ? null
      : {
          action: "media.record",
          targetType: "rollout",
          targetId: data.rolloutId,
          after: {
            step: data.step,
            date: data.date.toISOString().slice(0, 10),
            batch: data.batch ?? null,
            reference: data.reference ?? null,
            office: data.office ?? null,
            technician: data.technician ?? null,
            accepted: result.accepted,
            rejected: result.rejected.length,
            hostnames: acceptedHostnames(data.hostnames, result.rejected, 20),
          },
        },
});

function acceptedHostnames(hostnames: readonly string[], rejected: readonly MediaRejectedRow[], limit: number): string[] {
  const refused = new Set(rejected.map((r) => r.index));
  return hostnames.filter((_, i) => !refused.has(i)).slice(0, limit);
}

export const OverdueDaysInput = z.object({
  waveId: z.coerce.number().int().positive(),
  mediaOverdueDays: z.coerce.number({ message: "Enter a number of days." }).int("A whole number of days.").min(1, "At least 1 day.").max(365, "At most 365 days."),
});

/** How many days after posting or an appointment a machine of the wave counts as overdue. */
export const setMediaOverdueDays = mutation({
  action: "rollout.write",
  input: OverdueDaysInput,
  invalid: "The number of days is not valid; nothing was saved.",
  run: async (tx, _actor, data) => {
    const [before] = await tx.select({ days: waves.mediaOverdueDays }).from(waves).where(eq(waves.id, data.waveId));
    if (!before) throw new HttpError(404, "No such wave.");
    await tx.update(waves).set({ mediaOverdueDays: data.mediaOverdueDays }).where(eq(waves.id, data.waveId));
    return { before: before.days };
  },
  audit: (data, result) => ({ action: "wave.media_overdue_days", targetType: "wave", targetId: data.waveId, before: { mediaOverdueDays: result.before }, after: { mediaOverdueDays: data.mediaOverdueDays } }),
});

/** The latest recorded step per machine of the rollout (the journey's rule: latest date, then latest recording). */
const lastSteps = (rolloutId: number) => sql`
  select distinct on (m.device_id) m.device_id, m.step::text as step, m.occurred_at, m.batch, m.reference, m.office, m.technician
  from media_steps m where m.rollout_id = ${rolloutId} order by m.device_id, m.occurred_at desc, m.id desc`;

/** The rollout's offline machines in a wave, with their journey step (installed from the deployment) and whether overdue. */
const journeyRows = (rolloutId: number, now: Date, where: SQL = sql`true`) => sql`
  with last as (${lastSteps(rolloutId)}),
  journey as (
    select d.device_id, d.wave_id, w.name as wave, w.position,
      case when d.state = 'installed' then 'installed' else coalesce(l.step, 'to_send') end as step,
      case when d.state = 'installed' then d.state_occurred_at else l.occurred_at end as step_at,
      l.batch, l.reference, l.office, l.technician,
      (d.state <> 'installed' and l.step in ('posted', 'appointment')
        and l.occurred_at < ${now.toISOString()}::timestamptz - make_interval(days => w.media_overdue_days)) as overdue
    from waves w
    join deployments d on d.wave_id = w.id and d.channel in ${OFFLINE_CHANNELS} and d.state not in ('not_applicable', 'excluded')
    left join last l on l.device_id = d.device_id
    where w.rollout_id = ${rolloutId}
  )
  select j.*, v.hostname, v.channel::text as channel, s.name as site, dep.name as department
  from journey j join devices v on v.id = j.device_id join sites s on s.id = v.site_id left join departments dep on dep.id = v.department_id
  where ${where}`;

export type WaveMediaStatus = {
  waveId: number;
  overdueDays: number;
  /** Offline and technician machines of the wave (not applicable and excluded ones have no journey). */
  offlineDevices: number;
  installed: number;
  overdue: number;
  counts: Record<MediaJourneyStep, number>;
};

const zeroCounts = () => Object.fromEntries(MEDIA_JOURNEY_STEPS.map((s) => [s, 0])) as Record<MediaJourneyStep, number>;

/** Per wave of the rollout: machines per journey step and how many are overdue (one GROUP BY). */
export async function mediaStatusForRollout(actor: Actor | null, rolloutId: number, now = new Date()): Promise<WaveMediaStatus[]> {
  assertCan(actor, "rollout.read");
  const db = await getDb();
  const [waveRows, rows] = await Promise.all([
    readRolloutWaves(actor, rolloutId),
    txRows<{ wave_id: number; step: MediaJourneyStep; n: number; overdue: number }>(
      db,
      sql`select wave_id, step, count(*)::int as n, count(*) filter (where overdue)::int as overdue from (${journeyRows(rolloutId, now)}) x group by 1, 2`,
    ),
  ]);
  return waveRows.map((w) => {
    const counts = zeroCounts();
    let overdue = 0;
    for (const r of rows.filter((r) => r.wave_id === w.id)) {
      counts[r.step] = Number(r.n);
      overdue += Number(r.overdue);
    }
    const offlineDevices = Object.values(counts).reduce((a, b) => a + b, 0);
    return { waveId: w.id, overdueDays: w.mediaOverdueDays, offlineDevices, installed: counts.installed, overdue, counts };
  });
}

export const MediaListFilter = z.object({
  wave: z.coerce.number().int().positive().optional().catch(undefined),
  step: z.enum(MEDIA_JOURNEY_STEPS).optional().catch(undefined),
  overdue: z
    .enum(["1", "true"])
    .optional()
    .catch(undefined)
    .transform((v) => v !== undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type MediaListFilter = z.output<typeof MediaListFilter>;

export type MediaListRow = {
  hostname: string;
  department: string | null;
  site: string;
  channel: string;
  wave: string;
  step: MediaJourneyStep;
  stepAt: Date | null;
  batch: string | null;
  reference: string | null;
  office: string | null;
  technician: string | null;
  overdue: boolean;
};

function filterSql(filter: MediaListFilter): SQL {
  const parts: SQL[] = [sql`true`];
  if (filter.wave) parts.push(sql`j.wave_id = ${filter.wave}`);
  if (filter.step) parts.push(sql`j.step = ${filter.step}`);
  if (filter.overdue) parts.push(sql`j.overdue`);
  if (filter.q) parts.push(sql`lower(v.hostname) like ${`%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  return sql.join(parts, sql` and `);
}

type RawListRow = Omit<MediaListRow, "stepAt"> & { step_at: Date | string | null };

const toListRow = (r: RawListRow): MediaListRow => ({
  hostname: r.hostname,
  department: r.department,
  site: r.site,
  channel: r.channel,
  wave: r.wave,
  step: r.step,
  stepAt: r.step_at === null ? null : new Date(r.step_at),
  batch: r.batch,
  reference: r.reference,
  office: r.office,
  technician: r.technician,
  overdue: Boolean(r.overdue),
});

export const MEDIA_PAGE_SIZE = 100;

/** One page (≤100) of the rollout's offline machines with their journey step, filtered by wave, step, overdue and hostname. */
export async function listMediaJourneys(actor: Actor | null, rolloutId: number, filter: MediaListFilter, now = new Date()): Promise<{ rows: MediaListRow[]; total: number }> {
  assertCan(actor, "rollout.read");
  const db = await getDb();
  const offset = (filter.page - 1) * MEDIA_PAGE_SIZE;
  const rows = await txRows<RawListRow & { total: number }>(
    db,
    sql`select x.*, count(*) over ()::int as total from (${journeyRows(rolloutId, now, filterSql(filter))}) x
        order by x.position, lower(x.hostname) limit ${MEDIA_PAGE_SIZE} offset ${offset}`,
  );
  return { rows: rows.map(toListRow), total: rows.length ? Number(rows[0].total) : 0 };
}

/** Every machine the filter selects (for the CSV export and the mailing list). */
export async function allMediaJourneys(actor: Actor | null, rolloutId: number, filter: MediaListFilter, now = new Date()): Promise<MediaListRow[]> {
  assertCan(actor, "rollout.read");
  const db = await getDb();
  const rows = await txRows<RawListRow>(db, sql`select x.* from (${journeyRows(rolloutId, now, filterSql(filter))}) x order by x.position, lower(x.hostname)`);
  return rows.map(toListRow);
}

export type DeviceMediaStep = {
  step: MediaStepValue;
  occurredAt: Date;
  batch: string | null;
  reference: string | null;
  office: string | null;
  technician: string | null;
  recordedBy: string;
  recordedAt: Date;
};

export type DeviceMediaJourney = {
  rolloutId: number;
  rollout: string;
  wave: string | null;
  step: MediaJourneyStep;
  installedAt: Date | null;
  overdue: boolean;
  overdueDays: number;
  steps: DeviceMediaStep[];
};

/** A machine's media journeys: one per rollout that has it in a wave on an offline channel or recorded a step for it. */
export async function deviceMediaJourneys(actor: Actor | null, hostname: string, now = new Date()): Promise<DeviceMediaJourney[]> {
  assertCan(actor, "device.read");
  const db = await getDb();
  const [device] = await txRows<{ id: number }>(db, sql`select id from devices where lower(hostname) = lower(${hostname})`);
  if (!device) return [];
  const deviceId = device.id;
  const [scopes, steps] = await Promise.all([
    txRows<{ rollout_id: number; rollout: string; wave: string | null; state: string | null; state_at: Date | string | null; overdue_days: number | null }>(
      db,
      sql`select r.id as rollout_id, r.name as rollout, w.name as wave, d.state::text as state, d.state_occurred_at as state_at, w.media_overdue_days as overdue_days
          from rollouts r
          left join deployments d on d.rollout_id = r.id and d.device_id = ${deviceId}
          left join waves w on w.id = d.wave_id
          where (d.wave_id is not null and d.channel in ${OFFLINE_CHANNELS})
             or exists (select 1 from media_steps m where m.rollout_id = r.id and m.device_id = ${deviceId})
          order by r.id desc`,
    ),
    db
      .select()
      .from(mediaSteps)
      .where(eq(mediaSteps.deviceId, deviceId))
      .orderBy(mediaSteps.occurredAt, mediaSteps.id),
  ]);
  return scopes.map((s) => {
    const mine = steps.filter((m) => m.rolloutId === s.rollout_id);
    const installed = s.state === "installed";
    const journey = journeyOf(mine.map((m) => ({ step: m.step, at: m.occurredAt, seq: m.id })), installed);
    const overdueDays = s.overdue_days ?? DEFAULT_OVERDUE_DAYS;
    return {
      rolloutId: s.rollout_id,
      rollout: s.rollout,
      wave: s.wave,
      step: journey.step,
      installedAt: installed && s.state_at ? new Date(s.state_at) : null,
      overdue: isOverdue(journey, overdueDays, now),
      overdueDays,
      steps: mine.map((m) => ({
        step: m.step,
        occurredAt: m.occurredAt,
        batch: m.batch,
        reference: m.reference,
        office: m.office,
        technician: m.technician,
        recordedBy: m.recordedByLabel,
        recordedAt: m.recordedAt,
      })),
    };
  });
}

const CSV_COLUMNS = ["hostname", "department", "site", "channel", "wave", "step", "stepDate", "batch", "reference", "office", "technician", "overdue"] as const;

/** The machines as CSV (the list's export; the mailing list is the same for step to_send). */
export function mediaCsv(rows: readonly MediaListRow[]): string {
  let text = csvLine(CSV_COLUMNS);
  for (const r of rows) {
    text += csvLine([r.hostname, r.department, r.site, r.channel, r.wave, r.step, r.stepAt?.toISOString().slice(0, 10), r.batch, r.reference, r.office, r.technician, r.overdue ? "yes" : "no"]);
  }
  return text;
}
