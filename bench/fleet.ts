// The benchmark fleet, shared by `npm run bench` (bench/run.ts) and the headroom rows alone
// (bench/headroom.ts): the scale seed with a progress line, and a viewer to sign in as on a database an
// earlier run seeded (the demo's passwords are random and not kept).
import { sql } from "drizzle-orm";
import type { DbHandle } from "@/db/client";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { DEMO_USERS } from "@/lib/seed/demo";
import { seedScale } from "@/lib/seed/scale";

/** `rollcall db seed --scale N` in the benchmark's process, printing progress at most every 10 s. */
export async function seedScaleWithProgress(db: DbHandle["db"], devices: number, log: (line: string) => void): Promise<void> {
  let lastPrint = 0;
  await seedScale(db, devices, {
    onProgress: (done, total) => {
      if (Date.now() - lastPrint > 10_000 || done === total) {
        lastPrint = Date.now();
        log(`seeding ${done.toLocaleString("en")} / ${total.toLocaleString("en")} devices`);
      }
    },
  });
}

/** The demo viewer with a new password for this run. */
export async function resetViewerPassword(db: DbHandle["db"]): Promise<{ role: string; email: string; password: string }> {
  const viewer = DEMO_USERS.find((u) => u.role === "viewer")!;
  const password = generatePassword();
  await db.execute(sql`update users set password_hash = ${await hashPassword(password)} where lower(email) = ${viewer.email.toLowerCase()}`);
  return { role: "viewer", email: viewer.email, password };
}
