// Rollouts and their waves, the issues that block a wave, offline media and hold releases.
import { boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, updatedAt, ts } from "./columns";
import { builds, releaseDateChanges, updates } from "./catalog";
import { mediaStepEnum, rolloutStatusEnum, waveStatusEnum } from "./enums";
import { devices } from "./inventory";
import { knownIssues } from "./known-issues";
import { users } from "./people";

export const rollouts = pgTable(
  "rollouts",
  {
    id: serial().primaryKey(),
    updateId: integer()
      .notNull()
      .references(() => updates.id),
    buildId: integer()
      .notNull()
      .references(() => builds.id),
    name: text().notNull(),
    status: rolloutStatusEnum().notNull().default("draft"),
    /** In an active wave, a machine with no report for this many days is "silent" (neither success nor failure). */
    silentAfterDays: integer().notNull().default(7),
    cancelledAt: ts(),
    cancelReason: text(),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("rollouts_update_idx").on(t.updateId)],
);

/** Which devices a wave takes; empty lists mean "no restriction on this dimension". */
export type WaveTargeting = {
  siteIds?: number[];
  departmentIds?: number[];
  osNames?: string[];
  tags?: string[];
  hostnames?: string[];
  /** A percentage sample (1–100) of what the earlier waves left, e.g. 25 % of HQ. */
  samplePercent?: number;
};

export const waves = pgTable(
  "waves",
  {
    id: serial().primaryKey(),
    rolloutId: integer()
      .notNull()
      .references(() => rollouts.id, { onDelete: "cascade" }),
    position: integer().notNull(),
    name: text().notNull(),
    buildId: integer().references(() => builds.id),
    status: waveStatusEnum().notNull().default("planned"),
    targeting: jsonb().$type<WaveTargeting>().notNull().default({}),
    /** The planned start: a date, or (when startOffsetDays is set) the update's planned release date + that many days. */
    plannedStartAt: ts(),
    startOffsetDays: integer(),
    /** The deadline: a date, or (when deadlineOffsetDays is set) the planned release date + that many days. */
    deadlineAt: ts(),
    deadlineOffsetDays: integer(),
    /** Percent of the wave's applicable machines installed by the deadline. */
    complianceTargetPct: integer().notNull().default(95),
    /** Ramp: offer the update to at most this many new machines per day (null: no ramp). */
    maxDevicesPerDay: integer(),
    /** When wave.deadline_at_risk was last announced (once per risk, not on every recount). */
    deadlineRiskNotifiedAt: ts(),
    startedAt: ts(),
    completedAt: ts(),
    haltedAt: ts(),
    haltReason: text(),
    /** When the health gate was first met (enough attempted, success and failure within limits); the soak starts here. */
    gatePassedAt: ts(),
    gateMinSuccessPct: integer().notNull().default(95),
    gateMaxFailurePct: integer().notNull().default(5),
    gateMinAttempted: integer().notNull().default(10),
    /** What a breach does: halt the wave (default), pause it, or only alert. */
    gateAction: text({ enum: ["halt", "pause", "alert"] }).notNull().default("halt"),
    /** A rollback maximum separate from the failure maximum (null: rollbacks count only as failures). */
    gateMaxRollbackPct: integer(),
    /** Regression signal: on when set; decides only once the wave has at least this many helpdesk reports. */
    regressionMinReports: integer(),
    /** Breach when reports per 100 updated machines exceed this many times those per 100 not yet updated. */
    regressionMaxRatio: doublePrecision().notNull().default(2),
    /** When an alert-only gate last reported a breach (so it alerts once per breach). */
    gateAlertedAt: ts(),
    /** Readiness rule: the wave may not start while more than this % of its machines carry untested apps (null: no rule). */
    readinessMaxUntestedPct: integer(),
    autoStart: boolean().notNull().default(false),
    soakDays: integer().notNull().default(0),
    /** A machine whose disc was posted or whose office appointment was this many days ago, and not installed since, is overdue. */
    mediaOverdueDays: integer().notNull().default(14),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("waves_rollout_position_idx").on(t.rolloutId, t.position)],
);

/** A wave date moved by a recorded slip of the release date ("moved 31 days by the slip of 2004-07-02"). */
export const waveDateMoves = pgTable(
  "wave_date_moves",
  {
    id: serial().primaryKey(),
    waveId: integer()
      .notNull()
      .references(() => waves.id, { onDelete: "cascade" }),
    releaseDateChangeId: integer().references(() => releaseDateChanges.id, { onDelete: "set null" }),
    field: text({ enum: ["planned_start", "deadline"] }).notNull(),
    fromAt: ts(),
    toAt: ts(),
    days: integer().notNull(),
    recordedAt: createdAt(),
  },
  (t) => [index("wave_date_moves_wave_idx").on(t.waveId, t.recordedAt)],
);

export const waveBlockingIssues = pgTable(
  "wave_blocking_issues",
  {
    waveId: integer()
      .notNull()
      .references(() => waves.id, { onDelete: "cascade" }),
    knownIssueId: integer()
      .notNull()
      .references(() => knownIssues.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.waveId, t.knownIssueId] })],
);

/**
 * The media journey of a machine on the offline_media or technician channel in a rollout, one row per
 * recorded step (history kept): posted (batch, tracking reference), received, appointment (office,
 * technician), returned, lost. `to_send` (no step yet) and `installed` (its deployment) are derived.
 */
export const mediaSteps = pgTable(
  "media_steps",
  {
    id: serial().primaryKey(),
    rolloutId: integer()
      .notNull()
      .references(() => rollouts.id, { onDelete: "cascade" }),
    deviceId: integer()
      .notNull()
      .references(() => devices.id, { onDelete: "cascade" }),
    step: mediaStepEnum().notNull(),
    /** When it happened (posted on, received on, the appointment's day). */
    occurredAt: ts().notNull(),
    batch: text(),
    reference: text(),
    office: text(),
    technician: text(),
    recordedBy: integer().references(() => users.id, { onDelete: "set null" }),
    recordedByLabel: text().notNull(),
    recordedAt: createdAt(),
  },
  (t) => [index("media_steps_rollout_device_idx").on(t.rolloutId, t.deviceId, t.occurredAt)],
);

/** An editor released one device from a known issue's safeguard hold (with a reason); it stays released. */
export const safeguardHoldReleases = pgTable(
  "safeguard_hold_releases",
  {
    id: serial().primaryKey(),
    knownIssueId: integer()
      .notNull()
      .references(() => knownIssues.id, { onDelete: "cascade" }),
    deviceId: integer()
      .notNull()
      .references(() => devices.id, { onDelete: "cascade" }),
    reason: text().notNull(),
    releasedBy: integer().references(() => users.id, { onDelete: "set null" }),
    releasedByLabel: text().notNull(),
    releasedAt: ts().notNull().defaultNow(),
  },
  (t) => [uniqueIndex("safeguard_hold_releases_issue_device_idx").on(t.knownIssueId, t.deviceId)],
);

export type Rollout = typeof rollouts.$inferSelect;
export type Wave = typeof waves.$inferSelect;
export type WaveDateMove = typeof waveDateMoves.$inferSelect;
