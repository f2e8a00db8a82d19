// A manager opens the rollout, reads what broke and which waves a known issue would hit, narrows the device export to failed machines and
// downloads the CSV; the filter stays in the URL so the link can be shared.
import { parse } from "csv-parse/sync";
import { expect, test } from "@playwright/test";
import { signIn } from "./support/demo-logins";

test("a viewer filters the rollout's device export to failed machines and downloads it", async ({ page }) => {
  await signIn(page, "viewer");
  const { items } = (await (await page.request.get("/api/v1/rollouts?update=windows-xp-sp2")).json()) as { items: { id: number }[] };
  const rolloutId = items[items.length - 1].id;
  await page.goto(`/rollouts/${rolloutId}`);

  await expect(page.getByTestId("wave-state-chart")).toBeVisible();
  await expect(page.getByTestId("top-error-codes").getByRole("row")).not.toHaveCount(0);
  await expect(page.getByTestId("rollout-alerts")).toContainText("A known issue holds this machine back");
  // Impact analysis: the CRM add-in issue counts machines per wave, each count linking to them.
  const impact = page.getByTestId("rollout-impact");
  await expect(impact.getByRole("columnheader", { name: /RC-\d{4}/ }).first()).toBeVisible();
  await expect(impact.getByRole("link", { name: /devices in .+ affected by RC-\d{4}/ }).first()).toHaveAttribute("href", /\/known-issues\/RC-\d{4}\?wave=\d+#impact/);

  await page.getByRole("button", { name: "Show as table: Failure and rollback rate against the gate" }).click();
  await expect(page.getByRole("table", { name: "Failure and rollback rate per wave against the gate" })).toBeVisible();

  const exportPanel = page.getByTestId("devices-csv-export");
  await exportPanel.getByLabel("State").selectOption("failed");
  await expect(page).toHaveURL(/[?&]state=failed/);
  const link = exportPanel.getByRole("link", { name: "Download devices as CSV" });
  await expect(link).toHaveAttribute("href", `/api/v1/rollouts/${rolloutId}/devices.csv?state=failed`);

  const download = page.waitForEvent("download");
  await link.click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^windows-xp-sp2-rollout-\d+-devices-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = parse(await (await page.request.get(`/api/v1/rollouts/${rolloutId}/devices.csv?state=failed`)).text(), { columns: true }) as { state: string }[];
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((r) => r.state === "failed")).toBe(true);

  await page.reload();
  await expect(page.getByTestId("devices-csv-export").getByLabel("State")).toHaveValue("failed");
});
