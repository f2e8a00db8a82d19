import { describe, expect, it } from "vitest";
import { firstValue, firstValues } from "./query";

describe("firstValue / firstValues", () => {
  it("takes a parameter's only or first value, and leaves an absent one absent", () => {
    expect(firstValue("pc-01")).toBe("pc-01");
    expect(firstValue(["RC-0001", "RC-0002"])).toBe("RC-0001");
    expect(firstValue([])).toBeUndefined();
    expect(firstValue(undefined)).toBeUndefined();
  });

  it("flattens every parameter, empty text included (a filter schema decides what empty means)", () => {
    expect(firstValues({ status: ["confirmed", "resolved"], q: "", page: "2", view: undefined })).toEqual({ status: "confirmed", q: "", page: "2", view: undefined });
  });
});
