// The whole Rollcall domain (../shared/PRODUCT.md, "Domain"). Keys are camelCase, columns
// snake_case (drizzle `casing: "snake_case"` in drizzle.config.ts and db/client.ts).
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { DEPLOYMENT_ALERTS, DEPLOYMENT_STATES } from "./enums";

const ts = (name?: string) =>
  name ? timestamp(name, { withTimezone: true, mode: "date" }) : timestamp({ withTimezone: true, mode: "date" });
const createdAt = () => ts().notNull().defaultNow();
/** Set by drizzle on every update of the row, so no write has to remember it. */
const updatedAt = () => ts().notNull().defaultNow().$onUpdate(() => new Date());

// ---------------------------------------------------------------- enums

export const roleEnum = pgEnum("role", ["viewer", "helpdesk", "editor", "admin"]);
export const updateKindEnum = pgEnum("update_kind", ["service_pack", "security", "feature", "driver", "application"]);
export const buildKindEnum = pgEnum("build_kind", ["rc", "final"]);
export const siteKindEnum = pgEnum("site_kind", ["hq", "branch", "home"]);
export const channelEnum = pgEnum("delivery_channel", ["network", "offline_media", "technician"]);
export const rolloutStatusEnum = pgEnum("rollout_status", ["draft", "active", "completed", "cancelled"]);
export const waveStatusEnum = pgEnum("wave_status", ["planned", "active", "paused", "halted", "completed"]);
export const deploymentStateEnum = pgEnum("deployment_state", DEPLOYMENT_STATES);
export const alertEnum = pgEnum("deployment_alert", DEPLOYMENT_ALERTS);
export const knownIssueStatusEnum = pgEnum("known_issue_status", [
  "reported",
  "investigating",
  "confirmed",
  "mitigated",
  "mitigated_external",
  "resolved",
  "resolved_external",
]);
export const severityEnum = pgEnum("severity", ["low", "medium", "high", "critical"]);
export const fixLinkTypeEnum = pgEnum("fix_link_type", ["patch", "kb", "advisory", "download"]);

// ---------------------------------------------------------------- catalog: updates and builds

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
  },
  (t) => [index("release_date_changes_update_idx").on(t.updateId, t.recordedAt)],
);

// ---------------------------------------------------------------- inventory

export const sites = pgTable(
  "sites",
  {
    id: serial().primaryKey(),
    name: text().notNull(),
    kind: siteKindEnum().notNull(),
    /** WAN link bandwidth in kbit/s; null when unknown (home workers). */
    linkKbps: integer(),
    distributionPoint: text(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("sites_name_lower_idx").on(sql`lower(${t.name})`)],
);

export const departments = pgTable(
  "departments",
  {
    id: serial().primaryKey(),
    name: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("departments_name_lower_idx").on(sql`lower(${t.name})`)],
);

export const devices = pgTable(
  "devices",
  {
    id: serial().primaryKey(),
    hostname: text().notNull(),
    osName: text().notNull(),
    osVersion: text().notNull().default(""),
    siteId: integer()
      .notNull()
      .references(() => sites.id),
    departmentId: integer().references(() => departments.id),
    channel: channelEnum().notNull().default("network"),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    lastSeenAt: ts(),
    lastReportedAt: ts(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("devices_hostname_lower_idx").on(sql`lower(${t.hostname})`),
    index("devices_hostname_trgm_idx").using("gin", sql`lower(${t.hostname}) gin_trgm_ops`),
    // One-box search (lib/search/devices.ts): hostname prefixes in byte order with LIMIT, whatever
    // the database collation. Typos go through the GIN index above: a trigram GiST index answers
    // them by walking all of itself once a fleet shares long prefixes, and the planner preferred it.
    index("devices_hostname_c_idx").on(sql`(lower(${t.hostname}) collate "C")`),
    index("devices_site_idx").on(t.siteId),
    index("devices_department_idx").on(t.departmentId),
    index("devices_os_idx").on(t.osName, t.osVersion),
    index("devices_tags_idx").using("gin", t.tags),
  ],
);

export const apps = pgTable(
  "apps",
  {
    id: serial().primaryKey(),
    name: text().notNull(),
    vendor: text().notNull().default(""),
  },
  (t) => [
    uniqueIndex("apps_name_lower_idx").on(sql`lower(${t.name})`),
    index("apps_name_trgm_idx").using("gin", sql`lower(${t.name}) gin_trgm_ops`),
  ],
);

export const deviceApps = pgTable(
  "device_apps",
  {
    deviceId: integer()
      .notNull()
      .references(() => devices.id, { onDelete: "cascade" }),
    appId: integer()
      .notNull()
      .references(() => apps.id, { onDelete: "cascade" }),
    version: text().notNull().default(""),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.appId] }), index("device_apps_app_idx").on(t.appId, t.version)],
);

// ---------------------------------------------------------------- rollouts and waves

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

// ---------------------------------------------------------------- deployments and status events

/** Current state of one (device, update): the reported event with the latest occurredAt (ties: event id). */
export const deployments = pgTable(
  "deployments",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    deviceId: integer()
      .notNull()
      .references(() => devices.id, { onDelete: "cascade" }),
    updateId: integer()
      .notNull()
      .references(() => updates.id, { onDelete: "cascade" }),
    rolloutId: integer().references(() => rollouts.id, { onDelete: "set null" }),
    waveId: integer().references(() => waves.id, { onDelete: "set null" }),
    state: deploymentStateEnum().notNull().default("pending"),
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
    index("deployments_wave_state_idx").on(t.waveId, t.state),
    // The rollout page's offline-media status (shipped / installed / overdue) reads only these rows.
    index("deployments_offline_wave_idx").on(t.waveId, t.state).where(sql`${t.channel} in ('offline_media', 'technician')`),
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
    deviceId: integer()
      .notNull()
      .references(() => devices.id, { onDelete: "cascade" }),
    updateId: integer()
      .notNull()
      .references(() => updates.id, { onDelete: "cascade" }),
    state: deploymentStateEnum().notNull(),
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
    status: text({ enum: ["running", "done"] }).notNull(),
    responseStatus: integer(),
    responseBody: jsonb(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);

// ---------------------------------------------------------------- summary tables (kept in the deployments' transaction)

/** Deployment counts per (update, rollout, wave, site, OS, department, state); always equal to a GROUP BY over deployments. */
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
    count: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.updateId, t.rolloutId, t.waveId, t.siteId, t.osName, t.departmentId, t.state] }),
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

/** Installs per update per day (by the day the installed state occurred); the cumulative sum is the adoption curve. */
export const adoptionDaily = pgTable(
  "adoption_daily",
  {
    updateId: integer().notNull(),
    day: date({ mode: "string" }).notNull(),
    installed: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.updateId, t.day] })],
);

// ---------------------------------------------------------------- known issues

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

// ---------------------------------------------------------------- people, tokens, audit

export const users = pgTable(
  "users",
  {
    id: serial().primaryKey(),
    email: text().notNull(),
    name: text().notNull().default(""),
    role: roleEnum().notNull().default("viewer"),
    disabled: boolean().notNull().default(false),
    passwordHash: text(),
    /** `issuer|subject` for single sign-on users. */
    externalId: text(),
    /** Bumped on disable, role change and password reset: older sessions stop working. */
    sessionVersion: integer().notNull().default(1),
    lastLoginAt: ts(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_lower_idx").on(sql`lower(${t.email})`),
    uniqueIndex("users_external_idx").on(t.externalId),
  ],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: serial().primaryKey(),
    name: text().notNull(),
    scopes: text().array().notNull(),
    /** Deleting the owner deletes their tokens: a token never outlives the person who answers for it. */
    ownerId: integer().references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 (hex) of the token; the token itself is never stored. */
    tokenHash: text().notNull(),
    /** The first characters, to recognise a token in lists. */
    prefix: text().notNull(),
    createdAt: createdAt(),
    lastUsedAt: ts(),
    expiresAt: ts(),
    revokedAt: ts(),
  },
  (t) => [uniqueIndex("api_tokens_hash_idx").on(t.tokenHash)],
);

export const auditEntries = pgTable(
  "audit_entries",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    at: ts().notNull().defaultNow(),
    actorUserId: integer().references(() => users.id, { onDelete: "set null" }),
    actorTokenId: integer().references(() => apiTokens.id, { onDelete: "set null" }),
    actorLabel: text().notNull(),
    action: text().notNull(),
    targetType: text().notNull(),
    targetId: text(),
    before: jsonb(),
    after: jsonb(),
    ip: text(),
  },
  (t) => [
    index("audit_entries_at_idx").on(t.at),
    index("audit_entries_actor_idx").on(t.actorUserId, t.at),
    index("audit_entries_action_idx").on(t.action, t.at),
    index("audit_entries_target_idx").on(t.targetType, t.targetId),
  ],
);

export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    email: text().notNull(),
    ip: text().notNull(),
    success: boolean().notNull(),
    at: ts().notNull().defaultNow(),
  },
  (t) => [index("login_attempts_email_idx").on(t.email, t.at), index("login_attempts_ip_idx").on(t.ip, t.at)],
);

export type Update = typeof updates.$inferSelect;
export type NewUpdate = typeof updates.$inferInsert;
export type Build = typeof builds.$inferSelect;
export type Site = typeof sites.$inferSelect;
export type Device = typeof devices.$inferSelect;
export type NewDevice = typeof devices.$inferInsert;
export type Rollout = typeof rollouts.$inferSelect;
export type Wave = typeof waves.$inferSelect;
export type Deployment = typeof deployments.$inferSelect;
export type StatusEvent = typeof statusEvents.$inferSelect;
export type KnownIssue = typeof knownIssues.$inferSelect;
export type User = typeof users.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type AuditEntry = typeof auditEntries.$inferSelect;
export type Role = (typeof roleEnum.enumValues)[number];
export type DeploymentState = (typeof deploymentStateEnum.enumValues)[number];
export type WaveStatus = (typeof waveStatusEnum.enumValues)[number];
export type KnownIssueStatus = (typeof knownIssueStatusEnum.enumValues)[number];
