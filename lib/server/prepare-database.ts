// What `npm start` does to the database before serving: migrate; on an empty embedded database
// seed the demo and save its logins; on an empty PostgreSQL say how to create the first admin.
import { assertReachable, openDatabase } from "@/db/client";
import type { DbConfig } from "@/db/config";
import { migrateDatabase } from "@/db/migrate";
import { isDatabaseEmpty, seedDemo, writeDemoLogins } from "@/db/seed/demo";

export type PrepareResult = { seeded: boolean; advice: string | null };

export const FIRST_ADMIN_ADVICE =
  "The database has no users yet. Create the first admin with:\n" +
  "  npx rollcall user add --email you@example.com --role admin   (password from stdin, or one is generated)";

export async function prepareDatabase(config: DbConfig, dataDir: string, log: (line: string) => void = () => {}): Promise<PrepareResult> {
  const handle = await openDatabase(config, "start");
  try {
    await assertReachable(handle);
    await migrateDatabase(handle);
    if (!(await isDatabaseEmpty(handle.db))) return { seeded: false, advice: null };
    if (handle.kind === "postgres") return { seeded: false, advice: FIRST_ADMIN_ADVICE };
    log("empty database, seeding the Windows XP SP2 demo scenario…");
    const { logins } = await seedDemo(handle.db);
    await writeDemoLogins(dataDir, logins);
    return { seeded: true, advice: null };
  } finally {
    await handle.close();
  }
}
