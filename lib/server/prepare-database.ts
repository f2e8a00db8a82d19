// What `npm start` does to the database before serving: migrate; on an empty embedded database
// seed the demo and save its logins; on an empty PostgreSQL say how to create the first admin.
import fs from "node:fs";
import path from "node:path";
import { assertReachable, openDatabase } from "@/db/client";
import type { DbConfig } from "@/db/config";
import { liveLockHolder } from "@/db/lock";
import { migrateDatabase, migrationsFingerprint } from "@/db/migrate";
import { isDatabaseEmpty, seedDemo, writeDemoLogins } from "@/lib/seed/demo";

export type PrepareResult = { seeded: boolean; advice: string | null };

// An embedded database this build already migrated (and seeded) is not opened here a second time:
// opening PGlite costs seconds (more after a crash, when it recovers), and the server opens it
// right after. The marker beside it records the migrations it was prepared with.
const MARKER = "pglite.prepared";

function alreadyPrepared(config: Extract<DbConfig, { kind: "pglite" }>, dataDir: string): boolean {
  if (!fs.existsSync(path.join(config.dataDir, "PG_VERSION"))) return false;
  // A running server holds it: take the normal path, which says so plainly.
  if (liveLockHolder(config.dataDir)) return false;
  try {
    return fs.readFileSync(path.join(dataDir, MARKER), "utf8").trim() === `${config.dataDir} ${migrationsFingerprint()}`;
  } catch {
    return false;
  }
}

export const FIRST_ADMIN_ADVICE =
  "The database has no users yet. Create the first admin with:\n" +
  "  npx rollcall user add --email you@example.com --role admin   (password from stdin, or one is generated)";

export async function prepareDatabase(config: DbConfig, dataDir: string, log: (line: string) => void = () => {}): Promise<PrepareResult> {
  if (config.kind === "pglite" && alreadyPrepared(config, dataDir)) return { seeded: false, advice: null };
  const handle = await openDatabase(config, "start");
  try {
    await assertReachable(handle);
    await migrateDatabase(handle);
    let result: PrepareResult = { seeded: false, advice: null };
    if (await isDatabaseEmpty(handle.db)) {
      if (handle.kind === "postgres") return { seeded: false, advice: FIRST_ADMIN_ADVICE };
      log("empty database, seeding the Windows XP SP2 demo scenario…");
      const { logins } = await seedDemo(handle.db);
      await writeDemoLogins(dataDir, logins);
      result = { seeded: true, advice: null };
    }
    if (config.kind === "pglite") fs.writeFileSync(path.join(dataDir, MARKER), `${config.dataDir} ${migrationsFingerprint()}\n`, { mode: 0o600 });
    return result;
  } finally {
    await handle.close();
  }
}

/**
 * What `npm start` prints about the demo logins: the passwords once, right after seeding them;
 * afterwards only where they are (issue #14: every start used to print them into service logs).
 */
export function demoLoginsBanner(logins: { role: string; email: string; password: string }[], file: string, seeded: boolean): string[] {
  if (logins.length === 0) return [];
  if (!seeded) return [`Demo logins: ${file} (readable by this user only; printed once, when the demo was seeded)`];
  return [`Demo logins (shown once; kept in ${file}):`, ...logins.map((l) => `  ${l.role.padEnd(9)}${l.email.padEnd(30)}${l.password}`)];
}
