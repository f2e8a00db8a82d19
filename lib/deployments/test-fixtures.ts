// Small ingest fixtures for tests (the demo and scale seeds are much larger): sites, devices on two
// operating systems, updates, one rollout with a wave holding pre-planned deployments, an editor
// and an ingest token, with the summary tables computed.
import type { Db } from "@/db/client";
import * as s from "@/db/schema";
import type { TokenActor, UserActor } from "@/lib/auth/actor";
import { recomputeSummaries } from "./summaries";

export type IngestFixture = {
  devices: Array<{ id: number; hostname: string; siteId: number; osName: string }>;
  updates: Array<{ id: number; slug: string }>;
  rolloutId: number;
  waveId: number;
  /** Devices [0, planned) of update 0 have a pending deployment in the wave. */
  planned: number;
  editor: UserActor;
  viewer: UserActor;
  ingestToken: TokenActor;
  readToken: TokenActor;
};

export async function createIngestFixture(db: Db, options: { devices?: number; updates?: number; planned?: number } = {}): Promise<IngestFixture> {
  const deviceCount = options.devices ?? 8;
  const updateCount = options.updates ?? 2;
  const planned = Math.min(options.planned ?? Math.floor(deviceCount / 2), deviceCount);
  const sites = await db
    .insert(s.sites)
    .values([
      { name: "Headquarters", kind: "hq" },
      { name: "Branch Leeds", kind: "branch", linkKbps: 2048 },
    ])
    .returning({ id: s.sites.id });
  const devices = await db
    .insert(s.devices)
    .values(
      Array.from({ length: deviceCount }, (_, i) => ({
        hostname: `WS-${String(i).padStart(4, "0")}`,
        osName: i % 3 === 0 ? "Windows 2000" : "Windows XP",
        osVersion: i % 3 === 0 ? "5.0" : "5.1",
        siteId: sites[i % 2].id,
        channel: i % 4 === 3 ? ("offline_media" as const) : ("network" as const),
      })),
    )
    .returning({ id: s.devices.id, hostname: s.devices.hostname, siteId: s.devices.siteId, osName: s.devices.osName });
  const updates = await db
    .insert(s.updates)
    .values(
      Array.from({ length: updateCount }, (_, i) => ({
        slug: i === 0 ? "windows-xp-sp2" : `update-${i}`,
        title: i === 0 ? "Windows XP Service Pack 2" : `Update ${i}`,
        vendor: "Microsoft",
        product: "Windows XP",
        kind: i === 0 ? ("service_pack" as const) : ("security" as const),
      })),
    )
    .returning({ id: s.updates.id, slug: s.updates.slug });
  const [build] = await db.insert(s.builds).values({ updateId: updates[0].id, name: "RTM", version: "5.1.2600.2180", kind: "final" }).returning({ id: s.builds.id });
  const [rollout] = await db
    .insert(s.rollouts)
    .values({ updateId: updates[0].id, buildId: build.id, name: "XP SP2 rollout", status: "active" })
    .returning({ id: s.rollouts.id });
  const [wave] = await db
    .insert(s.waves)
    .values({ rolloutId: rollout.id, position: 0, name: "0 – IT department pilot", status: "active" })
    .returning({ id: s.waves.id });
  if (planned > 0) {
    await db.insert(s.deployments).values(
      devices.slice(0, planned).map((d) => ({
        deviceId: d.id,
        updateId: updates[0].id,
        rolloutId: rollout.id,
        waveId: wave.id,
        state: "pending" as const,
      })),
    );
  }
  const users = await db
    .insert(s.users)
    .values([
      { email: "editor@test.local", name: "Erin Editor", role: "editor" },
      { email: "viewer@test.local", name: "Vic Viewer", role: "viewer" },
    ])
    .returning({ id: s.users.id, email: s.users.email, name: s.users.name });
  const tokens = await db
    .insert(s.apiTokens)
    .values([
      { name: "sccm", scopes: ["ingest"], ownerId: users[0].id, tokenHash: "test-hash-ingest", prefix: "rc_test1" },
      { name: "reader", scopes: ["read"], ownerId: users[0].id, tokenHash: "test-hash-read", prefix: "rc_test2" },
    ])
    .returning({ id: s.apiTokens.id });
  await db.transaction((tx) => recomputeSummaries(tx));
  return {
    devices,
    updates,
    rolloutId: rollout.id,
    waveId: wave.id,
    planned,
    editor: { kind: "user", userId: users[0].id, email: users[0].email, name: users[0].name, role: "editor" },
    viewer: { kind: "user", userId: users[1].id, email: users[1].email, name: users[1].name, role: "viewer" },
    ingestToken: { kind: "token", tokenId: tokens[0].id, name: "sccm", scopes: ["ingest"], ownerId: users[0].id },
    readToken: { kind: "token", tokenId: tokens[1].id, name: "reader", scopes: ["read"], ownerId: users[0].id },
  };
}
