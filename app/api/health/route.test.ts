import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, openPostgres, useDbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { GET } from "./route";

describe.each(testDbKinds)("GET /api/health on %s", (kind) => {
  beforeAll(async () => useDbHandle(await createTestDb(kind)));
  afterAll(() => closeDb());

  it("answers 200 with the database kind when the database is up", async () => {
    const res = await GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", db: kind });
  });
});

describe("GET /api/health with the database down", () => {
  afterAll(() => closeDb());

  it("answers 503 with Retry-After, not a crash", async () => {
    // Nothing listens on port 1: the connection is refused.
    useDbHandle(openPostgres("postgres://postgres@127.0.0.1:1/rollcall"));
    const res = await GET();
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await res.json()).toEqual({ status: "unavailable" });
  });
});
