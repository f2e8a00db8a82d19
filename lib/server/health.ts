// What GET /api/health reports: whether the database answers, and which kind it is.
export { pingDatabase as databaseHealth } from "@/db/client";
