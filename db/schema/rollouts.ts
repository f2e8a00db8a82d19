// Rollouts and their waves, the issues that block a wave, offline media and hold releases.
import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, updatedAt, ts } from "./columns";
import { builds, updates } from "./catalog";
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
    plannedStartAt: ts(),
    startedAt: ts(),
    completedAt: ts(),
    haltedAt: ts(),
    haltReason: text(),
    /** When the health gate was first met (enough attempted, success and failure within limits); the soak starts here. */
    gatePassedAt: ts(),
    gateMinSuccessPct: integer().notNull().default(95),
    gateMaxFailurePct: integer().notNull().default(5),
    gateMinAttempted: integer().notNull().default(10),
    autoStart: boolean().notNull().default(false),
    soakDays: integer().notNull().default(0),
    /** A machine whose disc was posted or whose office appointment was this many days ago, and not installed since, is overdue. */
    mediaOverdueDays: integer().notNull().default(14),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("waves_rollout_position_idx").on(t.rolloutId, t.position)],
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
