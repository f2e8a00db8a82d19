// Email through the outbox's dispatcher against a real SMTP server (smtp-server on 127.0.0.1, with
// AUTH): who gets which event (types × updates, list addresses, disabled users), what a mail says
// (To, Subject, the text and HTML parts with the link), retries while the mail server is down, the
// weekly digest and the overdue-media reminders once per week however many passes and processes run,
// bad subscriptions refused, and email off without SMTP_URL. Both databases.
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { emailDeliveries, updates, users } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { TokenActor, UserActor } from "@/lib/auth/actor";
import { HttpError } from "@/lib/http/problem";
import { startDispatcher, type Dispatcher, type DispatcherOptions } from "@/lib/outbox/dispatcher";
import { emitEvents, wakeDispatchers } from "@/lib/outbox/events";
import { recordMediaSteps } from "@/lib/rollouts/media";
import { saveRolloutPlan } from "@/lib/rollouts/plan";
import { recordSlip } from "@/lib/updates/catalog";
import { addDevices, addKnownIssue, makeCatalog, makeUser, setStates } from "@/test/support/fixtures/catalog";
import { startSmtpReceiver, type SmtpReceiver } from "@/test/support/smtp-receiver";
import { readMailConfig, type MailConfig } from "./mail-config";
import { addListSubscription, deleteListSubscription, getMySubscription, listEmailDeliveries, listListSubscriptions, redeliverEmail, saveMySubscription } from "./subscriptions";

process.env.NEXTAUTH_URL = "https://rollcall.example.test";

const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isoDay = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

describe.each(testDbKinds)("email notifications on %s", (kind) => {
  let handle: DbHandle;
  let smtp: SmtpReceiver;
  let mail: MailConfig;
  let admin: UserActor;
  let editor: UserActor;
  let viewer: UserActor;
  let helpdesk: UserActor;
  let catalog: Awaited<ReturnType<typeof makeCatalog>>;
  let slips = 0;
  const dispatchers: Dispatcher[] = [];

  const dispatcher = (options: DispatcherOptions = {}) => {
    const d = startDispatcher({ db: async () => handle.db, pollMs: 100, mail, weeklyJobsMs: 3_600_000, ...options });
    dispatchers.push(d);
    return d;
  };
  const slip = (update = "xp-sp2") => recordSlip(editor, { update, plannedDate: new Date(Date.UTC(2004, 6, 1) + slips++ * DAY).toISOString().slice(0, 10), note: "vendor moved it" });
  const mailsTo = (address: string) => smtp.received.filter((m) => m.envelopeTo.includes(address));

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    smtp = await startSmtpReceiver();
    mail = readMailConfig({ SMTP_URL: smtp.url, MAIL_FROM: "Rollcall <rollcall@example.test>" })!;
    admin = await makeUser(handle.db, "admin");
    editor = await makeUser(handle.db, "editor");
    viewer = await makeUser(handle.db, "viewer");
    helpdesk = await makeUser(handle.db, "helpdesk");
    catalog = await makeCatalog(handle.db);
    await handle.db.insert(updates).values({ slug: "office-sp1", title: "Office 2003 SP1", vendor: "Microsoft", product: "Office 2003", kind: "service_pack", applicableOsNames: ["Windows XP"] });
  });
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
    await smtp.start().catch(() => undefined);
    smtp.received.length = 0;
    await handle.db.execute(sql`delete from email_subscriptions`);
    await handle.db.execute(sql`update outbox_events set fanned_out_at = now() where fanned_out_at is null`);
    await handle.db.execute(sql`update email_deliveries set status = 'delivered' where status = 'pending'`);
  });
  afterAll(async () => {
    await smtp?.stop();
    await handle?.close();
  });

  it("mails a subscriber the event in one line with its link, as plain text and HTML, from MAIL_FROM, once", async () => {
    await saveMySubscription(viewer, { events: ["update.slipped"], updates: ["xp-sp2"], weeklyDigest: false });
    dispatcher();
    const { plannedDate } = await slip();
    const [got] = await smtp.waitFor(1);
    await sleep(400);
    expect(smtp.received).toHaveLength(1);
    const line = `Windows XP Service Pack 2 slipped: planned release moved from`;
    expect(got.envelopeTo).toEqual([viewer.email]);
    expect(got.to).toBe(viewer.email);
    expect(got.from).toBe("Rollcall <rollcall@example.test>");
    expect(got.subject).toMatch(new RegExp(`^\\[Rollcall\\] ${line} .+ to ${plannedDate}\\.$`));
    expect(got.headers["x-rollcall-event"]).toBe("update.slipped");
    expect(got.headers["message-id"]).toMatch(/^<rollcall-mail-\d+@127\.0\.0\.1>$/);
    expect(got.text.split(/\r?\n/)[0]).toBe(got.subject.replace("[Rollcall] ", ""));
    expect(got.text).toContain("Open in Rollcall: https://rollcall.example.test/updates/xp-sp2");
    expect(got.html).toContain(`<a href="https://rollcall.example.test/updates/xp-sp2">Open in Rollcall</a>`);
    expect(got.html).toContain(`to ${plannedDate}.`);
    const [logged] = await listEmailDeliveries(admin);
    expect(logged).toMatchObject({ kind: "event", eventType: "update.slipped", toAddress: viewer.email, status: "delivered", attempts: 1 });
    expect(logged.lastResponse).toMatch(/^250/);
  });

  it("sends each event only to the subscriptions whose types and updates match; list addresses too; disabled users never", async () => {
    const someone = await makeUser(handle.db, "viewer");
    await saveMySubscription(viewer, { events: ["*"], updates: [], weeklyDigest: false });
    await saveMySubscription(editor, { events: ["update.slipped"], updates: ["office-sp1"], weeklyDigest: false });
    await saveMySubscription(helpdesk, { events: ["known_issue.created", "wave.halted"], updates: [], weeklyDigest: false });
    await saveMySubscription(someone, { events: ["*"], updates: [], weeklyDigest: false });
    await handle.db.update(users).set({ disabled: true }).where(sql`${users.id} = ${someone.userId}`);
    await addListSubscription(admin, { address: "Patch-Team@example.test", events: ["update.slipped"], updates: ["*"], weeklyDigest: false });
    dispatcher();
    await slip("xp-sp2");
    await slip("office-sp1");
    await smtp.waitFor(5);
    await sleep(500);
    const subjects = (address: string) => mailsTo(address).map((m) => m.subject.replace(/ slipped.*/, ""));
    expect(subjects(viewer.email).sort()).toEqual(["[Rollcall] Office 2003 SP1", "[Rollcall] Windows XP Service Pack 2"]);
    expect(subjects(editor.email)).toEqual(["[Rollcall] Office 2003 SP1"]);
    expect(subjects("Patch-Team@example.test").sort()).toEqual(["[Rollcall] Office 2003 SP1", "[Rollcall] Windows XP Service Pack 2"]);
    expect(mailsTo(helpdesk.email)).toHaveLength(0);
    expect(mailsTo(someone.email)).toHaveLength(0);
    expect(smtp.received).toHaveLength(5);
  });

  it("counts a known-issue event for its issue's update, even when the event names only the advisory", async () => {
    const office = (await handle.db.select().from(updates).where(sql`${updates.slug} = 'office-sp1'`))[0];
    await addKnownIssue(handle.db, catalog.update.id, { advisoryId: "RC-XP-1", title: "Firewall blocks the CRM" });
    await addKnownIssue(handle.db, office.id, { advisoryId: "RC-OF-1", title: "Outlook forgets its profile" });
    await saveMySubscription(editor, { events: ["known_issue.status_changed"], updates: ["office-sp1"], weeklyDigest: false });
    dispatcher();
    await handle.db.transaction((tx) =>
      emitEvents(tx, [
        { type: "known_issue.status_changed", path: "/known-issues/RC-XP-1", data: { advisoryId: "RC-XP-1", title: "Firewall blocks the CRM", from: "reported", to: "confirmed" } },
        { type: "known_issue.status_changed", path: "/known-issues/RC-OF-1", data: { advisoryId: "RC-OF-1", title: "Outlook forgets its profile", from: "reported", to: "confirmed" } },
      ]),
    );
    wakeDispatchers();
    const [got] = await smtp.waitFor(1);
    await sleep(400);
    expect(smtp.received).toHaveLength(1);
    expect(got.subject).toBe("[Rollcall] Known issue RC-OF-1 (Outlook forgets its profile) is now confirmed (was reported).");
    expect(got.text).toContain("https://rollcall.example.test/known-issues/RC-OF-1");
  });

  it("keeps a mail pending when the SMTP server refuses the login, marks it dead once its window has passed, and an admin sends it again", async () => {
    await saveMySubscription(viewer, { events: ["update.slipped"], updates: [], weeklyDigest: false });
    const wrong = readMailConfig({ SMTP_URL: smtp.url.replace("mail-secret", "wrong"), MAIL_FROM: "rollcall@example.test" })!;
    dispatcher({ mail: wrong, retryBaseMs: 100, retryWindowMs: 1_000 });
    await slip();
    const deadline = Date.now() + 10_000;
    let [logged] = await listEmailDeliveries(admin);
    while (logged?.status !== "dead" && Date.now() < deadline) {
      await sleep(100);
      [logged] = await listEmailDeliveries(admin);
    }
    expect(logged).toMatchObject({ status: "dead", kind: "event" });
    expect(logged.attempts).toBeGreaterThanOrEqual(2);
    expect(logged.lastResponse).toMatch(/^Could not send: .*(auth|Invalid username or password)/i);
    expect(smtp.received).toHaveLength(0);
    // With the right password, an admin sends it again from the log: delivered once.
    await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
    dispatcher();
    await expect(redeliverEmail(viewer, { id: logged.id })).rejects.toMatchObject({ status: 403 });
    await redeliverEmail(admin, { id: logged.id });
    await smtp.waitFor(1);
    await sleep(300);
    expect(smtp.received).toHaveLength(1);
    expect((await listEmailDeliveries(admin))[0]).toMatchObject({ id: logged.id, status: "delivered" });
  });

  it("keeps a user's choice, refuses unknown event types and updates per field, and gives a token no subscription", async () => {
    await saveMySubscription(viewer, { events: ["wave.halted", "gate.breached", "wave.halted"], updates: ["xp-sp2"], weeklyDigest: "on" } as never);
    expect(await getMySubscription(viewer)).toEqual({ events: ["gate.breached", "wave.halted"], updates: ["xp-sp2"], weeklyDigest: true });
    const refused = (await saveMySubscription(viewer, { events: ["wave.exploded"], updates: [], weeklyDigest: false } as never).catch((e) => e)) as HttpError;
    expect(refused.status).toBe(422);
    expect(refused.extra.errors).toEqual([expect.objectContaining({ path: "events.0", message: expect.stringMatching(/^Unknown event type; use "\*" or one of wave\.started/) })]);
    const unknownUpdate = (await saveMySubscription(viewer, { events: ["*"], updates: ["xp-sp3", "xp-sp2"], weeklyDigest: false }).catch((e) => e)) as HttpError;
    expect(unknownUpdate.status).toBe(422);
    expect(unknownUpdate.extra.errors).toEqual([{ path: "updates", message: "No such update: xp-sp3." }]);
    expect(await getMySubscription(viewer)).toMatchObject({ events: ["gate.breached", "wave.halted"] });
    const token: TokenActor = { kind: "token", tokenId: 1, name: "ci", scopes: ["read"], ownerId: viewer.userId };
    await expect(saveMySubscription(token, { events: ["*"], updates: [], weeklyDigest: false })).rejects.toMatchObject({ status: 403 });
    // List addresses are an admin's: a viewer may not add one; a bad address and a second copy are refused.
    await expect(addListSubscription(viewer, { address: "all@example.test", events: ["*"], updates: [], weeklyDigest: false })).rejects.toMatchObject({ status: 403 });
    await expect(addListSubscription(admin, { address: "not an address", events: ["*"], updates: [], weeklyDigest: false })).rejects.toMatchObject({ status: 422, extra: { errors: [expect.objectContaining({ path: "address" })] } });
    await addListSubscription(admin, { address: "ops@example.test", events: ["*"], updates: [], weeklyDigest: true });
    await expect(addListSubscription(admin, { address: "OPS@example.test", events: ["*"], updates: [], weeklyDigest: false })).rejects.toMatchObject({ status: 409 });
    const [list] = await listListSubscriptions(admin);
    expect(list).toMatchObject({ address: "ops@example.test", events: ["*"], updates: [], weeklyDigest: true });
    await deleteListSubscription(admin, { id: list.id });
    expect(await listListSubscriptions(admin)).toEqual([]);
  });

  it("retries while the mail server is down and delivers once it is back; the change never waits", async () => {
    await saveMySubscription(viewer, { events: ["update.slipped"], updates: [], weeklyDigest: false });
    await smtp.stop();
    dispatcher({ retryBaseMs: 150 });
    const started = Date.now();
    await slip();
    expect(Date.now() - started).toBeLessThan(1_000);
    await sleep(700);
    const [pending] = await listEmailDeliveries(admin);
    expect(pending.status).toBe("pending");
    expect(pending.attempts).toBeGreaterThanOrEqual(2);
    expect(pending.lastResponse).toMatch(/^Could not send: .*ECONNREFUSED/);
    await smtp.start();
    await smtp.waitFor(1, 10_000);
    await sleep(400);
    expect(smtp.received).toHaveLength(1);
    expect((await listEmailDeliveries(admin))[0].status).toBe("delivered");
  });

  it("sends the weekly adoption digest once per week to those who ask, however many passes and processes run", async () => {
    await addDevices(handle.db, catalog, [{ hostname: "DG-1" }, { hostname: "DG-2" }]);
    const { rolloutId } = await saveRolloutPlan(editor, { buildId: catalog.builds[1].id, name: "Digest SP2", waves: [{ name: "All", targeting: { siteIds: [catalog.site("HQ").id] } }] });
    await handle.db.execute(sql`update rollouts set status = 'active' where id = ${rolloutId}`);
    await saveMySubscription(viewer, { events: [], updates: [], weeklyDigest: true });
    await saveMySubscription(editor, { events: ["*"], updates: [], weeklyDigest: false });
    let clock = new Date("2026-12-07T08:00:00Z");
    const now = () => clock;
    const passes = [dispatcher({ weeklyJobsMs: 0, now }), dispatcher({ weeklyJobsMs: 0, now })];
    await smtp.waitFor(1);
    for (let i = 0; i < 3; i++) await Promise.all(passes.map((d) => d.runOnce()));
    await sleep(300);
    expect(smtp.received).toHaveLength(1);
    const [digest] = smtp.received;
    expect(digest.envelopeTo).toEqual([viewer.email]);
    expect(digest.subject).toMatch(/^\[Rollcall\] Rollcall adoption, week 2026-W50: \d+ updates? rolling out$/);
    expect(digest.text).toMatch(/- Windows XP Service Pack 2: \d+ of \d+ installed/);
    expect(digest.html).toContain("<table");
    // Later the same week: nothing new. The next week: one more.
    clock = new Date("2026-12-13T23:00:00Z");
    for (let i = 0; i < 2; i++) await Promise.all(passes.map((d) => d.runOnce()));
    await sleep(200);
    expect(smtp.received).toHaveLength(1);
    clock = new Date("2026-12-14T00:30:00Z");
    await smtp.waitFor(2);
    await Promise.all(passes.map((d) => d.runOnce()));
    await sleep(300);
    expect(smtp.received.map((m) => m.subject.slice(0, 45))).toEqual(["[Rollcall] Rollcall adoption, week 2026-W50: ", "[Rollcall] Rollcall adoption, week 2026-W51: "]);
    const [{ n }] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from ${emailDeliveries} where kind = 'digest'`);
    expect(n).toBe(2);
  });

  it("reminds whoever posted an overdue disc once per week per machine, and stops when the machine installs", async () => {
    await addDevices(handle.db, catalog, [
      { hostname: "RM-HOME-1", site: "Home", channel: "offline_media" },
      { hostname: "RM-HOME-2", site: "Home", channel: "offline_media" },
      { hostname: "RM-HOME-3", site: "Home", channel: "offline_media" },
    ]);
    // One open rollout per update: the digest's is done with.
    await handle.db.execute(sql`update rollouts set status = 'cancelled', cancelled_at = now()`);
    const { rolloutId } = await saveRolloutPlan(editor, { buildId: catalog.builds[1].id, name: "Reminder SP2", waves: [{ name: "Home workers", targeting: { siteIds: [catalog.site("Home").id] } }] });
    await handle.db.execute(sql`update rollouts set status = 'active' where id = ${rolloutId}`);
    await recordMediaSteps(editor, { rolloutId, hostnames: ["RM-HOME-1", "RM-HOME-2"], step: "posted", date: isoDay(20), batch: "CD-1" });
    await recordMediaSteps(admin, { rolloutId, hostnames: ["RM-HOME-3"], step: "posted", date: isoDay(9), batch: "CD-2" });
    let clock = new Date();
    const now = () => clock;
    const passes = [dispatcher({ weeklyJobsMs: 0, now }), dispatcher({ weeklyJobsMs: 0, now })];
    await smtp.waitFor(2);
    for (let i = 0; i < 3; i++) await Promise.all(passes.map((d) => d.runOnce()));
    await sleep(300);
    const reminders = smtp.received.filter((m) => m.headers["x-rollcall-kind"] === "reminder");
    expect(reminders).toHaveLength(2);
    expect(reminders.every((m) => m.envelopeTo[0] === editor.email)).toBe(true);
    expect(reminders.map((m) => m.subject).sort()).toEqual(["[Rollcall] Overdue: RM-HOME-1 (Reminder SP2)", "[Rollcall] Overdue: RM-HOME-2 (Reminder SP2)"]);
    expect(reminders[0].text).toMatch(/has not installed Reminder SP2 \(wave "Home workers"\): its disc was posted on \d{4}-\d\d-\d\d, more than 14 days ago\./);
    expect(reminders[0].html).toMatch(new RegExp(`href="https://rollcall.example.test/rollouts/${rolloutId}/media\\?overdue=1&amp;q=RM-HOME-\\d"`));
    // A week later: RM-HOME-1 installed meanwhile, RM-HOME-2 still overdue (one more), RM-HOME-3 posted 9 days ago is overdue now (16 days): one to its poster.
    await setStates(handle.db, catalog.update.id, { "RM-HOME-1": "installed" });
    clock = new Date(Date.now() + 7 * DAY);
    await smtp.waitFor(4);
    for (let i = 0; i < 2; i++) await Promise.all(passes.map((d) => d.runOnce()));
    await sleep(300);
    const second = smtp.received.filter((m) => m.headers["x-rollcall-kind"] === "reminder").slice(2);
    expect(second.map((m) => [m.envelopeTo[0], m.subject]).sort()).toEqual(
      [
        [editor.email, "[Rollcall] Overdue: RM-HOME-2 (Reminder SP2)"],
        [admin.email, "[Rollcall] Overdue: RM-HOME-3 (Reminder SP2)"],
      ].sort(),
    );
  });

  it("makes no mail while email is off (no SMTP_URL), but keeps subscriptions", async () => {
    await saveMySubscription(viewer, { events: ["*"], updates: [], weeklyDigest: true });
    const [{ before }] = await queryRows<{ before: number }>(handle.db, sql`select count(*)::int as before from ${emailDeliveries}`);
    const off = dispatcher({ mail: null, weeklyJobsMs: 0 });
    await slip();
    await off.runOnce();
    await sleep(300);
    const [{ after }] = await queryRows<{ after: number }>(handle.db, sql`select count(*)::int as after from ${emailDeliveries}`);
    expect(after).toBe(before);
    expect(smtp.received).toHaveLength(0);
    expect((await getMySubscription(viewer)).weeklyDigest).toBe(true);
  });
});
