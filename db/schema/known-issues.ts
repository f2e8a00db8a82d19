// Known issues with their affected apps, fix links, history and helpdesk reports.
import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, primaryKey, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, updatedAt, ts } from "./columns";
import { builds, updates } from "./catalog";
import { fixLinkTypeEnum, knownIssueStatusEnum, severityEnum } from "./enums";
import { apps, devices } from "./inventory";
import { users } from "./people";

export const knownIssues = pgTable(
  "known_issues",
  {
    id: serial().primaryKey(),
    advisoryId: text().notNull(),
    title: text().notNull(),
    updateId: integer()
      .notNull()
      .references(() => updates.id),
    buildId: integer().references(() => builds.id),
    originKb: text(),
    resolvingUpdateId: integer().references(() => updates.id),
    resolvingKb: text(),
    status: knownIssueStatusEnum().notNull().default("reported"),
    severity: severityEnum().notNull().default("medium"),
    affectedPlatforms: text().array().notNull().default(sql`'{}'::text[]`),
    symptoms: text().notNull().default(""),
    workaround: text().notNull().default(""),
    resolution: text().notNull().default(""),
    safeguardHold: boolean().notNull().default(false),
    safeguardHoldId: text(),
    /** A confirmed blocking issue halts the waves of its update. */
    blocking: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    resolvedAt: ts(),
  },
  (t) => [
    uniqueIndex("known_issues_advisory_idx").on(t.advisoryId),
    index("known_issues_update_idx").on(t.updateId, t.status),
    index("known_issues_title_trgm_idx").using("gin", sql`lower(${t.title}) gin_trgm_ops`),
    index("known_issues_fts_idx").using(
      "gin",
      sql`to_tsvector('english', ${t.title} || ' ' || ${t.symptoms})`,
    ),
  ],
);

export const knownIssueApps = pgTable(
  "known_issue_apps",
  {
    id: serial().primaryKey(),
    knownIssueId: integer()
      .notNull()
      .references(() => knownIssues.id, { onDelete: "cascade" }),
    appId: integer().references(() => apps.id, { onDelete: "set null" }),
    appName: text().notNull(),
    /** e.g. "1.2", ">=1.0 <1.3", "*" */
    versionRange: text().notNull().default("*"),
  },
  (t) => [index("known_issue_apps_issue_idx").on(t.knownIssueId), index("known_issue_apps_app_idx").on(t.appId)],
);

export const knownIssueFixLinks = pgTable(
  "known_issue_fix_links",
  {
    id: serial().primaryKey(),
    knownIssueId: integer()
      .notNull()
      .references(() => knownIssues.id, { onDelete: "cascade" }),
    vendor: text().notNull(),
    title: text().notNull(),
    url: text().notNull(),
    type: fixLinkTypeEnum().notNull(),
    publishedAt: ts(),
  },
  (t) => [index("known_issue_fix_links_issue_idx").on(t.knownIssueId)],
);

export const knownIssueHistory = pgTable(
  "known_issue_history",
  {
    id: serial().primaryKey(),
    knownIssueId: integer()
      .notNull()
      .references(() => knownIssues.id, { onDelete: "cascade" }),
    at: ts().notNull().defaultNow(),
    actorUserId: integer().references(() => users.id, { onDelete: "set null" }),
    actorLabel: text().notNull(),
    field: text().notNull(),
    fromValue: text(),
    toValue: text(),
    note: text().notNull().default(""),
  },
  (t) => [index("known_issue_history_issue_idx").on(t.knownIssueId, t.at)],
);

export const helpdeskReports = pgTable(
  "helpdesk_reports",
  {
    id: serial().primaryKey(),
    knownIssueId: integer()
      .notNull()
      .references(() => knownIssues.id, { onDelete: "cascade" }),
    deviceId: integer().references(() => devices.id, { onDelete: "set null" }),
    ticketRef: text().notNull(),
    note: text().notNull().default(""),
    reportedBy: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("helpdesk_reports_issue_idx").on(t.knownIssueId), index("helpdesk_reports_device_idx").on(t.deviceId)],
);

export type KnownIssue = typeof knownIssues.$inferSelect;
