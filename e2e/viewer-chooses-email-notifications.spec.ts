import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/demo-logins";

// A viewer opens Notifications from beside their name, learns email is off on this server (no
// SMTP_URL in the e2e run), picks two event types for XP SP2 and the weekly digest, and finds them
// kept; an unknown update sent by hand is refused. An admin adds a list address after a typo.
// (issue #19 item 4)
async function noSeriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
}

test("a viewer chooses which events they are emailed, and the choice is kept while email is off", async ({ page }) => {
  await signIn(page, "viewer");
  await page.getByRole("link", { name: "Notifications" }).click();
  await expect(page).toHaveURL(/\/settings\/notifications$/);
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  await expect(page.getByTestId("email-off")).toContainText("Email is off");
  // A viewer has no list addresses or delivery log.
  await expect(page.getByRole("heading", { name: "List addresses" })).toHaveCount(0);

  await page.getByLabel("wave.halted").check();
  await page.getByLabel("gate.breached").check();
  await page.getByLabel("Every update").uncheck();
  await page.getByLabel("Windows XP Service Pack 2", { exact: true }).check();
  await page.getByLabel("Weekly adoption digest").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved. Email is off on this server" })).toBeVisible();

  await page.reload();
  await expect(page.getByLabel("wave.halted")).toBeChecked();
  await expect(page.getByLabel("gate.breached")).toBeChecked();
  await expect(page.getByLabel("wave.started")).not.toBeChecked();
  await expect(page.getByLabel("Windows XP Service Pack 2", { exact: true })).toBeChecked();
  await expect(page.getByLabel("Every update")).not.toBeChecked();
  await expect(page.getByLabel("Weekly adoption digest")).toBeChecked();
  await noSeriousViolations(page);
  await page.setViewportSize({ width: 360, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});

test("an admin adds a list address after a typo, and sees the email delivery log", async ({ page }) => {
  await signIn(page, "admin", "/settings/notifications");
  await page.goto("/settings/notifications");
  await expect(page.getByRole("heading", { name: "List addresses" })).toBeVisible();
  await expect(page.getByRole("table", { name: "The newest 50 mails, newest first" })).toBeVisible();
  const form = page.getByRole("form", { name: "Add a list address" });
  await form.getByLabel("Address").fill("patch-team.example.com");
  await form.getByLabel("known_issue.created").check();
  await form.getByRole("button", { name: "Add list address" }).click();
  await expect(form.getByText("Enter an email address, e.g. patch-team@example.com.")).toBeVisible();
  // The refused form keeps what was typed and ticked.
  await expect(form.getByLabel("Address")).toHaveValue("patch-team.example.com");
  await expect(form.getByLabel("known_issue.created")).toBeChecked();
  await form.getByLabel("Address").fill("patch-team@example.com");
  await form.getByRole("button", { name: "Add list address" }).click();
  await expect(page.getByRole("status").filter({ hasText: "List address added." })).toBeVisible();
  await expect(page.getByRole("row", { name: /patch-team@example\.com/ })).toContainText("known_issue.created · every update");
  await noSeriousViolations(page);
  // At phone width nothing scrolls sideways: the tables scroll in their own box.
  await page.setViewportSize({ width: 360, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
