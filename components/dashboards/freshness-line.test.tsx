import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { FreshnessLine } from "./freshness-line";

describe("FreshnessLine", () => {
  it("says when the replica's numbers are from and how far behind they are", () => {
    const html = renderToStaticMarkup(<FreshnessLine freshness={{ asOf: new Date("2026-12-06T12:03:05Z"), lagSeconds: 2.4 }} />);
    expect(html).toContain("Numbers as of 12:03:05 UTC, 2 s behind");
    expect(renderToStaticMarkup(<FreshnessLine freshness={{ asOf: new Date("2026-12-06T12:03:05Z"), lagSeconds: 0.3 }} />)).toContain("less than 1 s behind");
  });

  it("says nothing when the numbers come from the primary", () => {
    expect(renderToStaticMarkup(<FreshnessLine freshness={null} />)).toBe("");
  });
});
