// What GET /api/health reports: whether the database answers, which kind it is, and the read replica's state.
export { pingDatabase as databaseHealth } from "@/db/client";
export { replicaHealth } from "@/lib/server/replica-reads";
