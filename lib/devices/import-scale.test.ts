// A 100,000-row inventory CSV (generated) goes through the same path as the UI and the API.
// Times are printed, not asserted (targets are measured by the benchmark, never as timed tests).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { saveRolloutPlan } from "@/lib/rollouts/plan";
import { makeCatalog, makeUser } from "@/test/support/fixtures/catalog";
import { importDevices } from "./import";

const ROWS = 100_000;

function generateCsv(rows: number, badEvery: number): string {
  const sites = ["HQ", "Leeds", "York", "Home"];
  const lines = ["hostname,os,osVersion,site,department,channel,tags,apps"];
  for (let i = 0; i < rows; i++) {
    const site = i % badEvery === 0 ? "Atlantis" : sites[i % 4];
    const os = i % 10 === 0 ? "Windows 2000" : "Windows XP";
    const channel = site === "Home" ? "offline_media" : "network";
    const apps = i % 50 === 0 ? "CRM Sales for Outlook@1.2;Office@11.0" : "Office@11.0";
    lines.push(`WS-${String(i).padStart(6, "0")},${os},SP1,${site},${["IT", "Sales", "Finance"][i % 3]},${channel},${i % 7 === 0 ? "laptop" : ""},${apps}`);
  }
  return lines.join("\n");
}

describe.each(testDbKinds)("a 100,000-row inventory import on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    await makeCatalog(handle.db);
  });
  afterAll(() => handle?.close());

  it("stores every good row, rejects every bad one, and re-evaluates an open rollout on re-import", { timeout: 600_000 }, async () => {
    const csv = generateCsv(ROWS, 1_000);
    let started = performance.now();
    const first = await importDevices(editor, { csv });
    const firstMs = performance.now() - started;
    expect(first.rejected).toHaveLength(ROWS / 1_000);
    expect(first.accepted).toBe(ROWS - ROWS / 1_000);
    const [{ n }] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from devices`);
    expect(n).toBe(first.accepted);
    const [{ links }] = await queryRows<{ links: number }>(handle.db, sql`select count(*)::int as links from device_apps`);
    // every 50th device also has the CRM add-in; the bad rows (every 1,000th) are among them
    expect(links).toBe(first.accepted + ROWS / 50 - ROWS / 1_000);

    const [catalog] = await queryRows<{ build_id: number; hq: number }>(handle.db, sql`select (select id from builds where name = 'Final') as build_id, (select id from sites where name = 'HQ') as hq`);
    started = performance.now();
    await saveRolloutPlan(editor, { buildId: catalog.build_id, name: "SP2", waves: [{ name: "HQ 25 %", targeting: { siteIds: [catalog.hq], samplePercent: 25 } }, { name: "Everyone else", targeting: {} }] });
    const planMs = performance.now() - started;

    started = performance.now();
    const second = await importDevices(editor, { csv });
    const secondMs = performance.now() - started;
    expect(second).toMatchObject({ created: 0, updated: first.accepted, rolloutsReevaluated: 1 });
    const [{ deployments }] = await queryRows<{ deployments: number }>(handle.db, sql`select count(*)::int as deployments from deployments`);
    expect(deployments).toBe(first.accepted);
    console.log(
      `[scale ${kind}] import ${ROWS} rows: ${(firstMs / 1000).toFixed(1)} s (${Math.round(ROWS / (firstMs / 1000))} rows/s); ` +
        `save a 2-wave plan over ${first.accepted} devices: ${(planMs / 1000).toFixed(1)} s; ` +
        `re-import (update + re-evaluate the rollout): ${(secondMs / 1000).toFixed(1)} s`,
    );
  });
});
