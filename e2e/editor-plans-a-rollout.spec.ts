import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/demo-logins";

const slug = `office-sp-e2e-${Date.now().toString(36)}`;

async function noSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

test("an editor creates a rollout with two waves, previews it, starts the first; a viewer cannot", async ({ page, browser }) => {
  await signIn(page, "editor", "/updates/new");
  await page.goto("/updates/new");
  await page.getByLabel("Title").fill("Office 2003 Service Pack 1");
  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Vendor", { exact: true }).fill("Microsoft");
  await page.getByLabel("Product").fill("Office 2003");
  await page.getByLabel("Kind").selectOption("service_pack");
  await page.getByLabel("Size (MB)").fill("45");
  await page.getByLabel("Applies to operating systems").fill("Windows XP");
  await page.getByRole("button", { name: "Create update" }).click();
  await expect(page).toHaveURL(new RegExp(`/updates/${slug}(\\?created=1)?$`));

  await page.getByLabel("Name", { exact: true }).fill("Final");
  await page.getByLabel("Version", { exact: true }).fill("11.0.6361");
  await page.getByLabel("Kind").selectOption("final");
  await page.getByRole("button", { name: "Add build" }).click();
  await expect(page.getByRole("cell", { name: "11.0.6361" })).toBeVisible();

  await page.getByRole("link", { name: "Plan a rollout" }).click();
  await expect(page.getByRole("heading", { name: /Plan a rollout/ })).toBeVisible();
  await page.locator("#w0-name").fill("Pilot");
  await page.locator("#w0-sample").fill("10");
  await page.getByRole("button", { name: "Add a wave" }).click();
  await page.locator("#w1-name").fill("Everyone else");
  await expect(page.getByRole("button", { name: "Save plan" })).toBeDisabled();
  await page.getByRole("button", { name: "Preview" }).click();
  const preview = page.getByTestId("plan-preview");
  await expect(preview).toBeVisible();
  await expect(preview).toContainText(/not applicable/);
  const counts = await page.getByTestId("preview-wave-devices").allTextContents();
  expect(counts).toHaveLength(2);
  const [pilot, rest] = counts.map((c) => Number(c.replace(/,/g, "")));
  expect(pilot).toBeGreaterThan(0);
  expect(rest).toBeGreaterThan(pilot);
  await noSeriousA11yViolations(page);

  await page.getByRole("button", { name: "Save plan" }).click();
  await expect(page).toHaveURL(/\/rollouts\/\d+\?saved=1$/);
  await expect(page.getByRole("status").filter({ hasText: /Plan saved: [\d,]+ devices in 2 waves/ })).toBeVisible();
  const rolloutUrl = page.url().replace(/\?.*$/, "");
  const waves = page.getByTestId("rollout-wave");
  await expect(waves).toHaveCount(2);
  // Only the first wave may start; the second says whom it waits for.
  await expect(waves.nth(1).getByRole("button", { name: "Start wave" })).toHaveCount(0);
  await expect(waves.nth(1).getByTestId("wave-waits")).toContainText("Waits for wave “Pilot” to start");
  await waves.first().getByRole("button", { name: "Start wave" }).click();
  await expect(waves.first()).toContainText("active");
  // The second wave may not start before the first passed its gate without a written reason.
  await waves.nth(1).getByRole("button", { name: "Start wave" }).click();
  await expect(waves.nth(1)).toContainText(/has not passed its health gate/);
  await expect(waves.nth(1)).toContainText("planned");
  await noSeriousA11yViolations(page);

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, "viewer", new URL(rolloutUrl).pathname);
  await viewer.goto(rolloutUrl);
  await expect(viewer.getByTestId("rollout-wave")).toHaveCount(2);
  await expect(viewer.getByRole("button", { name: "Start wave" })).toHaveCount(0);
  const progress = await viewer.request.get(`/api/v1/rollouts/${rolloutUrl.split("/").pop()}/progress`);
  expect(progress.status()).toBe(200);
  const secondWaveId = (await progress.json()).waves[1].id;
  const refused = await viewer.request.post(`/api/v1/rollouts/${rolloutUrl.split("/").pop()}/waves/${secondWaveId}/actions`, {
    data: { action: "start", reason: "A viewer trying to start a wave" },
    headers: { origin: new URL(rolloutUrl).origin },
  });
  expect(refused.status()).toBe(403);
  await viewer.goto("/rollouts/new?update=" + slug);
  await expect(viewer.getByRole("button", { name: "Save plan" })).toHaveCount(0);
  await viewerContext.close();
});
