// Status events for the ingest benchmarks: uniform random devices and updates of a seeded fleet,
// and the raw-SQL floor that stores the same rows with two bare set-based statements.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { createRng } from "@/db/seed/rng";

/** The fleet the events are about, read from the database. */
export async function loadFleet(db: Db): Promise<Fleet> {
  const devices = await queryRows<{ id: number; hostname: string }>(db, sql`select id, hostname from devices order by id`);
  const updates = await queryRows<{ id: number; slug: string }>(db, sql`select id, slug from updates order by id`);
  return { hostnames: devices.map((d) => d.hostname), deviceIds: devices.map((d) => d.id), slugs: updates.map((u) => u.slug), updateIds: updates.map((u) => u.id) };
}

const STATES = ["downloading", "installing", "reboot_required", "installed", "installed", "installed", "failed", "rolled_back"] as const;
export type Fleet = { hostnames: string[]; deviceIds: number[]; slugs: string[]; updateIds: number[] };

/** Event batches: uniform random devices and updates, a clock moving forward (most events apply), unique ids. */
export function makeGenerator(fleet: Fleet, label: string) {
  let clock = Date.now() - 6 * 3_600_000;
  let seq = 0;
  const rng = createRng(0x9e3779b9 ^ label.length);
  return (size: number) =>
    Array.from({ length: size }, () => {
      const d = rng.int(0, fleet.hostnames.length - 1);
      const u = rng.int(0, fleet.slugs.length - 1);
      const state = rng.pick(STATES);
      clock += 7;
      seq++;
      return {
        wire: {
          device: fleet.hostnames[d],
          update: fleet.slugs[u],
          state,
          occurredAt: new Date(clock).toISOString(),
          eventId: `${label}-${seq}`,
          ...(state === "failed" ? { errorCode: "0x80070070", alert: "disk_full" } : {}),
        },
        deviceId: fleet.deviceIds[d],
        updateId: fleet.updateIds[u],
      };
    });
}

export type Generated = ReturnType<ReturnType<typeof makeGenerator>>;

/** The floor: bare set-based SQL for the same rows (history insert + last-writer-wins upsert). */
export async function rawBatch(db: Db, batch: Generated): Promise<void> {
  const w = batch.map((b) => b.wire);
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into status_events (device_id, update_id, state, occurred_at, error_code, source, event_id)
      select * from unnest(${sql.param(batch.map((b) => b.deviceId))}::int[], ${sql.param(batch.map((b) => b.updateId))}::int[],
                           ${sql.param(w.map((e) => e.state))}::text[]::deployment_state[], ${sql.param(w.map((e) => e.occurredAt))}::timestamptz[],
                           ${sql.param(w.map((e) => e.errorCode ?? null))}::text[], ${sql.param(w.map(() => "raw"))}::text[],
                           ${sql.param(w.map((e) => e.eventId))}::text[])`);
    await tx.execute(sql`
      insert into deployments as d (device_id, update_id, state, state_occurred_at, state_event_key)
      select distinct on (device_id, update_id) device_id, update_id, state::deployment_state, occurred_at, event_id
      from unnest(${sql.param(batch.map((b) => b.deviceId))}::int[], ${sql.param(batch.map((b) => b.updateId))}::int[],
                  ${sql.param(w.map((e) => e.state))}::text[], ${sql.param(w.map((e) => e.occurredAt))}::timestamptz[],
                  ${sql.param(w.map((e) => e.eventId))}::text[]) as t(device_id, update_id, state, occurred_at, event_id)
      order by device_id, update_id, occurred_at desc
      on conflict (device_id, update_id) do update set state = excluded.state, state_occurred_at = excluded.state_occurred_at,
        state_event_key = excluded.state_event_key
      where d.state_occurred_at is null or excluded.state_occurred_at > d.state_occurred_at`);
  });
}

