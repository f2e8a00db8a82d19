// Which changes write which outbox events, in the change's own transaction: wave actions, gate
// verdicts and halts from ingest, known-issue changes, safeguard holds and slips; a refused change
// writes none.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { waves } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { txRows } from "@/db/tx";
import { ingestStatusEvents } from "@/lib/deployments/ingest";
import { addFixLink, createKnownIssue, updateKnownIssue } from "@/lib/known-issues/actions";
import { setSafeguardHold } from "@/lib/rollouts/holds";
import { performWaveAction, type WaveAction } from "@/lib/rollouts/lifecycle";
import { createIngestFixture, type IngestFixture } from "@/test/support/fixtures/ingest";

process.env.NEXTAUTH_URL = "https://rollcall.example.test/";

type Row = { type: string; data: Record<string, unknown>; link: string };

describe.each(testDbKinds)("outbox events on %s", (kind) => {
  let handle: DbHandle;
  let fx: IngestFixture;
  let seen = 0;
  /** The events written since the last call. */
  const newEvents = async () => {
    const rows = await txRows<Row & { id: number }>(handle.db, sql`select id, type, data, link from outbox_events where id > ${seen} order by id`);
    seen = rows.at(-1)?.id ?? seen;
    return rows.map(({ type, data, link }) => ({ type, data, link }));
  };
  const at = (s: number) => new Date(Date.now() - 3_600_000 + s * 1000).toISOString();

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    fx = await createIngestFixture(handle.db, { devices: 8, updates: 1, planned: 8 });
    await handle.db.update(waves).set({ gateMinAttempted: 2, gateMinSuccessPct: 90, gateMaxFailurePct: 10 }).where(eq(waves.id, fx.waveId));
    await newEvents();
  });
  afterAll(() => handle?.close());

  it("ingest: a gate passed, then breached with the numbers, halts the wave; each is an event linking the rollout", async () => {
    const host = (i: number) => fx.devices[i].hostname;
    await ingestStatusEvents(fx.ingestToken, [0, 1].map((i) => ({ device: host(i), update: fx.updates[0].slug, state: "installed", occurredAt: at(i), eventId: `ok-${i}` })), { db: handle.db });
    const passed = await newEvents();
    expect(passed).toEqual([
      { type: "gate.passed", link: `https://rollcall.example.test/rollouts/${fx.rolloutId}`, data: expect.objectContaining({ waveId: fx.waveId, numbers: expect.objectContaining({ attempted: 2, installed: 2, successPct: 100 }) }) },
    ]);
    await ingestStatusEvents(fx.ingestToken, [2, 3].map((i) => ({ device: host(i), update: fx.updates[0].slug, state: "failed", occurredAt: at(i), eventId: `bad-${i}` })), { db: handle.db });
    const breached = await newEvents();
    expect(breached.map((e) => e.type)).toEqual(["gate.breached", "wave.halted"]);
    expect(breached[0].data).toMatchObject({ rolloutName: expect.any(String), numbers: { attempted: 4, failed: 2, failurePct: 50, gate: { maxFailurePct: 10 } }, reason: expect.stringMatching(/50 %/) });
    expect(breached[1].data).toMatchObject({ from: "active", to: "halted", by: "health gate", reason: expect.stringMatching(/breached/) });
  });

  it("wave actions: resume is quiet, pause and complete are events; a refused action writes none", async () => {
    const act = (action: WaveAction, reason?: string) => performWaveAction(fx.editor, { rolloutId: fx.rolloutId, waveId: fx.waveId, action, reason });
    await expect(act("pause")).rejects.toMatchObject({ status: 409 });
    expect(await newEvents()).toEqual([]);
    await act("resume", "Failures were a bad disk image, fixed.");
    expect(await newEvents()).toEqual([]);
    await act("pause");
    await act("complete");
    expect((await newEvents()).map((e) => [e.type, e.data.by])).toEqual([
      ["wave.paused", fx.editor.email],
      ["wave.completed", fx.editor.email],
    ]);
  });

  it("known issues: created, status changed, a fix link added, the hold applied and lifted, each linking the issue", async () => {
    const { advisoryId } = await createKnownIssue(fx.editor, { title: "Printing stops after SP2", update: fx.updates[0].slug, severity: "high" });
    await updateKnownIssue(fx.editor, { knownIssue: advisoryId, status: "investigating", note: "Seen at HQ." });
    await addFixLink(fx.editor, { knownIssue: advisoryId, vendor: "Contoso", title: "Driver 2.1", url: "https://contoso.example/driver", type: "patch" });
    await expect(setSafeguardHold(fx.editor, { knownIssueId: 999_999, on: true })).rejects.toMatchObject({ status: 404 });
    const events = await newEvents();
    expect(events.map((e) => e.type)).toEqual(["known_issue.created", "known_issue.status_changed", "known_issue.fix_link_added"]);
    expect(events[0]).toMatchObject({ link: `https://rollcall.example.test/known-issues/${advisoryId}`, data: { advisoryId, title: "Printing stops after SP2", severity: "high" } });
    expect(events[1].data).toMatchObject({ from: "reported", to: "investigating", note: "Seen at HQ." });
    expect(events[2].data).toMatchObject({ fixLink: { vendor: "Contoso", url: "https://contoso.example/driver" } });
  });
});
