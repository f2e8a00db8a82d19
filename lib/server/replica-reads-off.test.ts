// Without a replica (the embedded database, or PostgreSQL without DATABASE_REPLICA_URL) nothing changes:
// every read is the primary's, a write notes nothing, pages say nothing about freshness.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb, useDbHandle, type DbHandle } from "@/db/client";
import { configureReplica } from "@/db/replica";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { createUpdate, listUpdates } from "@/lib/updates/catalog";
import { makeUser } from "@/test/support/fixtures/catalog";
import { getReadDb, readFreshness, readSource, replicaHealth, wroteLsnCookieValue, wroteLsnFromCookie } from "./replica-reads";

describe.each(testDbKinds)("without a read replica (%s)", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    await configureReplica(null);
    editor = await makeUser(handle.db, "editor");
  });
  afterAll(() => closeDb());

  it("reads the primary, and the writer sees its write at once", async () => {
    expect(await getReadDb(editor)).toBe(await getDb());
    expect(await readSource(editor)).toEqual({ kind: "primary", reason: "no_replica" });
    await createUpdate(editor, { slug: `no-replica-${kind}`, title: "T", vendor: "V", product: "P", kind: "security", sizeBytes: 1 });
    expect((await listUpdates(editor)).map((u) => u.slug)).toContain(`no-replica-${kind}`);
    expect(await readFreshness(editor)).toBeNull();
    expect(await replicaHealth()).toBeNull();
  });
});

describe("the writer's cookie", () => {
  it("holds a WAL position; anything else counts as no cookie", () => {
    expect(wroteLsnFromCookie(wroteLsnCookieValue(0x16b374d848n))).toBe(0x16b374d848n);
    expect(wroteLsnCookieValue(0x3cef120n)).toBe("3CEF120");
    expect(wroteLsnFromCookie("0/3000060")).toBe(0x3000060n);
    expect(wroteLsnFromCookie("0%2F3000060")).toBe(0x3000060n);
    expect(wroteLsnFromCookie(undefined)).toBeNull();
    expect(wroteLsnFromCookie("'; drop table users")).toBeNull();
    expect(wroteLsnFromCookie("%E0%A4%A")).toBeNull();
  });
});
