// The device page and API name each deployment's build (and whether it is installed, behind); the
// device list filters by build, with or without an update.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import * as s from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { ingestStatusEvents } from "@/lib/deployments/ingest";
import { promoteRollout } from "@/lib/rollouts/promote";
import { getDevice, listDevices } from "./queries";
import { createIngestFixture, type IngestFixture } from "@/test/support/fixtures/ingest";

const at = (minutes: number) => new Date(Date.parse("2004-08-25T09:00:00Z") + minutes * 60_000).toISOString();

describe.each(testDbKinds)("builds on the device page and list on %s", (kind) => {
  let handle: DbHandle;
  let fx: IngestFixture;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    fx = await createIngestFixture(handle.db, { devices: 6, updates: 1, planned: 4 });
    await handle.db.insert(s.builds).values({ updateId: fx.updates[0].id, name: "Refresh", version: "5.1.2600.2181", kind: "final" });
    const slug = fx.updates[0].slug;
    await ingestStatusEvents(
      fx.ingestToken,
      [
        { device: "WS-0000", update: slug, state: "installed", occurredAt: at(1), eventId: "d-1" },
        { device: "WS-0001", update: slug, state: "installed", occurredAt: at(1), eventId: "d-2" },
        { device: "WS-0002", update: slug, state: "installing", occurredAt: at(1), eventId: "d-3", build: "refresh" },
      ],
      { db: handle.db },
    );
    await promoteRollout(fx.editor, { rolloutId: fx.rolloutId, build: "Refresh", note: "" });
  });
  afterAll(() => handle?.close());

  it("the device detail names each deployment's build, the build its wave targets and whether it is behind; its events name theirs", async () => {
    const behind = await getDevice(fx.viewer, "ws-0000");
    expect(behind.deployments[0]).toMatchObject({ state: "installed", build: { name: "RTM", version: "5.1.2600.2180" }, targetBuild: "Refresh", behind: true });
    expect(behind.events[0]).toMatchObject({ build: "RTM" });
    const current = await getDevice(fx.viewer, "WS-0002");
    expect(current.deployments[0]).toMatchObject({ state: "installing", build: { name: "Refresh" }, behind: false });
    const none = await getDevice(fx.viewer, "WS-0003");
    expect(none.deployments[0]).toMatchObject({ state: "pending", build: null, behind: false });
  });

  it("the list filters by build name or version, per update or across updates, and shows the build", async () => {
    const rtm = await listDevices(fx.viewer, { update: fx.updates[0].slug, build: "rtm" });
    expect(rtm.items.map((d) => [d.hostname, d.build])).toEqual([
      ["WS-0000", "RTM"],
      ["WS-0001", "RTM"],
    ]);
    const refresh = await listDevices(fx.viewer, { build: "5.1.2600.2181" });
    expect(refresh.items.map((d) => d.hostname)).toEqual(["WS-0002"]);
    expect((await listDevices(fx.viewer, { build: "Beta 9" })).items).toEqual([]);
    const [count] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from deployments where build_id is not null`);
    expect(count.n).toBe(3);
  });
});
