import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildTsQuery, escapeLike, parseErrorCode, parseKb, parseSearchQuery } from "./query";

describe("reading the one-box query", () => {
  it("recognises error codes in the spellings people type", () => {
    expect(parseErrorCode("0x80070005")?.canonical).toBe("0x80070005");
    expect(parseErrorCode("80070005")?.canonical).toBe("0x80070005");
    expect(parseErrorCode("0x8007000e")?.canonical).toBe("0x8007000E");
    expect(parseErrorCode("0x7E")?.canonical).toBe("0x0000007E");
    expect(parseErrorCode("0x8007000e")?.variants).toEqual(expect.arrayContaining(["0x8007000E", "0x8007000e"]));
    expect(parseErrorCode("deadbeef")).toBeNull();
    expect(parseErrorCode("HQ-WS-0001")).toBeNull();
  });

  it("recognises KB numbers", () => {
    expect(parseKb("KB835935")?.canonical).toBe("KB835935");
    expect(parseKb("kb 835935")?.canonical).toBe("KB835935");
    expect(parseKb("835935")?.variants).toContain("KB835935");
    expect(parseKb("1234")).toBeNull();
    expect(parseKb("80070005")).toBeNull();
  });

  it("recognises advisory ids and keeps short queries out", () => {
    expect(parseSearchQuery("rc-7")?.advisoryId).toBe("RC-0007");
    expect(parseSearchQuery(" x ")).toBeNull();
    expect(parseSearchQuery("  HQ-WS   0001 ")?.text).toBe("HQ-WS 0001");
  });

  it("escapes LIKE wildcards so % and _ match themselves", () => {
    expect(escapeLike("50%_off\\")).toBe("50\\%\\_off\\\\");
    expect(parseSearchQuery("a_b")?.contains).toBe("%a\\_b%");
  });

  it("builds a prefix tsquery from letters and digits only (property: never tsquery syntax)", () => {
    expect(buildTsQuery("Outlook CRM toolbar!")).toBe("outlook:* & crm:* & toolbar:*");
    expect(buildTsQuery("&|!():*<->")).toBeNull();
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const q = buildTsQuery(text);
        if (q !== null) expect(q).toMatch(/^[\p{L}\p{N}]+:\*(?: & [\p{L}\p{N}]+:\*)*$/u);
      }),
    );
  });
});
