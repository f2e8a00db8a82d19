import { expect, test, type Locator, type Page } from "@playwright/test";
import { signIn } from "./support/demo-logins";

// A home worker calls: the CD-ROM posted to them arrived. Helpdesk finds the machine among the home
// workers' posted discs, records "received" (check, then apply), and the wave's counts move (issue #21).
async function demoRolloutId(page: Page): Promise<number> {
  const { items } = (await (await page.request.get("/api/v1/rollouts?update=windows-xp-sp2")).json()) as { items: { id: number; name: string }[] };
  return items.find((r) => r.name === "XP SP2 rollout")!.id;
}

const count = async (item: Locator) => Number((await item.textContent())?.match(/([\d,]+)\s*$/)?.[1].replace(/,/g, "") ?? NaN);

test("a helpdesk user records that a caller's disc arrived, and the wave's counts move", async ({ page }) => {
  await signIn(page, "helpdesk");
  const id = await demoRolloutId(page);
  await page.goto(`/rollouts/${id}`);
  const section = page.getByRole("region", { name: "Offline media for 3 – home workers" });
  await expect(section).toBeVisible();
  await expect(section.getByRole("link", { name: /overdue/ }).first()).toBeVisible();
  const received = await count(section.getByTestId("media-count-received"));
  const posted = await count(section.getByTestId("media-count-posted"));
  expect(posted).toBeGreaterThan(0);

  // The list of posted discs in the home workers' wave; the caller is the first of them.
  await section.getByTestId("media-count-posted").getByRole("link").click();
  await expect(page).toHaveURL(/\/rollouts\/\d+\/media\?wave=\d+&step=posted/);
  const caller = (await page.getByTestId("media-row").first().getByRole("link").textContent())!.trim();
  expect(caller).toMatch(/^HOME-/);

  // Helpdesk may record received and appointments only.
  const step = page.getByLabel("Step to record");
  await expect(step.locator("option")).toHaveText(["Received", "Appointment booked"]);
  await page.getByLabel("…or paste hostnames").fill(`${caller}\nNO-SUCH-HOST`);
  await page.getByRole("button", { name: "Check" }).click();
  const answer = page.getByTestId("media-answer");
  await expect(answer).toContainText("2 hostnames, 1 good, 1 refused. Nothing was written yet.");
  await expect(answer.getByRole("row", { name: /NO-SUCH-HOST/ })).toContainText('Unknown hostname "NO-SUCH-HOST"');
  await page.getByRole("button", { name: "Apply to 1 good rows" }).click();
  await expect(page.getByRole("status").filter({ hasText: 'Recorded "received" for 1 machines.' })).toBeVisible();

  // The machine's page shows the step with who recorded it.
  await page.goto(`/devices/${caller}`);
  // Other specs may plan more rollouts that reach this machine: read the SP2 rollout's journey.
  const journey = page.getByRole("region", { name: "Media journey in XP SP2" });
  await expect(journey.getByTestId("media-journey-step")).toHaveText("Received");
  await expect(journey.getByRole("row", { name: /Received/ })).toContainText("helpdesk@");

  // And the wave's counts moved.
  await page.goto(`/rollouts/${id}`);
  const after = page.getByRole("region", { name: "Offline media for 3 – home workers" });
  await expect(after.getByTestId("media-count-received")).toHaveText(new RegExp(`Received: ${(received + 1).toLocaleString("en")}$`));
  await expect(after.getByTestId("media-count-posted")).toHaveText(new RegExp(`Posted: ${(posted - 1).toLocaleString("en")}$`));
});
