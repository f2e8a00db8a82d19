import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LiveStatus } from "./live-status";

describe("LiveStatus", () => {
  it("says when the numbers were read, in UTC with seconds, the same on the server and in the browser", () => {
    const html = renderToStaticMarkup(<LiveStatus updatedAt="2026-12-06T09:04:05.678Z" error={false} />);
    expect(html).toContain("Live: updated 09:04:05 UTC, refreshes every 15 s");
    expect(html).not.toContain("Could not refresh");
  });

  it("announces a failed refresh with the time of the numbers still shown", () => {
    const html = renderToStaticMarkup(<LiveStatus updatedAt="2026-12-06T23:59:59.000Z" error />);
    expect(html).toContain("Could not refresh; showing data from 23:59:59 UTC. Retrying…");
  });
});
