// The header row of a chart's table stays in view while the chart box scrolls: no inner box that
// would catch the sticky header, and row headers do not stick.
import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Table, Td, Th } from "./table";

const render = (extra: Record<string, unknown>) =>
  renderToStaticMarkup(
    h(
      Table,
      { caption: "Sites", ...extra },
      h("thead", null, h("tr", null, h(Th, null, "Site"), h(Th, { numeric: true }, "Devices"))),
      h("tbody", null, h("tr", null, h(Th, { scope: "row" }, "Leeds"), h(Td, { numeric: true }, "1,204"))),
    ),
  );

describe("Table", () => {
  it("a sticky header sticks to the box that scrolls: no scroll box of its own, and only header-row cells stick", () => {
    const html = render({ stickyHeader: true });
    expect(html.startsWith("<table")).toBe(true);
    expect(html).toContain("[&amp;_thead_th]:sticky");
    expect(html).not.toMatch(/\[&amp;_th\]:sticky/);
  });

  it("a wide table scrolls in its own box that keyboard users can reach and screen readers name, and that clips hidden text", () => {
    const html = render({});
    const box = html.slice(0, html.indexOf("<table"));
    expect(box).toContain('tabindex="0"');
    expect(box).toContain('role="region"');
    expect(box).toContain('aria-label="Sites"');
    expect(box).toMatch(/class="relative [^"]*overflow-x-auto/);
  });
});
