// The inventory, eligibility, rollout and wave-action API end to end through the route handlers,
// with real API tokens (scopes read, inventory, manage).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { createApiToken } from "@/lib/auth/tokens";
import { makeCatalog } from "@/test/support/fixtures/catalog";
import { GET as getEligibility } from "./[hostname]/eligibility/route";
import { GET as getDevice } from "./[hostname]/route";
import { GET as listDevices, POST as postDevices } from "./route";
import { POST as postRollout } from "../rollouts/route";
import { POST as postPreview } from "../rollouts/preview/route";
import { GET as getProgress } from "../rollouts/[id]/progress/route";
import { POST as postAction } from "../rollouts/[id]/waves/[waveId]/actions/route";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123";

const BASE = "http://127.0.0.1:3999/api/v1";
const system = { kind: "system", label: "test" } as const;

const req = (path: string, init: RequestInit & { token?: string } = {}) =>
  new Request(`${BASE}${path}`, { ...init, headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.headers as Record<string, string>) } });

async function problemOf(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as { status: number; detail: string; errors?: { path: string; message: string }[] };
}

describe.each(testDbKinds)("devices, eligibility and rollout API on %s", (kind) => {
  let handle: DbHandle;
  let read: string;
  let inventory: string;
  let manage: string;
  let catalog: Awaited<ReturnType<typeof makeCatalog>>;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    catalog = await makeCatalog(handle.db);
    read = (await createApiToken(system, { name: "reader", scopes: ["read"] })).token;
    inventory = (await createApiToken(system, { name: "sccm-inventory", scopes: ["inventory"] })).token;
    manage = (await createApiToken(system, { name: "manager", scopes: ["manage", "read"] })).token;
  });
  afterAll(() => handle?.close());

  it("401 without a token, 403 with the wrong scope, 400 for malformed JSON, 415 for other types", async () => {
    expect((await postDevices(req("/devices", { method: "POST", body: "[]" }))).status).toBe(401);
    const forbidden = await postDevices(req("/devices", { method: "POST", body: "[]", token: read, headers: { "content-type": "application/json" } }));
    expect(forbidden.status).toBe(403);
    expect((await problemOf(forbidden)).detail).toMatch(/inventory/);
    expect((await postDevices(req("/devices", { method: "POST", body: "[{", token: inventory, headers: { "content-type": "application/json" } }))).status).toBe(400);
    expect((await postDevices(req("/devices", { method: "POST", body: "{}", token: inventory, headers: { "content-type": "application/json" } }))).status).toBe(400);
    expect((await postDevices(req("/devices", { method: "POST", body: "x", token: inventory, headers: { "content-type": "application/xml" } }))).status).toBe(415);
  });

  it("upserts CSV with a per-row answer and lists with a cursor", async () => {
    const csv = [
      "hostname,os,osVersion,site,department,channel,tags,apps",
      ...Array.from({ length: 120 }, (_, i) => `HQ-${String(i).padStart(3, "0")},Windows XP,SP1,HQ,Sales,network,,Office@11.0`),
      "W2K-1,Windows 2000,SP4,HQ,IT,network,,",
      "LOST-1,Windows XP,SP1,Narnia,IT,network,,",
    ].join("\n");
    const response = await postDevices(req("/devices", { method: "POST", body: csv, token: inventory, headers: { "content-type": "text/csv" } }));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ accepted: 121, created: 121, rejected: [{ index: 121, line: 123, hostname: "LOST-1", errors: [{ path: "site" }] }] });
    const missing = await postDevices(req("/devices", { method: "POST", body: "hostname\nA", token: inventory, headers: { "content-type": "text/csv" } }));
    expect(missing.status).toBe(422);
    expect((await problemOf(missing)).errors!.map((e) => e.path)).toEqual(["columns.os", "columns.site"]);

    const page1 = await (await listDevices(req("/devices?q=HQ-", { token: read }))).json();
    expect(page1.items).toHaveLength(100);
    const page2 = await (await listDevices(req(`/devices?q=HQ-&cursor=${page1.nextCursor}`, { token: read }))).json();
    expect(page2.items).toHaveLength(20);
    expect(page2.nextCursor).toBeNull();
    const detail = await (await getDevice(req("/devices/hq-001", { token: read }), { params: Promise.resolve({ hostname: "hq-001" }) })).json();
    expect(detail.device).toMatchObject({ hostname: "HQ-001", os: "Windows XP", osVersion: "SP1", site: "HQ", department: "Sales", channel: "network", apps: [{ name: "Office", version: "11.0" }] });
    expect(detail.device.passwordHash).toBeUndefined();
    expect((await getDevice(req("/devices/nope", { token: read }), { params: Promise.resolve({ hostname: "nope" }) })).status).toBe(404);
  });

  it("plans a rollout, answers eligibility, and applies wave actions with the UI's rules", async () => {
    const plan = {
      buildId: catalog.builds[1].id,
      name: "SP2",
      waves: [
        { name: "Pilot", targeting: { hostnames: ["HQ-000", "HQ-001", "HQ-002"] } },
        { name: "Everyone", targeting: {} },
      ],
    };
    const preview = await postPreview(req("/rollouts/preview", { method: "POST", body: JSON.stringify(plan), token: manage, headers: { "content-type": "application/json" } }));
    expect(preview.status).toBe(200);
    expect((await preview.json()).waves.map((w: { devices: number }) => w.devices)).toEqual([3, 117]);
    expect((await postRollout(req("/rollouts", { method: "POST", body: JSON.stringify(plan), token: read, headers: { "content-type": "application/json" } }))).status).toBe(403);
    const created = await postRollout(req("/rollouts", { method: "POST", body: JSON.stringify(plan), token: manage, headers: { "content-type": "application/json" } }));
    expect(created.status).toBe(201);
    const { rolloutId } = await created.json();
    const progress = await (await getProgress(req(`/rollouts/${rolloutId}/progress`, { token: read }), { params: Promise.resolve({ id: String(rolloutId) }) })).json();
    const [pilot, everyone] = progress.waves;
    expect(progress.outside.notApplicable).toBe(1);

    const eligibility = async (hostname: string) =>
      (await getEligibility(req(`/devices/${hostname}/eligibility?update=xp-sp2`, { token: read }), { params: Promise.resolve({ hostname }) })).json();
    expect(await eligibility("HQ-000")).toMatchObject({ eligible: false, reason: "wave_not_started", wave: { name: "Pilot" } });
    expect(await eligibility("W2K-1")).toMatchObject({ eligible: false, reason: "not_applicable", wave: null });

    const act = (waveId: number, body: unknown, token = manage) =>
      postAction(req(`/rollouts/${rolloutId}/waves/${waveId}/actions`, { method: "POST", body: JSON.stringify(body), token, headers: { "content-type": "application/json" } }), {
        params: Promise.resolve({ id: String(rolloutId), waveId: String(waveId) }),
      });
    expect((await act(pilot.id, { action: "start" }, read)).status).toBe(403);
    expect((await act(pilot.id, { action: "explode" })).status).toBe(422);
    const outOfOrder = await act(everyone.id, { action: "start" });
    expect(outOfOrder.status).toBe(409);
    expect((await act(pilot.id, { action: "start" })).status).toBe(200);
    expect(await eligibility("HQ-000")).toMatchObject({ eligible: true, reason: null, wave: { status: "active" } });
    const noReason = await act(everyone.id, { action: "start" });
    expect(noReason.status).toBe(422);
    expect((await problemOf(noReason)).errors).toEqual([{ path: "reason", message: expect.stringMatching(/has not passed its health gate/) }]);
    const override = await act(everyone.id, { action: "start", reason: "Change board approved the early start" });
    expect(override.status).toBe(200);
    expect(await override.json()).toMatchObject({ status: "active" });
  });
});
