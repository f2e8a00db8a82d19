// Every route's own body limit holds on the real server, for chunked and sized bodies alike:
// just over it → 413 problem+json and nothing of the body stored; under it → the whole body is
// read (never silently cut at the 10 MB a Next.js proxy keeps of a body); an anonymous upload is
// refused with 401 before its body is read. Limits: README, "Request body limits".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLiveServer, type LiveServer } from "./harness";
import { json, send, trickle, type Answer } from "./send";

const MB = 1024 * 1024;
const LIMITS = { statusEvents: 10 * MB, devices: 64 * MB, knownIssues: 256 * 1024, rollouts: 1_000_000, waveActions: 64_000 };
const RUN = `lim${Date.now().toString(36)}`;

let server: LiveServer;
const tokens: Record<"ingest" | "inventory" | "manage" | "read", string> = { ingest: "", inventory: "", manage: "", read: "" };
let site = "";
let hostnames: string[] = [];
let wave: { rolloutId: number; id: number; status: string };
/** Database checks of the refused bodies (registered before each is sent), run together at the end (one restart on PGlite). */
const nothingStored: Array<{ what: string; query: string; params: unknown[]; expected: unknown }> = [];

beforeAll(async () => {
  server = await startLiveServer();
  const [ingest, inventory, manage, read] = await Promise.all([
    server.token(["ingest"]),
    server.token(["inventory"]),
    server.token(["manage"]),
    server.token(["read"]),
  ]);
  Object.assign(tokens, { ingest, inventory, manage, read });
  const devices = json(await send(`${server.base}/api/v1/devices?limit=5`, { method: "GET", headers: auth("read") }));
  site = devices.items[0].site;
  hostnames = devices.items.map((d: { hostname: string }) => d.hostname);
  const rollouts = json(await send(`${server.base}/api/v1/rollouts`, { method: "GET", headers: auth("read") }));
  const first = rollouts.items[0];
  wave = { rolloutId: first.id, ...first.waves[0] };
});

afterAll(async () => {
  await server?.stop();
});

function auth(scope: keyof typeof tokens, type?: string): Record<string, string> {
  return { authorization: `Bearer ${tokens[scope]}`, ...(type ? { "content-type": type } : {}) };
}

/** `count` items joined by `separator`, the last one padded with spaces to exactly `bytes` bytes in all. */
function exactly(bytes: number, open: string, close: string, separator: string, item: (i: number) => string, itemBytes: number): { body: Buffer; count: number } {
  const count = Math.floor((bytes - open.length - close.length) / (itemBytes + separator.length));
  const text = open + Array.from({ length: count }, (_, i) => item(i)).join(separator);
  const padding = bytes - Buffer.byteLength(text) - close.length;
  if (padding < 0) throw new Error("items larger than planned");
  return { body: Buffer.from(text + " ".repeat(padding) + close), count };
}

/** A status event padded to about 1 KB so that 10 MB stays under the 10,000-events limit. */
function statusEvent(prefix: string, i: number): string {
  const event = { device: hostnames[i % hostnames.length], update: "windows-xp-sp2", state: "downloading", occurredAt: new Date().toISOString(), eventId: `${prefix}-${i}`, message: "" };
  const bare = JSON.stringify(event);
  return JSON.stringify({ ...event, message: "m".repeat(1100 - bare.length) });
}

/** A device CSV row of about 10 KB (an extra `note` column, which the import ignores). */
function deviceCsvRow(prefix: string, i: number): string {
  return `${prefix}-${i},Windows XP,SP2,${site},,network,,,` + "n".repeat(10_000);
}
const CSV_HEADER = "hostname,os,osVersion,site,department,channel,tags,apps,note\n";

function deviceJson(prefix: string, i: number): string {
  return JSON.stringify({ hostname: `${prefix}-${i}`, os: "Windows XP", osVersion: "SP2", site, note: "n".repeat(10_000) });
}

function expectTooLarge(answer: Answer) {
  expect(answer.status, answer.text.slice(0, 300)).toBe(413);
  expect(answer.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(json(answer)).toMatchObject({ status: 413 });
}

describe.each([
  { how: "chunked", chunked: true },
  { how: "with Content-Length", chunked: false },
])("a body just over its route's limit, $how → 413, nothing stored", ({ how, chunked }) => {
  const tag = `${RUN}-${chunked ? "c" : "l"}`;

  it("status events as NDJSON (10 MB)", async () => {
    const prefix = `${tag}-ndjson`;
    const { body } = exactly(LIMITS.statusEvents + 1, "", "", "\n", (i) => statusEvent(prefix, i), 1100);
    nothingStored.push({ what: `status events (NDJSON, ${how})`, query: "select count(*)::int as n from status_events where event_id like $1", params: [`${prefix}-%`], expected: 0 });
    expectTooLarge(await send(`${server.base}/api/v1/status-events`, { headers: auth("ingest", "application/x-ndjson"), body, chunked }));
  });

  it("status events as a JSON array (10 MB)", async () => {
    const prefix = `${tag}-json`;
    const { body } = exactly(LIMITS.statusEvents + 1, "[", "]", ",", (i) => statusEvent(prefix, i), 1100);
    nothingStored.push({ what: `status events (JSON, ${how})`, query: "select count(*)::int as n from status_events where event_id like $1", params: [`${prefix}-%`], expected: 0 });
    expectTooLarge(await send(`${server.base}/api/v1/status-events`, { headers: auth("ingest", "application/json"), body, chunked }));
  });

  it("devices as CSV (64 MB)", async () => {
    const prefix = `${tag}-csv`;
    const { body } = exactly(LIMITS.devices + 1, CSV_HEADER, "\n", "\n", (i) => deviceCsvRow(prefix, i), deviceCsvRow(prefix, 99_999).length);
    nothingStored.push({ what: `devices (CSV, ${how})`, query: "select count(*)::int as n from devices where hostname like $1", params: [`${prefix}-%`], expected: 0 });
    expectTooLarge(await send(`${server.base}/api/v1/devices`, { headers: auth("inventory", "text/csv"), body, chunked }));
  });

  it("devices as JSON (64 MB)", async () => {
    const prefix = `${tag}-djson`;
    const { body } = exactly(LIMITS.devices + 1, "[", "]", ",", (i) => deviceJson(prefix, i), deviceJson(prefix, 99_999).length);
    nothingStored.push({ what: `devices (JSON, ${how})`, query: "select count(*)::int as n from devices where hostname like $1", params: [`${prefix}-%`], expected: 0 });
    expectTooLarge(await send(`${server.base}/api/v1/devices`, { headers: auth("inventory", "application/json"), body, chunked }));
  });

  it("a known issue (256 KB)", async () => {
    const title = `${tag} oversized issue`;
    const { body } = exactly(LIMITS.knownIssues + 1, JSON.stringify({ title, update: "windows-xp-sp2", severity: "low", symptoms: "" }).slice(0, -2), '"}', "", () => "s".repeat(1000), 1000);
    nothingStored.push({ what: `known issues (${how})`, query: "select count(*)::int as n from known_issues where title = $1", params: [title], expected: 0 });
    expectTooLarge(await send(`${server.base}/api/v1/known-issues`, { headers: auth("manage", "application/json"), body, chunked }));
  });

  it("a rollout plan (1 MB)", async () => {
    const name = `${tag} oversized rollout`;
    const { body } = exactly(LIMITS.rollouts + 1, JSON.stringify({ name, buildId: 1, waves: [], note: "" }).slice(0, -2), '"}', "", () => "r".repeat(1000), 1000);
    nothingStored.push({ what: `rollouts (${how})`, query: "select count(*)::int as n from rollouts where name = $1", params: [name], expected: 0 });
    expectTooLarge(await send(`${server.base}/api/v1/rollouts`, { headers: auth("manage", "application/json"), body, chunked }));
  });

  it("a wave action (64 KB)", async () => {
    const action = wave.status === "running" ? "pause" : "start";
    const { body } = exactly(LIMITS.waveActions + 1, JSON.stringify({ action, reason: "" }).slice(0, -2), '"}', "", () => "w".repeat(1000), 1000);
    nothingStored.push({ what: `wave status (${how})`, query: "select status::text as n from waves where id = $1", params: [wave.id], expected: wave.status });
    expectTooLarge(await send(`${server.base}/api/v1/rollouts/${wave.rolloutId}/waves/${wave.id}/actions`, { headers: auth("manage", "application/json"), body, chunked }));
  });
});

describe("a body under its route's limit is read whole", () => {
  it("an 11 MB device CSV, chunked: every row is stored", async () => {
    const prefix = `${RUN}-big-csv`;
    const { body, count } = exactly(11 * MB, CSV_HEADER, "\n", "\n", (i) => deviceCsvRow(prefix, i), deviceCsvRow(prefix, 99_999).length);
    const answer = await send(`${server.base}/api/v1/devices`, { headers: auth("inventory", "text/csv"), body, chunked: true });
    expect(answer.status, answer.text.slice(0, 300)).toBe(200);
    expect(json(answer)).toMatchObject({ accepted: count, rejected: [] });
    const [stored] = await server.sql("select count(*)::int as n from devices where hostname like $1", [`${prefix}-%`]);
    expect(stored.n).toBe(count);
  });

  it("an 11 MB device JSON array with Content-Length: every device is stored", async () => {
    const prefix = `${RUN}-big-json`;
    const { body, count } = exactly(11 * MB, "[", "]", ",", (i) => deviceJson(prefix, i), deviceJson(prefix, 99_999).length);
    const answer = await send(`${server.base}/api/v1/devices`, { headers: auth("inventory", "application/json"), body });
    expect(answer.status, answer.text.slice(0, 300)).toBe(200);
    expect(json(answer)).toMatchObject({ accepted: count, rejected: [] });
  });

  it("status events of exactly 10 MB as chunked NDJSON: every line is answered for", async () => {
    const { body, count } = exactly(LIMITS.statusEvents, "", "", "\n", (i) => statusEvent(`${RUN}-full`, i), 1100);
    const answer = await send(`${server.base}/api/v1/status-events`, { headers: auth("ingest", "application/x-ndjson"), body, chunked: true });
    expect(answer.status, answer.text.slice(0, 300)).toBe(200);
    const outcome = json(answer);
    expect(outcome.accepted + outcome.duplicates + outcome.stale + outcome.rejected.length).toBe(count);
  });
});

describe("an anonymous upload is refused before its body is read", () => {
  it.each(["/api/v1/devices", "/api/v1/status-events"])("POST %s: 401 while 200 MB are still on their way", async (path) => {
    // 64 KB every 10 ms: the whole body would take over 30 s to arrive.
    const answer = await send(`${server.base}${path}`, { headers: { "content-type": "text/csv" }, body: trickle(200 * MB, 64 * 1024, 10), timeoutMs: 20_000 });
    expect(answer.status).toBe(401);
    expect(answer.ms).toBeLessThan(5_000);
    expect(answer.sentBytes).toBeLessThan(50 * MB);
  });
});

describe("the database afterwards", () => {
  it("holds nothing of the refused bodies", async () => {
    expect(nothingStored.length).toBeGreaterThan(0);
    const found = await Promise.all(nothingStored.map((check) => server.sql(check.query, check.params).then(([row]) => ({ what: check.what, n: row.n }))));
    expect(found).toEqual(nothingStored.map((check) => ({ what: check.what, n: check.expected })));
  });
});
