// An editor fills in a long form, one field is refused, and nothing else typed is lost: the
// message stands next to that field once, every other field keeps its value, and after the fix
// the page confirms what happened.
import { expect, test } from "@playwright/test";
import { signIn } from "./support/demo-logins";

test("a refused New update form keeps all ten fields, proposes the slug from the title and confirms the creation", async ({ page }) => {
  await signIn(page, "editor", "/updates/new");
  await page.goto("/updates/new");
  const stamp = Date.now().toString(36);
  const title = `Office XP Service Pack 3 ${stamp}`;
  await page.getByLabel("Title").fill(title);
  // The slug follows the title until the editor types one.
  await expect(page.getByLabel("Slug")).toHaveValue(`office-xp-service-pack-3-${stamp}`);
  await page.getByLabel("Slug").fill("Not A Slug");
  await page.getByLabel("Vendor", { exact: true }).fill("Microsoft");
  await page.getByLabel("Product").fill("Office XP");
  await page.getByLabel("Kind").selectOption("service_pack");
  await page.getByLabel("KB number (optional)").fill("KB832671");
  await page.getByLabel("Size (MB)").fill("95.5");
  await page.getByLabel("Planned release date (optional)").fill("2026-12-20");
  await page.getByLabel("Applies to operating systems").fill("Windows XP, Windows 2000");
  await page.getByLabel("Vendor status").fill("Announced");
  await page.getByLabel("Description").fill("**SP3** for Office XP: security fixes.");
  await page.getByRole("button", { name: "Create update" }).click();

  const slugError = page.locator("#u-slug-error");
  await expect(slugError).toContainText("Lower-case letters");
  await expect(page.getByLabel("Slug")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Lower-case letters, digits and single dashes", { exact: false })).toHaveCount(1);
  await expect(page.getByLabel("Title")).toHaveValue(title);
  await expect(page.getByLabel("Slug")).toHaveValue("Not A Slug");
  await expect(page.getByLabel("Vendor", { exact: true })).toHaveValue("Microsoft");
  await expect(page.getByLabel("Product")).toHaveValue("Office XP");
  await expect(page.getByLabel("Kind")).toHaveValue("service_pack");
  await expect(page.getByLabel("KB number (optional)")).toHaveValue("KB832671");
  await expect(page.getByLabel("Size (MB)")).toHaveValue("95.5");
  await expect(page.getByLabel("Planned release date (optional)")).toHaveValue("2026-12-20");
  await expect(page.getByLabel("Applies to operating systems")).toHaveValue("Windows XP, Windows 2000");
  await expect(page.getByLabel("Vendor status")).toHaveValue("Announced");
  await expect(page.getByLabel("Description")).toHaveValue("**SP3** for Office XP: security fixes.");

  await page.getByLabel("Slug").fill(`office-xp-sp3-${stamp}`);
  await page.getByRole("button", { name: "Create update" }).click();
  await expect(page).toHaveURL(new RegExp(`/updates/office-xp-sp3-${stamp}\\?created=1`));
  await expect(page.getByRole("status").filter({ hasText: "Update created" })).toBeVisible();
  // The description is Markdown: bold, not asterisks.
  await expect(page.locator("strong", { hasText: "SP3" })).toBeVisible();
  await expect(page.getByText("**SP3**")).toHaveCount(0);

  // Add a build with a name that exists: refused next to the name, the version kept.
  await page.getByLabel("Name", { exact: true }).fill("Final");
  await page.getByLabel("Version", { exact: true }).fill("10.0.6626.0");
  await page.getByRole("button", { name: "Add build" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Build Final added." })).toBeVisible();
  await expect(page.getByLabel("Version", { exact: true })).toHaveValue("");
  await page.getByLabel("Name", { exact: true }).fill("Final");
  await page.getByLabel("Version", { exact: true }).fill("10.0.6626.1");
  await page.getByRole("button", { name: "Add build" }).click();
  await expect(page.locator("#b-name-error")).toContainText('already has a build named "Final"');
  await expect(page.getByLabel("Version", { exact: true })).toHaveValue("10.0.6626.1");
});
