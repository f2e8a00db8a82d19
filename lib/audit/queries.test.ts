import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { AUDIT_PAGE_SIZE, listAuditEntries, parseAuditFilter } from "./queries";

const admin: UserActor = { kind: "user", userId: 1, email: "admin@example.test", name: "", role: "admin" };

describe.each(testDbKinds)("audit log queries on %s", (kind) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    const rows = Array.from({ length: 120 }, (_, i) => ({
      actorLabel: i % 2 ? "admin@example.test" : "token:sccm",
      action: i % 3 ? "user.set_role" : "token.create",
      targetType: i % 3 ? "user" : "api_token",
      targetId: String(i % 5),
      at: new Date(Date.UTC(2026, 0, 1 + (i % 10))),
      after: { n: i },
    }));
    await handle.db.insert(auditEntries).values(rows);
  });
  afterAll(() => handle?.close());

  it("pages newest first without gaps or repeats", async () => {
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await listAuditEntries(admin, { before });
      expect(page.rows.length).toBeLessThanOrEqual(AUDIT_PAGE_SIZE);
      seen.push(...page.rows.map((r) => r.id));
      if (!page.nextBefore) break;
      before = page.nextBefore;
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });

  it("filters by actor, action, action prefix, target and dates", async () => {
    const byActor = await listAuditEntries(admin, { actor: "token:" });
    expect(byActor.rows.every((r) => r.actorLabel === "token:sccm" && r.actorKind === "token")).toBe(true);
    const byAction = await listAuditEntries(admin, { action: "token.create" });
    expect(byAction.rows.length).toBe(40);
    const byPrefix = await listAuditEntries(admin, { action: "user." });
    expect(byPrefix.rows.every((r) => r.action.startsWith("user."))).toBe(true);
    const byTarget = await listAuditEntries(admin, { target: "user:3" });
    expect(byTarget.rows.length).toBeGreaterThan(0);
    expect(byTarget.rows.every((r) => r.targetType === "user" && r.targetId === "3")).toBe(true);
    const byDate = await listAuditEntries(admin, { from: "2026-01-02", to: "2026-01-02" });
    expect(byDate.rows).toHaveLength(12);
    const like = await listAuditEntries(admin, { actor: "%" });
    expect(like.rows).toHaveLength(0);
  });

  it("drops malformed URL filters instead of failing", () => {
    expect(parseAuditFilter({ actor: "x", from: "yesterday", before: "abc", to: ["2026-01-01", "x"] })).toEqual({ actor: "x", to: "2026-01-01" });
  });

  it("is for admins only", async () => {
    await expect(listAuditEntries({ ...admin, role: "editor" }, {})).rejects.toMatchObject({ status: 403 });
  });
});
