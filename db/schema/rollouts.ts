// Rollouts and their waves, the issues that block a wave, offline media and hold releases.
import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, updatedAt, ts } from "./columns";
import { builds, updates } from "./catalog";
import { rolloutStatusEnum, waveStatusEnum } from "./enums";
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

/** Offline media (CD-ROMs posted to home workers, or handed to a technician). */
export const mediaShipments = pgTable(
  "media_shipments",
  {
    id: serial().primaryKey(),
    waveId: integer()
      .notNull()
      .references(() => waves.id, { onDelete: "cascade" }),
    batch: text().notNull(),
    shippedAt: ts().notNull(),
    deviceCount: integer().notNull(),
    note: text().notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("media_shipments_wave_idx").on(t.waveId)],
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
