// A rollout's top error codes: an error code reported without a message reads as the one "none"
// mark every page uses, an em dash.
import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, it } from "vitest";
import { TopProblems } from "./top-problems";

it("an error code without an example message shows an em dash, and counts with thousands separators", () => {
  const html = renderToStaticMarkup(
    h(TopProblems, { errorCodes: [{ errorCode: "0x80070070", devices: 12_345, failed: 12_000, rolledBack: 345, message: null }], alerts: [], updateSlug: "windows-xp-sp2" }),
  );
  expect(html).toContain(">—</td>");
  expect(html).not.toContain("–");
  expect(html).toContain(">12,345</td>");
});
