// An editor stops an update in an emergency: a reason that is too short is refused and kept, the
// pause asks for confirmation (cancelling sends nothing), then every page shows the banner — readable
// by axe and at phone width — until the editor resumes it. The demo's IE update is paused, not SP2,
// so specs running beside this one read the SP2 rollout as the demo left it.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/demo-logins";

const SLUG = "ms04-025-ie-cumulative";
const TITLE = "Cumulative Security Update for Internet Explorer (MS04-025)";

async function seriousViolations(page: Page, where: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${where}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}

test("an editor pauses an update after confirming, every page says so, and resumes it", async ({ page }) => {
  await signIn(page, "editor");
  await page.goto(`/updates/${SLUG}`);
  const control = page.locator("#pause");
  const why = control.getByLabel("Why", { exact: true });
  const pause = control.getByRole("button", { name: "Pause update" });
  expect(await seriousViolations(page, "update page")).toEqual([]);

  await why.fill("no");
  page.once("dialog", (dialog) => void dialog.accept());
  await pause.click();
  await expect(control.getByText(/at least 5 characters/)).toBeVisible();
  await expect(why).toHaveValue("no");

  // Cancelling the confirmation sends nothing.
  await why.fill("The vendor pulled it: it breaks the intranet");
  page.once("dialog", (dialog) => void dialog.dismiss());
  await pause.click();
  await expect(page.getByTestId("paused-updates")).toHaveCount(0);

  let asked = "";
  page.once("dialog", (dialog) => {
    asked = dialog.message();
    void dialog.accept();
  });
  await pause.click();
  await expect(control.getByRole("heading", { name: "Paused" })).toBeVisible();
  expect(asked).toContain("No wave will offer it until it is resumed");
  await expect(control).toContainText("until resumed: The vendor pulled it: it breaks the intranet");
  // After the action the page's metadata streams in again: scan once the title is back, as a reader sees it.
  await expect(page).toHaveTitle(/\S/);
  expect(await seriousViolations(page, "paused update page")).toEqual([]);

  // Every signed-in page shows the banner, accessible and within a phone's width.
  await page.setViewportSize({ width: 360, height: 800 });
  for (const path of ["/", "/devices", "/known-issues"]) {
    await page.goto(path);
    const banner = page.getByTestId("paused-updates");
    await expect(banner).toContainText(TITLE);
    await expect(banner).toContainText("The vendor pulled it: it breaks the intranet");
    expect(await seriousViolations(page, path)).toEqual([]);
    const extra = await page.evaluate(() => {
      const root = document.scrollingElement ?? document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(extra, path).toBeLessThanOrEqual(0);
  }

  // The banner's link leads to the control; resuming asks too, then the banner is gone.
  await page.getByTestId("paused-updates").getByRole("link", { name: TITLE }).click();
  await expect(page).toHaveURL(new RegExp(`/updates/${SLUG}#pause$`));
  page.once("dialog", (dialog) => void dialog.accept());
  await page.locator("#pause").getByRole("button", { name: "Resume update" }).click();
  await expect(page.locator("#pause").getByRole("button", { name: "Pause update" })).toBeVisible();
  await page.goto("/");
  await expect(page.getByTestId("paused-updates")).toHaveCount(0);
});
