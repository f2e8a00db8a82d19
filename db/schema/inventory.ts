// The inventory: sites, departments, devices and the apps installed on them.
import { sql } from "drizzle-orm";
import { index, integer, pgTable, primaryKey, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, updatedAt, ts } from "./columns";
import { channelEnum, siteKindEnum } from "./enums";

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

export type Site = typeof sites.$inferSelect;
export type Device = typeof devices.$inferSelect;
export type NewDevice = typeof devices.$inferInsert;
