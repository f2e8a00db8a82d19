// An editor runs a pilot on a release candidate, then promotes the rollout to the final build; a
// manager (viewer) watching the rollout page sees the wave's build mix change: the machines that
// installed the candidate are now "installed, behind". The spec makes its own update, so specs
// running beside it read the demo's SP2 rollout as the demo left it.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/demo-logins";

const slug = `build-e2e-${Date.now().toString(36)}`;

async function noSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

test("an editor promotes a rollout from RC2 to Final and a manager sees the build mix change", async ({ page, browser }) => {
  await signIn(page, "editor", "/updates/new");
  await page.goto("/updates/new");
  await page.getByLabel("Title").fill("Line-of-business client 4.0");
  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Vendor", { exact: true }).fill("Contoso");
  await page.getByLabel("Product").fill("LOB client");
  await page.getByLabel("Kind").selectOption("application");
  await page.getByLabel("Size (MB)").fill("20");
  await page.getByLabel("Applies to operating systems").fill("Windows XP");
  await page.getByRole("button", { name: "Create update" }).click();
  await expect(page).toHaveURL(new RegExp(`/updates/${slug}(\\?created=1)?$`));
  for (const [name, version, kind] of [
    ["RC2", "4.0.2149", "rc"],
    ["Final", "4.0.2180", "final"],
  ]) {
    await page.locator("#b-name").fill(name);
    await page.locator("#b-version").fill(version);
    await page.locator("#b-kind").selectOption(kind);
    await page.getByRole("button", { name: "Add build" }).click();
    await expect(page.getByRole("cell", { name: version })).toBeVisible();
  }

  // A pilot on RC2: a 10 % sample of the fleet.
  await page.getByRole("link", { name: "Plan a rollout" }).click();
  await page.locator("#plan-build").selectOption({ label: "RC2" });
  await page.locator("#w0-name").fill("Pilot");
  await page.locator("#w0-sample").fill("10");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("plan-preview")).toBeVisible();
  await page.getByRole("button", { name: "Save plan" }).click();
  await expect(page).toHaveURL(/\/rollouts\/\d+\?saved=1$/);
  const rolloutUrl = page.url().replace(/\?.*$/, "");
  const rolloutId = rolloutUrl.split("/").pop();
  const origin = new URL(rolloutUrl).origin;

  // Three pilot machines report RC2 installed (no build named: the build their wave targets).
  const progress = await (await page.request.get(`/api/v1/rollouts/${rolloutId}/progress`)).json();
  const waveId = progress.waves[0].id;
  expect(progress.waves[0].build).toMatchObject({ name: "RC2" });
  const { items } = (await (await page.request.get(`/api/v1/devices?update=${slug}&wave=${waveId}&limit=3`)).json()) as { items: { hostname: string }[] };
  expect(items).toHaveLength(3);
  const occurredAt = new Date(Date.now() - 60_000).toISOString();
  const reported = await page.request.post("/api/v1/status-events", {
    data: items.map((d, i) => ({ device: d.hostname, update: slug, state: "installed", occurredAt, eventId: `${slug}-${i}` })),
    headers: { origin },
  });
  expect(await reported.json()).toMatchObject({ accepted: 3, rejected: [] });

  // The manager sees the pilot on RC2.
  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signIn(manager, "viewer", new URL(rolloutUrl).pathname);
  await manager.goto(rolloutUrl);
  const mix = manager.getByTestId("rollout-wave").first().getByTestId("wave-build-mix");
  await expect(mix).toContainText("Targets build RC2 (4.0.2149)");
  await expect(mix.getByRole("row", { name: /RC2 \(4\.0\.2149\)/ })).toContainText("3");
  await expect(mix.getByTestId("wave-behind")).toHaveCount(0);
  await expect(manager.getByRole("button", { name: "Promote" })).toHaveCount(0);

  // The editor promotes; afterwards there is no newer build to offer.
  await page.goto(rolloutUrl);
  const promote = page.getByRole("form", { name: "Promote to a newer build" });
  await promote.getByLabel("Newer build").selectOption("Final");
  await promote.getByLabel(/Note/).fill("Final is out; the pilot found nothing on RC2");
  await promote.getByRole("button", { name: "Promote" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Promoted to Final: 1 wave targets it now." })).toBeVisible();
  await page.reload();
  await expect(page.getByText("The rollout targets the newest build of its update")).toBeVisible();

  // The manager's page now shows the candidate's machines as installed, behind.
  await manager.reload();
  await expect(mix).toContainText("Targets build Final (4.0.2180)");
  await expect(mix.getByTestId("wave-behind")).toHaveText("3 installed, behind");
  await expect(mix.getByRole("row", { name: /RC2 \(4\.0\.2149\) · behind/ })).toBeVisible();
  await expect(manager.getByTestId("rollout-wave").first()).toContainText(/(^|\D)0 of [\d,]+ installed/);
  await noSeriousA11yViolations(manager);
  await managerContext.close();
});
