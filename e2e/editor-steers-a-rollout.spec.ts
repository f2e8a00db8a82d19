// An editor opens the demo rollout and reads, before any chart, which wave it is at, how its gate
// stands and what to do next; a later wave says why it cannot start yet; the impact table names each
// issue; and planning a second rollout of the same update says one is already open.
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/demo-logins";

const SLUG = "windows-xp-sp2";

async function demoRolloutId(page: Page): Promise<number> {
  const { items } = (await (await page.request.get(`/api/v1/rollouts?update=${SLUG}`)).json()) as { items: { id: number; name: string }[] };
  return items.find((r) => r.name === "XP SP2 rollout")!.id;
}

test("an editor reads what to do now at the top of the rollout and why later waves wait", async ({ page }) => {
  await signIn(page, "editor");
  const id = await demoRolloutId(page);
  await page.goto(`/rollouts/${id}`);

  const now = page.getByTestId("rollout-now");
  await expect(now).toBeVisible();
  await expect(now.getByTestId("now-wave")).toHaveText("Wave “1 – headquarters” is active.");
  await expect(now.getByTestId("now-gate")).toContainText(/^Gate .*% succeeded, .*% failed of [\d,]+ attempted \(needs ≥ 95 % and ≤ 5 % over 20\)\.$/);
  await expect(now).toContainText(/held back by safeguard holds/);
  // Headquarters passed its gate, so the next action is the branch offices' start.
  await expect(now.getByRole("button", { name: "Start wave “2 – branch offices”" })).toBeVisible();

  // The panel comes before the charts.
  const chart = page.getByTestId("wave-state-chart");
  await expect(chart).toBeVisible();
  const [panelBox, chartBox] = [await now.boundingBox(), await chart.boundingBox()];
  expect(panelBox!.y + panelBox!.height).toBeLessThanOrEqual(chartBox!.y);

  // Only the branch offices may start; the home workers say whom they wait for, without a Start button.
  const waves = page.getByTestId("rollout-wave");
  await expect(waves.nth(2).getByRole("button", { name: "Start wave", exact: true })).toBeVisible();
  await expect(waves.nth(3).getByRole("button", { name: /Start wave/ })).toHaveCount(0);
  await expect(waves.nth(3).getByTestId("wave-waits")).toHaveText("Waits for wave “2 – branch offices” to start and pass its gate.");

  // The impact table names each issue: id, title, status, blocking.
  const impact = page.getByTestId("rollout-impact");
  const header = impact.getByRole("columnheader", { name: /RC-\d{4}/ }).first();
  await expect(header).toContainText(/RC-\d{4}.+(Reported|Investigating|Confirmed|Mitigated|Resolved).*(not blocking|blocking)/);

  await page.goto(`/rollouts/new?update=${SLUG}`);
  const open = page.getByTestId("open-rollout");
  await expect(open).toContainText("already has an open rollout");
  await expect(open.getByRole("link", { name: "XP SP2 rollout" })).toHaveAttribute("href", `/rollouts/${id}`);
  await expect(page.getByRole("button", { name: "Save plan" })).toHaveCount(0);
});

test("a viewer reads the same sentences without buttons", async ({ page }) => {
  await signIn(page, "viewer");
  const id = await demoRolloutId(page);
  await page.goto(`/rollouts/${id}`);
  const now = page.getByTestId("rollout-now");
  await expect(now.getByTestId("now-wave")).toHaveText("Wave “1 – headquarters” is active.");
  await expect(now.getByTestId("now-next")).toHaveText("Next: start wave “2 – branch offices” (an editor does this).");
  await expect(now.getByRole("button")).toHaveCount(0);
  await expect(page.getByTestId("rollout-wave").nth(3).getByTestId("wave-waits")).toContainText("Waits for wave “2 – branch offices”");
});
