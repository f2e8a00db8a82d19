// The demo seed writes one login per role to <data dir>/demo-logins.txt; specs sign in with them.
import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";

export type DemoRole = "admin" | "editor" | "helpdesk" | "viewer";

export function demoLogin(role: DemoRole): { email: string; password: string } {
  const file = path.join(process.env.E2E_DATA_DIR || ".data-e2e", "demo-logins.txt");
  const line = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .find(([r]) => r === role);
  if (!line) throw new Error(`no demo login for ${role} in ${file}`);
  return { email: line[1], password: line[2] };
}

export async function signIn(page: Page, role: DemoRole, next = "/"): Promise<void> {
  const { email, password } = demoLogin(role);
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).not.toHaveURL(/\/login/);
}
