// The demo seed writes one login per role to <data dir>/demo-logins.txt; specs sign in with them.
import { expect, type Page } from "@playwright/test";
import { demoLoginFor } from "../../db/seed/demo-logins";

export type DemoRole = "admin" | "editor" | "helpdesk" | "viewer";

export function demoLogin(role: DemoRole): { email: string; password: string } {
  return demoLoginFor(process.env.E2E_DATA_DIR || ".data-e2e", role);
}

export async function signIn(page: Page, role: DemoRole, next = "/"): Promise<void> {
  const { email, password } = demoLogin(role);
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).not.toHaveURL(/\/login/);
}
