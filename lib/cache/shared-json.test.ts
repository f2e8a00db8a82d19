import { describe, expect, it } from "vitest";
import { sharedJson } from "./shared-json";

describe("sharedJson", () => {
  it("is the JSON of the value, the same string for every viewer of one read", () => {
    const read = { generatedAt: "2026-12-06T09:04:05.000Z", updates: [{ slug: "sp2", totals: { installed: 3 } }] };
    const first = sharedJson(read);
    expect(JSON.parse(first)).toEqual(read);
    expect(sharedJson(read)).toBe(first);
  });

  it("makes each read's JSON from that read: a newer read is not answered with an older one's", () => {
    expect(sharedJson({ n: 1 })).toBe('{"n":1}');
    expect(sharedJson({ n: 2 })).toBe('{"n":2}');
  });
});
