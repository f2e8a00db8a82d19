// A machine whose deployment says Windows XP SP2 is installed while its inventory still reads SP1
// must not read as a contradiction: the device page says the OS line is the inventory's last word
// and, next to it, that the distribution tool reported the service pack installed (issue #16 item 15).
import { renderToStaticMarkup } from "react-dom/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { deployments, devices, updates } from "@/db/schema";
import { UPDATES } from "@/db/seed/demo";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { getDevice } from "@/lib/devices/queries";
import { addDevices, makeCatalog, makeUser } from "@/test/support/fixtures/catalog";
import { DeviceView } from "./device-view";

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ")
    .trim();

describe.each(testDbKinds)("the device page's operating system on %s", (kind) => {
  let handle: DbHandle;
  let viewer: UserActor;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    viewer = await makeUser(handle.db, "viewer");
    const catalog = await makeCatalog(handle.db);
    const [upgraded, pending] = await addDevices(handle.db, catalog, [{ hostname: "HQ-WS-0001" }, { hostname: "HQ-WS-0002" }]);
    const lastImport = new Date("2026-11-18T08:00:00Z");
    for (const device of [upgraded, pending]) await handle.db.update(devices).set({ osVersion: "SP1", lastSeenAt: lastImport }).where(eq(devices.id, device.id));
    // An Office service pack is a service pack too, but not of the machine's operating system.
    const [office] = await handle.db.insert(updates).values({ ...UPDATES.office, slug: "office-sp1" }).returning();
    const installedAt = new Date("2026-11-20T09:30:00Z");
    await handle.db.insert(deployments).values([
      { deviceId: upgraded.id, updateId: catalog.update.id, state: "installed", stateOccurredAt: installedAt, lastReportedAt: installedAt },
      { deviceId: upgraded.id, updateId: office.id, state: "installed", stateOccurredAt: installedAt, lastReportedAt: installedAt },
      { deviceId: pending.id, updateId: catalog.update.id, state: "downloading", lastReportedAt: installedAt },
    ]);
  });
  afterAll(() => handle?.close());

  const page = async (hostname: string) => text(renderToStaticMarkup(<DeviceView detail={await getDevice(viewer, hostname)} issues={[]} canReport={false} releaseHold={null} />));

  it("says the OS is the inventory's last import and that the distribution tool reported the service pack installed", async () => {
    const detail = await getDevice(viewer, "HQ-WS-0001");
    expect(detail.deployments.map((d) => [d.update, d.upgradesOperatingSystem, d.installedAt])).toEqual([
      ["office-sp1", false, "2026-11-20T09:30:00.000Z"],
      ["xp-sp2", true, "2026-11-20T09:30:00.000Z"],
    ]);
    const shown = await page("HQ-WS-0001");
    expect(shown).toContain("Windows XP SP1 — as last imported from inventory on 2026-11-18");
    expect(shown).toContain("Windows XP Service Pack 2 installed 2026-11-20, reported by the distribution tool");
    expect(shown).not.toContain("Microsoft Office 2003 Service Pack 1 installed");
  });

  it("says nothing is installed over the inventory's OS while the service pack is still on its way", async () => {
    const shown = await page("HQ-WS-0002");
    expect(shown).toContain("Windows XP SP1 — as last imported from inventory on 2026-11-18");
    expect(shown).not.toContain("reported by the distribution tool");
  });
});
