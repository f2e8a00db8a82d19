// Summary tables, kept in the deployments' transaction so the dashboards never disagree with them.
import { date, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { deploymentStateEnum } from "./enums";

/** Deployment counts per (update, rollout, wave, site, OS, department, state, build); always equal to a GROUP BY over deployments. */
export const deploymentCounts = pgTable(
  "deployment_counts",
  {
    updateId: integer().notNull(),
    rolloutId: integer().notNull().default(0),
    waveId: integer().notNull().default(0),
    siteId: integer().notNull(),
    osName: text().notNull(),
    /** 0 = the device has no department (as rollout 0 / wave 0 mean none). */
    departmentId: integer().notNull().default(0),
    state: deploymentStateEnum().notNull(),
    /** 0 = no build known (the deployment's buildId is null). */
    buildId: integer().notNull().default(0),
    count: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.updateId, t.rolloutId, t.waveId, t.siteId, t.osName, t.departmentId, t.state, t.buildId] }),
    index("deployment_counts_rollout_idx").on(t.rolloutId, t.waveId),
  ],
);

/**
 * Per wave, deployments per (error code | alert | delivery channel, state): the rollout page's top
 * error codes, alerts and offline-media counts. Always equal to a GROUP BY over the deployments of
 * waves; `message` is one message reported with an error code (kept from the first report).
 */
export const waveSignalCounts = pgTable(
  "wave_signal_counts",
  {
    waveId: integer().notNull(),
    signal: text({ enum: ["error_code", "alert", "channel"] }).notNull(),
    value: text().notNull(),
    state: deploymentStateEnum().notNull(),
    count: integer().notNull().default(0),
    message: text(),
  },
  (t) => [primaryKey({ columns: [t.waveId, t.signal, t.value, t.state] })],
);

/** Installs per update, build and day (by the day the installed state occurred); the cumulative sum is the adoption curve. */
export const adoptionDaily = pgTable(
  "adoption_daily",
  {
    updateId: integer().notNull(),
    day: date({ mode: "string" }).notNull(),
    /** 0 = no build known. */
    buildId: integer().notNull().default(0),
    installed: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.updateId, t.day, t.buildId] })],
);
