import { expect, test, type Browser } from "@playwright/test";
import { signIn } from "./support/demo-logins";

// Two browsers and several server round trips: give a busy machine time.
test.describe.configure({ timeout: 180_000 });

async function signInAs(browser: Browser, email: string, password: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  return { context, page };
}

test("an admin creates a user; disabling them signs them out on their next request; the audit log shows it", async ({ page, browser }) => {
  const email = `temp-${Date.now()}@demo.rollcall.local`;
  await signIn(page, "admin", "/admin/users");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("editor");
  await page.getByRole("button", { name: "Add user" }).click();
  const secret = page.getByTestId("one-time-secret");
  await expect(secret).toBeVisible();
  const password = (await secret.textContent())!.trim();
  expect(password).toHaveLength(20);

  const user = await signInAs(browser, email, password);
  await expect(user.page.getByText("(editor)")).toBeVisible();

  await page.reload();
  const row = page.getByTestId("user-row").filter({ hasText: email });
  await row.getByRole("button", { name: `Disable ${email}` }).click();
  await expect(row.getByText("disabled", { exact: true })).toBeVisible();

  await user.page.goto("/");
  await expect(user.page).toHaveURL(/\/login/);
  const api = await user.page.request.get("/api/v1/overview");
  expect(api.status()).toBe(401);
  await user.context.close();

  await page.goto(`/admin/audit?action=user.disable`);
  await expect(page.getByTestId("audit-row").first()).toContainText("user.disable");
});

test("a weak password is refused with the reason, nothing is created", async ({ page }) => {
  await signIn(page, "admin", "/admin/users");
  const before = await page.getByTestId("user-row").count();
  await page.getByLabel("Email", { exact: true }).fill(`weak-${Date.now()}@demo.rollcall.local`);
  await page.getByLabel(/^Password/).fill("qwerty123456");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.locator("#new-password-error")).toContainText("commonly used");
  await page.reload();
  await expect(page.getByTestId("user-row")).toHaveCount(before);
});

test("an admin creates a token shown once, it works on the API, and after revoking it gets 401", async ({ page, playwright }) => {
  await signIn(page, "admin", "/admin/tokens");
  const name = `e2e-reader-${Date.now()}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("checkbox", { name: /read/ }).first().check();
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("one-time-secret").textContent())!.trim();
  expect(token).toMatch(/^rc_[A-Za-z0-9_-]{43}$/);

  const api = await playwright.request.newContext({ baseURL: new URL(page.url()).origin });
  const ok = await api.get("/api/v1/overview", { headers: { authorization: `Bearer ${token}` } });
  expect(ok.status()).toBe(200);
  const denied = await api.post("/api/v1/status-events", { headers: { authorization: `Bearer ${token}` }, data: [] });
  expect(denied.status()).toBe(403);
  expect(denied.headers()["content-type"]).toContain("application/problem+json");

  await page.reload();
  await expect(page.locator("body")).not.toContainText(token);
  const row = page.getByTestId("token-row").filter({ hasText: name });
  await expect(row).toContainText(/UTC/); // last used is shown
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: `Revoke token ${name}` }).click();
  await expect(row.getByText("revoked")).toBeVisible();
  const after = await api.get("/api/v1/overview", { headers: { authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
  await api.dispose();
});
