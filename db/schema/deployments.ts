// Deployments (one per device and update), the status events behind them, and ingest idempotency keys.
import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, updatedAt, ts } from "./columns";
import { builds, updates } from "./catalog";
import { alertEnum, channelEnum, deploymentStateEnum } from "./enums";
import { devices } from "./inventory";
import { knownIssues } from "./known-issues";
import { rollouts, waves } from "./rollouts";

/** The (device, update) a row is about; it goes with either. */
const deviceAndUpdate = () => ({
  deviceId: integer()
    .notNull()
    .references(() => devices.id, { onDelete: "cascade" }),
  updateId: integer()
    .notNull()
    .references(() => updates.id, { onDelete: "cascade" }),
});

/** Current state of one (device, update): the reported event with the latest occurredAt (ties: event id). */
export const deployments = pgTable(
  "deployments",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    ...deviceAndUpdate(),
    rolloutId: integer().references(() => rollouts.id, { onDelete: "set null" }),
    waveId: integer().references(() => waves.id, { onDelete: "set null" }),
    state: deploymentStateEnum().notNull().default("pending"),
    /** The build installed or being installed (RC1, RC2, Final…); null: not known yet. */
    buildId: integer().references(() => builds.id, { onDelete: "set null" }),
    /** Ramp order in its wave (stable: the same machines first every time, spread over sites); null: last. */
    rampPosition: integer(),
    errorCode: text(),
    alert: alertEnum(),
    message: text(),
    attempts: integer().notNull().default(0),
    channel: channelEnum().notNull().default("network"),
    heldByIssueId: integer().references(() => knownIssues.id, { onDelete: "set null" }),
    /** occurredAt and event key of the event that set the current state: the last-writer-wins order. */
    stateOccurredAt: ts(),
    stateEventKey: text(),
    lastReportedAt: ts(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("deployments_device_update_idx").on(t.deviceId, t.updateId),
    // With the state time last, the deadline forecast counts a wave's installs of the last 7 days from the index
    // alone (lib/rollouts/calendar.ts installsInWindow) instead of scanning the deployments (issue #20, ceiling).
    index("deployments_wave_state_idx").on(t.waveId, t.state, t.stateOccurredAt),
    // The rollout page's offline-media status (shipped / installed / overdue) reads only these rows.
    index("deployments_offline_wave_idx").on(t.waveId, t.state).where(sql`${t.channel} in ('offline_media', 'technician')`),
    // Silent machines per wave (lib/rollouts/silent.ts): only the rows that can be silent, by last report, counted from the index.
    index("deployments_silent_idx")
      .on(t.waveId, t.lastReportedAt)
      .where(sql`${t.channel} = 'network' and ${t.state} in ('pending', 'scheduled', 'deferred', 'downloading', 'installing', 'reboot_required')`),
    index("deployments_update_state_idx").on(t.updateId, t.state),
    index("deployments_rollout_idx").on(t.rolloutId),
    // Partial: most rows have no error code, and an index entry per state change is what ingest pays for.
    index("deployments_error_code_idx").on(t.errorCode).where(sql`${t.errorCode} is not null`),
  ],
);

/** Append-only: every report ever received, applied or not. */
export const statusEvents = pgTable(
  "status_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    ...deviceAndUpdate(),
    state: deploymentStateEnum().notNull(),
    /** The build the report is about (no foreign key: the history is append-only and ingest stays cheap). */
    buildId: integer(),
    occurredAt: ts().notNull(),
    receivedAt: ts().notNull().defaultNow(),
    errorCode: text(),
    alert: alertEnum(),
    message: text(),
    /** Who reported it: `token:<id>`, `user:<id>`, `csv`, `seed`; event ids are unique per source. */
    source: text().notNull(),
    eventId: text(),
  },
  (t) => [
    uniqueIndex("status_events_source_event_idx").on(t.source, t.eventId),
    index("status_events_device_update_idx").on(t.deviceId, t.updateId, t.occurredAt),
    index("status_events_error_code_idx").on(t.errorCode).where(sql`${t.errorCode} is not null`),
  ],
);

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    key: text().notNull(),
    /** The caller the key belongs to (`token:<id>` or `user:<id>`). */
    scope: text().notNull(),
    requestHash: text().notNull(),
    /** `partial`: a batch committed in parts (the embedded database) is part of the way through. */
    status: text({ enum: ["running", "partial", "done"] }).notNull(),
    /** While `partial`: the last request index whose part has committed; a retry resumes after it. */
    committedThrough: integer(),
    responseStatus: integer(),
    responseBody: jsonb(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);

export type Deployment = typeof deployments.$inferSelect;
export type StatusEvent = typeof statusEvents.$inferSelect;
