// The demo tells the readiness story of issue #17: CRM Sales for Outlook 1.2 broken on RC2 and Final
// (RC-0001, with its earlier "works" kept), the firewall works with a workaround (RC-0002), Office XP
// works, the long tail untested; the branch wave counts its CRM machines as broken.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { getReadinessMatrix } from "@/lib/readiness/matrix";
import { readinessForRollout } from "@/lib/readiness/waves";
import { APPS } from "@/db/seed/demo";
import { queryRows } from "@/db/client";
import { sql } from "drizzle-orm";
import { CRM_APP_NAME, seedDemo, SP2_SLUG } from "./demo";

const system = { kind: "system", label: "test" } as const;

describe.each(testDbKinds)("the demo's readiness on %s", (kind) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    await seedDemo(handle.db);
  }, 300_000);
  afterAll(() => handle?.close());

  it("shows CRM 1.2 broken on RC2 and Final, the firewall with a workaround, Office XP working and the rest untested", async () => {
    const matrix = await getReadinessMatrix(system, SP2_SLUG, { pageSize: 100 });
    const cells = (app: string, range: string) => Object.fromEntries(matrix.rows.find((r) => r.app === app && r.versionRange === range)!.cells.map((c) => [c.build, `${c.status}${c.knownIssue ? ` ${c.knownIssue}` : ""}`]));
    expect(cells(CRM_APP_NAME, "1.2")).toEqual({ RC1: "untested", RC2: "broken RC-0001", Final: "broken RC-0001" });
    expect(cells(APPS.sygate.name, "5.5")).toMatchObject({ Final: "works_with_workaround RC-0002" });
    expect(cells(APPS.officeXp.name, "10.0")).toMatchObject({ RC2: "works", Final: "works" });
    expect(cells(APPS.winzip.name, "9.0")).toEqual({ RC1: "untested", RC2: "untested", Final: "untested" });
    const crmRc2 = matrix.rows.find((r) => r.app === CRM_APP_NAME)!.cells.find((c) => c.build === "RC2")!;
    expect(crmRc2.history.map((h) => h.status)).toEqual(["works"]);
    expect(matrix.rows[0].machines).toBeGreaterThanOrEqual(matrix.rows.at(-1)!.machines);
  });

  it("counts the branch wave's CRM machines as broken on the final build", async () => {
    const [rollout] = await queryRows<{ id: number; wave: number }>(handle.db, sql`select r.id, w.id as wave from rollouts r join waves w on w.rollout_id = r.id and w.position = 2`);
    const readiness = (await readinessForRollout(system, Number(rollout.id))).get(Number(rollout.wave))!;
    const [crm] = await queryRows<{ n: number }>(handle.db, sql`
      select count(distinct d.device_id)::int as n from deployments d join device_apps da on da.device_id = d.device_id join apps a on a.id = da.app_id
      where d.wave_id = ${rollout.wave} and d.state <> 'not_applicable' and a.name = ${CRM_APP_NAME} and da.version like '1.2%'`);
    expect(crm.n).toBeGreaterThan(0);
    expect(readiness.broken).toBe(crm.n);
    expect(readiness.untested).toBeGreaterThan(0);
    expect(readiness.machines).toBe(readiness.broken + readiness.untested + readiness.worksWithWorkaround + readiness.works + readiness.noApps);
  });
});
