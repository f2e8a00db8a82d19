import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { demoLogin, signIn, type DemoRole } from "./support/demo-logins";

const ROLES: DemoRole[] = ["viewer", "helpdesk", "editor", "admin"];

test.describe.configure({ timeout: 120_000 });

for (const role of ROLES) {
  test(`the ${role} signs in, sees the overview, and ${role === "admin" ? "can" : "cannot"} open the admin pages`, async ({ page }) => {
    await signIn(page, role, "/");
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    await expect(page.getByText(`(${role})`)).toBeVisible();
    const adminLink = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" });
    if (role === "admin") {
      await expect(adminLink).toBeVisible();
      for (const [path, heading] of [["/admin/users", "Users"], ["/admin/tokens", "Tokens"], ["/admin/audit", "Entries"]] as const) {
        const res = await page.goto(path);
        expect(res?.status()).toBe(200);
        await expect(page.getByRole("heading", { name: heading, exact: true })).toBeVisible();
      }
      await page.goto("/admin/users");
      expect(await page.getByTestId("user-row").count()).toBeGreaterThanOrEqual(4);
      await expect(page.locator("body")).not.toContainText("argon2");
    } else {
      await expect(adminLink).toHaveCount(0);
      for (const path of ["/admin/users", "/admin/tokens", "/admin/audit"]) {
        const res = await page.goto(path);
        expect(res?.status()).toBe(403);
        await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
      }
    }
  });
}

test("a wrong password and an unknown email get the same generic message; the page is accessible", async ({ page }) => {
  const { email } = demoLogin("viewer");
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Sign in to Rollcall" })).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  for (const address of [email, "nobody-at-all@demo.rollcall.local"]) {
    await page.getByLabel("Email").fill(address);
    await page.getByLabel("Password").fill("definitely not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#main").getByRole("alert")).toHaveText("Email or password is wrong.");
    await expect(page).toHaveURL(/\/login/);
  }
});

test("anonymous visitors go to /login?next= and come back after signing in", async ({ page }) => {
  await page.goto("/admin/audit?action=user.sign_in");
  await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Faudit%3Faction%3Duser.sign_in/);
  const { email, password } = demoLogin("admin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/audit\?action=user.sign_in$/);
  await expect(page.getByTestId("audit-row").first()).toContainText("user.sign_in");
});

test("sign-out ends the session", async ({ page }) => {
  await signIn(page, "viewer", "/");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
});
