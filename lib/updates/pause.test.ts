// The emergency pause of an update (issue #18 item 5): who may, what is refused, what is audited
// and announced, the banner's list, the end at `until` (on read), and the HTTP routes.
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries, outboxEvents, updates } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { createApiToken } from "@/lib/auth/tokens";
import { makeCatalog, makeUser } from "@/test/support/fixtures/catalog";
import { POST as postPause } from "@/app/api/v1/updates/[slug]/pause/route";
import { POST as postResume } from "@/app/api/v1/updates/[slug]/resume/route";
import { getUpdatePause, listPausedUpdates, pauseUpdate, resumeUpdate } from "./pause";
import { rejection } from "@/test/support/rejection";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123";

const BASE = "http://127.0.0.1:3999/api/v1";
const system = { kind: "system", label: "test" } as const;
const call = (handler: typeof postPause, slug: string, init: { token?: string; body?: unknown } = {}) =>
  handler(
    new Request(`${BASE}/updates/${slug}/x`, {
      method: "POST",
      headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
      body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    }),
    { params: Promise.resolve({ slug }) },
  );

describe.each(testDbKinds)("emergency pause of an update on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let viewer: UserActor;
  let helpdesk: UserActor;

  const audits = (action: string) => handle.db.select().from(auditEntries).where(and(eq(auditEntries.action, action), eq(auditEntries.targetId, "xp-sp2"))).orderBy(asc(auditEntries.id));
  const events = (type: string) => handle.db.select().from(outboxEvents).where(eq(outboxEvents.type, type)).orderBy(asc(outboxEvents.id));

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    viewer = await makeUser(handle.db, "viewer");
    helpdesk = await makeUser(handle.db, "helpdesk");
    await makeCatalog(handle.db);
  });
  afterAll(() => handle?.close());

  it("only editors (and manage tokens) pause; bad input is refused at its field, nothing saved", async () => {
    expect((await rejection(pauseUpdate(null, { update: "xp-sp2", reason: "Serious disruption" }))).status).toBe(401);
    expect((await rejection(pauseUpdate(viewer, { update: "xp-sp2", reason: "Serious disruption" }))).status).toBe(403);
    expect((await rejection(pauseUpdate(helpdesk, { update: "xp-sp2", reason: "Serious disruption" }))).status).toBe(403);
    const past = await rejection(pauseUpdate(editor, { update: "xp-sp2", reason: "Serious disruption", until: new Date(Date.now() - 60_000).toISOString() }));
    expect(past.status).toBe(422);
    expect(past.extra.errors).toContainEqual(expect.objectContaining({ path: "until", message: expect.stringMatching(/must be in the future/) }));
    const noReason = await rejection(pauseUpdate(editor, { update: "xp-sp2", reason: " " }));
    expect(noReason.status).toBe(422);
    expect(noReason.extra.errors).toContainEqual(expect.objectContaining({ path: "reason" }));
    const badDate = await rejection(pauseUpdate(editor, { update: "xp-sp2", reason: "Serious disruption", until: "next tuesday" }));
    expect(badDate.extra.errors).toContainEqual(expect.objectContaining({ path: "until" }));
    expect((await rejection(pauseUpdate(editor, { update: "no-such", reason: "Serious disruption" }))).status).toBe(404);
    const [row] = await handle.db.select().from(updates).where(eq(updates.slug, "xp-sp2"));
    expect(row.pausedAt).toBeNull();
    expect(await audits("update.pause")).toHaveLength(0);
    expect(await listPausedUpdates(viewer)).toEqual([]);
  });

  it("pauses: stored, audited, announced, listed for the banner; a second pause replaces reason and end", async () => {
    const until = new Date(Date.now() + 3_600_000);
    const { pause } = await pauseUpdate(editor, { update: "xp-sp2", reason: "RC2 testers report serious disruption", until: until.toISOString() });
    expect(pause).toMatchObject({ slug: "xp-sp2", reason: "RC2 testers report serious disruption", by: editor.email });
    expect(pause.until?.getTime()).toBe(until.getTime());
    const [audit] = await audits("update.pause");
    expect(audit.actorUserId).toBe(editor.userId);
    expect(audit.before).toEqual({ paused: false });
    expect(audit.after).toMatchObject({ paused: true, reason: "RC2 testers report serious disruption" });
    const [event] = await events("update.paused");
    expect(event.data).toMatchObject({ update: "xp-sp2", reason: "RC2 testers report serious disruption", until: until.toISOString(), by: editor.email });
    expect(event.link).toMatch(/\/updates\/xp-sp2$/);
    const listed = await listPausedUpdates(viewer);
    expect(listed.map((p) => p.slug)).toEqual(["xp-sp2"]);

    const again = await pauseUpdate(editor, { update: "xp-sp2", reason: "Still investigating the disruption" });
    expect(again.pause.until).toBeNull();
    expect(again.pause.pausedAt.getTime()).toBe(pause.pausedAt.getTime());
    expect((await audits("update.pause")).at(-1)!.before).toMatchObject({ paused: true, reason: "RC2 testers report serious disruption" });
    expect((await getUpdatePause(viewer, "xp-sp2"))?.reason).toBe("Still investigating the disruption");
  });

  it("resumes: audited and announced; resuming again is refused", async () => {
    expect((await rejection(resumeUpdate(viewer, { update: "xp-sp2" }))).status).toBe(403);
    await resumeUpdate(editor, { update: "xp-sp2" });
    expect(await getUpdatePause(viewer, "xp-sp2")).toBeNull();
    expect((await audits("update.resume")).at(-1)!.after).toEqual({ paused: false });
    expect((await events("update.resumed")).at(-1)!.data).toMatchObject({ update: "xp-sp2", by: editor.email });
    const twice = await rejection(resumeUpdate(editor, { update: "xp-sp2" }));
    expect(twice.status).toBe(409);
    expect(await listPausedUpdates(viewer)).toEqual([]);
  });

  it("ends by itself at its end: no longer listed, and resuming is refused as not paused", async () => {
    const until = new Date(Date.now() + 2_000);
    await pauseUpdate(editor, { update: "xp-sp2", reason: "A short stop for the test", until: until.toISOString() });
    expect(await listPausedUpdates(viewer, new Date(until.getTime() - 1))).toHaveLength(1);
    expect(await listPausedUpdates(viewer, until)).toEqual([]);
    expect(await getUpdatePause(viewer, "xp-sp2", new Date(until.getTime() + 1))).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, until.getTime() - Date.now() + 50));
    expect((await rejection(resumeUpdate(editor, { update: "xp-sp2" }))).status).toBe(409);
  });

  it("the routes: 401, 403 by scope, 422 at the field, 200 with the pause, 409 on a second resume", async () => {
    const read = (await createApiToken(system, { name: "reader", scopes: ["read"] })).token;
    const manage = (await createApiToken(system, { name: "manager", scopes: ["manage"] })).token;
    expect((await call(postPause, "xp-sp2", { body: { reason: "Stop now please" } })).status).toBe(401);
    expect((await call(postPause, "xp-sp2", { token: read, body: { reason: "Stop now please" } })).status).toBe(403);
    expect((await call(postPause, "xp-sp2", { token: manage, body: "{" })).status).toBe(400);
    const refused = await call(postPause, "xp-sp2", { token: manage, body: { reason: "Stop now please", until: "2001-01-01T00:00:00Z" } });
    expect(refused.status).toBe(422);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect((await refused.json()).errors).toContainEqual(expect.objectContaining({ path: "until" }));
    expect((await call(postPause, "no-such", { token: manage, body: { reason: "Stop now please" } })).status).toBe(404);
    const paused = await call(postPause, "xp-sp2", { token: manage, body: { reason: "Stop now please" } });
    expect(paused.status).toBe(200);
    expect(await paused.json()).toMatchObject({ update: "xp-sp2", paused: true, reason: "Stop now please", until: null, by: "token:manager" });
    expect((await call(postResume, "xp-sp2", { token: read })).status).toBe(403);
    const resumed = await call(postResume, "xp-sp2", { token: manage });
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toMatchObject({ update: "xp-sp2", paused: false, reason: "Stop now please" });
    expect((await call(postResume, "xp-sp2", { token: manage })).status).toBe(409);
  });
});
