import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signIn } from "./support/demo-logins";

test("a viewer sees the SP2 rollout's four waves with their progress on the overview", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  // Other specs may plan rollouts of their own on the same server: look at the demo rollout only.
  const waves = page.getByRole("list", { name: "Waves of XP SP2 rollout" }).getByTestId("wave");
  await expect(waves).toHaveCount(4);
  for (const name of ["0 – IT department pilot", "1 – headquarters", "2 – branch offices", "3 – home workers"]) {
    await expect(page.getByRole("list", { name: "Waves of XP SP2 rollout" }).getByRole("heading", { name })).toBeVisible();
  }
  await expect(waves.first()).toContainText(/installed/i);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test("the health endpoint reports the embedded database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", db: "pglite" });
});
