import { expect, it } from "vitest";
import { csvAttachment } from "./csv-response";

it("answers CSV as a named, uncached, unsniffed download", async () => {
  const res = csvAttachment("hostname,state\r\nPC-1,installed\r\n", "rollout-7-mailing-list.csv");
  expect(res.status).toBe(200);
  expect(Object.fromEntries(res.headers)).toEqual({
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": 'attachment; filename="rollout-7-mailing-list.csv"',
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  expect(await res.text()).toBe("hostname,state\r\nPC-1,installed\r\n");
});
