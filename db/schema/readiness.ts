// The readiness matrix of an update: business apps (by version range) × builds, what the pilot proved.
// Append-only: every change is a new row, the newest per (update, app, version range, build) is the cell.
import { index, integer, pgTable, serial, text } from "drizzle-orm/pg-core";
import { ts } from "./columns";
import { builds, updates } from "./catalog";
import { readinessStatusEnum } from "./enums";
import { apps } from "./inventory";
import { knownIssues } from "./known-issues";
import { users } from "./people";

export const readinessEntries = pgTable(
  "readiness_entries",
  {
    id: serial().primaryKey(),
    updateId: integer()
      .notNull()
      .references(() => updates.id, { onDelete: "cascade" }),
    appId: integer()
      .notNull()
      .references(() => apps.id, { onDelete: "cascade" }),
    /** The app versions the cell is about (the known-issue syntax, e.g. `>=1.2 <1.3`); empty = every version. */
    versionRange: text().notNull().default(""),
    buildId: integer()
      .notNull()
      .references(() => builds.id, { onDelete: "cascade" }),
    status: readinessStatusEnum().notNull(),
    note: text().notNull().default(""),
    /** `broken` names the known issue; `works_with_workaround` should. */
    knownIssueId: integer().references(() => knownIssues.id, { onDelete: "set null" }),
    setBy: integer().references(() => users.id, { onDelete: "set null" }),
    setByLabel: text().notNull(),
    setAt: ts().notNull().defaultNow(),
  },
  (t) => [index("readiness_entries_cell_idx").on(t.updateId, t.appId, t.versionRange, t.buildId, t.setAt)],
);

export type ReadinessEntry = typeof readinessEntries.$inferSelect;
