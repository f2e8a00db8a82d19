// The demo scenario's data and planners; lib/seed/demo.ts writes them into a database.
export * from "./scenario";
export * from "./catalog";
export * from "./inventory";
export * from "./deployments";
export * from "./media";
