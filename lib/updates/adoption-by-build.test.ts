// Installed machines per build over time: the cumulative series per build equals a recount from
// adoption_daily, and the demo's SP2 shows RC1, RC2 and Final.
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { seedDemo, SP2_SLUG } from "@/lib/seed/demo";
import { cumulativeByBuild, getAdoptionByBuild } from "./adoption-by-build";

const known = [
  { id: 3, name: "RC1", version: "1" },
  { id: 5, name: "RC2", version: "2" },
  { id: 9, name: "Final", version: "3" },
];

describe("cumulativeByBuild", () => {
  it("each build's running total on a day is the sum of its installs up to that day; unknown builds fold into one series", () => {
    const row = fc.record({ day: fc.integer({ min: 1, max: 28 }).map((d) => `2004-08-${String(d).padStart(2, "0")}`), buildId: fc.constantFrom(0, 3, 5, 9, 42), installed: fc.integer({ min: -2, max: 6 }) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), (rows) => {
        const { builds, points } = cumulativeByBuild(rows, known);
        const keyOf = (id: number) => (known.some((b) => b.id === id) ? `b${id}` : "b0");
        expect(points.map((p) => p.day)).toEqual([...new Set(rows.filter((r) => r.installed !== 0).map((r) => r.day))].sort());
        for (const p of points) {
          for (const b of builds) {
            const expected = rows.filter((r) => r.installed !== 0 && r.day <= p.day && keyOf(r.buildId) === b.key).reduce((n, r) => n + r.installed, 0);
            expect(p.cumulative[b.key]).toBe(expected);
          }
          expect(p.total).toBe(rows.filter((r) => r.day <= p.day).reduce((n, r) => n + r.installed, 0));
        }
        expect(builds.map((b) => b.key)).toEqual([...known.filter((b) => rows.some((r) => r.installed !== 0 && r.buildId === b.id)).map((b) => `b${b.id}`), ...(rows.some((r) => r.installed !== 0 && keyOf(r.buildId) === "b0") ? ["b0"] : [])]);
      }),
      { numRuns: 200 },
    );
  });
});

describe.each(testDbKinds)("adoption by build of the demo on %s", (kind) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    await seedDemo(handle.db);
  }, 300_000);
  afterAll(() => handle?.close());

  it("ends with today's installed machines per build", async () => {
    const adoption = await getAdoptionByBuild({ kind: "system", label: "test" }, SP2_SLUG);
    expect(adoption.builds.map((b) => b.label.split(" ")[0])).toEqual(["RC1", "RC2", "Final"].filter((n) => adoption.builds.some((b) => b.label.startsWith(n))));
    const last = adoption.points.at(-1)!;
    const current = await queryRows<{ name: string; n: number }>(
      handle.db,
      sql`select b.name, count(*)::int as n from deployments d join builds b on b.id = d.build_id join updates u on u.id = d.update_id
          where u.slug = ${SP2_SLUG} and d.state = 'installed' group by b.name`,
    );
    for (const c of current) expect(last.cumulative[adoption.builds.find((b) => b.label.startsWith(`${c.name} `))!.key]).toBe(c.n);
    expect(current.find((c) => c.name === "RC2")?.n).toBeGreaterThan(0);
  });
});
