// Writes the demo scenario (db/seed/demo: the data and its deterministic planners) into an empty
// database: one transaction, in the order the scenario's ids are expected, then the summaries.
// The generated passwords are the only random part.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { createRng } from "@/db/seed/rng";
import { DAY, DEMO_USERS, HOUR, planDeployments, planDevices, planMediaSteps, SEED } from "@/db/seed/demo";
import type { DemoLogin } from "@/db/seed/demo-logins";
import { recordAudit } from "@/lib/audit/log";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { recomputeSummaries } from "@/lib/deployments/summaries";
import { insertDeployments, insertHoldReleases, insertMediaSteps } from "./demo-deployments";
import { insertKnownIssues } from "./demo-known-issues";
import { insertReadiness } from "./demo-readiness";
import { insertCatalog, insertInventory, insertRollout, insertUsers, refuseIfSeeded } from "./demo-setup";

export { CRM_APP_NAME, DEMO_EMAIL_DOMAIN, DEMO_ROLLOUT_NAME, DEMO_USERS, DEMO_WAVE_NAMES, SP2_SLUG } from "@/db/seed/demo";
export { readDemoLogins, writeDemoLogins, type DemoLogin } from "@/db/seed/demo-logins";

export async function seedDemo(db: Db, opts: { now?: Date } = {}): Promise<{ logins: DemoLogin[] }> {
  const now = opts.now ?? new Date();
  const T = now.getTime();
  const ago = (days: number, hours = 0) => new Date(T - days * DAY - hours * HOUR);
  const rng = createRng(SEED);

  // Hash first, in parallel, outside the transaction: argon2 is the slow part.
  const passwords = DEMO_USERS.map(() => generatePassword());
  const hashes = await Promise.all(passwords.map((p) => hashPassword(p)));

  const devicePlans = planDevices(rng, now);
  const plans = planDeployments(rng, devicePlans, now);

  await db.transaction(async (tx) => {
    await refuseIfSeeded(tx);
    const userId = await insertUsers(tx, hashes, ago);
    const catalog = await insertCatalog(tx, ago);
    const { siteId, appId, deviceId } = await insertInventory(tx, devicePlans, ago);
    const rollout = await insertRollout(tx, { catalog, siteId, userId, ago });
    const issueIds = await insertKnownIssues(tx, { now, updateId: catalog.updateIds.sp2, buildId: catalog.buildId, appId, userId, deviceId, devicePlans });
    await insertReadiness(tx, { updateId: catalog.updateIds.sp2, catalog, appId, issueIds, userId, editorEmail: DEMO_USERS.find((u) => u.role === "editor")!.email, ago });
    const counts = await insertDeployments(tx, plans, { updateIds: catalog.updateIds, deviceId, rollout, issueIds, ago });
    await insertHoldReleases(tx, plans, { issueIds, deviceId, userId });
    await insertMediaSteps(tx, planMediaSteps(plans, now), { rolloutId: rollout.rolloutId, deviceId, userId, now });
    await recordAudit(tx, { kind: "system", label: "seed" }, {
      action: "seed.demo",
      targetType: "database",
      after: { devices: devicePlans.length, deployments: counts.deployments, statusEvents: counts.statusEvents },
    });
    await recomputeSummaries(tx);
  });
  return { logins: DEMO_USERS.map((u, i) => ({ role: u.role, email: u.email, password: passwords[i] })) };
}

/** True when there is nothing to lose: no updates and no users (the start script seeds the demo then). */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ empty: boolean }>(db, sql`select not exists (select 1 from updates) and not exists (select 1 from users) as empty`);
  return row.empty;
}
