// The whole Rollcall domain (../shared/PRODUCT.md, "Domain"), one file per section in db/schema/.
// Keys are camelCase, columns snake_case (drizzle `casing: "snake_case"` in drizzle.config.ts and
// db/client.ts). drizzle-kit reads the tables through this file.
export * from "./schema/enums";
export * from "./schema/catalog";
export * from "./schema/inventory";
export * from "./schema/rollouts";
export * from "./schema/deployments";
export * from "./schema/summaries";
export * from "./schema/known-issues";
export * from "./schema/people";
export * from "./schema/outbox";
export * from "./schema/notifications";
export * from "./schema/readiness";
