// The catalog: updates, their builds and the history of their planned release date.
import { sql } from "drizzle-orm";
import { bigint, date, index, integer, pgTable, primaryKey, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, updatedAt, ts } from "./columns";
import { buildKindEnum, updateKindEnum } from "./enums";

export const updates = pgTable(
  "updates",
  {
    id: serial().primaryKey(),
    slug: text().notNull(),
    title: text().notNull(),
    vendor: text().notNull(),
    product: text().notNull(),
    kind: updateKindEnum().notNull(),
    kb: text(),
    sizeBytes: bigint({ mode: "number" }).notNull().default(0),
    description: text().notNull().default(""),
    vendorStatus: text().notNull().default(""),
    plannedReleaseDate: date({ mode: "string" }),
    /** OS names the update applies to (case-insensitive, e.g. ["Windows XP"]); empty = every OS. */
    applicableOsNames: text().array().notNull().default(sql`'{}'::text[]`),
    /** Emergency pause: while set, no wave of the update offers it (eligibility `update_paused`). */
    pausedAt: ts(),
    pauseReason: text(),
    /** Resumes by itself at this time when set. */
    pausedUntil: ts(),
    pausedByLabel: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("updates_slug_idx").on(t.slug), index("updates_kb_idx").on(t.kb)],
);

export const builds = pgTable(
  "builds",
  {
    id: serial().primaryKey(),
    updateId: integer()
      .notNull()
      .references(() => updates.id, { onDelete: "cascade" }),
    name: text().notNull(),
    version: text().notNull(),
    kind: buildKindEnum().notNull(),
    releasedAt: ts(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("builds_update_name_idx").on(t.updateId, t.name)],
);

/** Each slip of an update's planned release date is a dated entry; the page draws them as a timeline. */
export const releaseDateChanges = pgTable(
  "release_date_changes",
  {
    id: serial().primaryKey(),
    updateId: integer()
      .notNull()
      .references(() => updates.id, { onDelete: "cascade" }),
    recordedAt: ts().notNull().defaultNow(),
    plannedDate: date({ mode: "string" }).notNull(),
    note: text().notNull().default(""),
    /** Who recorded it (null for history imported or seeded). */
    recordedByLabel: text(),
  },
  (t) => [index("release_date_changes_update_idx").on(t.updateId, t.recordedAt)],
);

export type Update = typeof updates.$inferSelect;
export type NewUpdate = typeof updates.$inferInsert;
export type Build = typeof builds.$inferSelect;
