// The banner every signed-in page shows while an update is paused: nothing when none is, else each
// paused update with its link, since when, by whom, until when and why.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PausedUpdatesBanner } from "./paused-banner";

describe("the paused-updates banner", () => {
  it("renders nothing while no update is paused", () => {
    expect(renderToStaticMarkup(<PausedUpdatesBanner paused={[]} />)).toBe("");
  });

  it("names each paused update with its link, who, until when and why", () => {
    const html = renderToStaticMarkup(
      <PausedUpdatesBanner
        paused={[
          { slug: "xp-sp2", title: "Windows XP Service Pack 2", pausedAt: new Date("2004-08-25T09:00:00Z"), reason: "RC2 testers report serious disruption", until: null, by: "editor@demo.rollcall.local" },
          { slug: "ie-fix", title: "IE fix", pausedAt: new Date("2004-08-25T10:00:00Z"), reason: "Vendor pulled it", until: new Date("2004-08-27T00:00:00Z"), by: null },
        ]}
      />,
    );
    expect(html).toContain("2 updates are paused");
    expect(html).toContain('href="/updates/xp-sp2#pause"');
    expect(html).toContain("Windows XP Service Pack 2");
    expect(html).toContain("by editor@demo.rollcall.local, until resumed: RC2 testers report serious disruption");
    expect(html).toMatch(/IE fix<\/a> paused [^,]+, until [^:]+.*Vendor pulled it/);
  });
});
