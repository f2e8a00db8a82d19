// Axe on every page under app/ for every role (0 serious or critical violations), with real ids
// from the demo seed so detail pages render their content, not a 404. The chart pages are checked
// again with every chart switched to its table, and in dark mode. A new page is covered without
// editing this file.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { appRoutes, concretePath, type AppRoute } from "../test/app-routes";
import { signIn, type DemoRole } from "./support/demo-logins";

const ROLES: DemoRole[] = ["viewer", "helpdesk", "editor", "admin"];
const SLUG = "windows-xp-sp2";
const HOSTNAME = "HQ-WS-0005";
const ADVISORY = "RC-0001";
const CHART_PAGES = ["/", `/updates/${SLUG}`, "/rollouts/[id]"];

const pages = appRoutes().filter((r) => r.kind === "page" && r.pattern !== "/login");

async function seriousViolations(page: Page, where: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

async function firstRolloutId(page: Page): Promise<string> {
  const res = await page.request.get(`/api/v1/rollouts?update=${SLUG}`);
  expect(res.status()).toBe(200);
  const { items } = (await res.json()) as { items: { id: number }[] };
  expect(items.length).toBeGreaterThan(0);
  return String(items[items.length - 1].id);
}

function pathFor(route: AppRoute, rolloutId: string): string {
  const id = route.pattern.startsWith("/rollouts") ? rolloutId : ADVISORY;
  return concretePath(route, { id, slug: SLUG, hostname: HOSTNAME, q: "sp2" }) + (route.pattern === "/search" ? "?q=crm" : "");
}

async function open(page: Page, path: string): Promise<void> {
  const res = await page.goto(path, { waitUntil: "load" });
  expect(res?.status() ?? 0, path).toBeLessThan(500);
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
}

test.describe.configure({ mode: "parallel" });

for (const role of ROLES) {
  test(`every page has no serious or critical axe violation for the ${role}`, async ({ page }) => {
    test.setTimeout(420_000);
    await signIn(page, role);
    const rolloutId = await firstRolloutId(page);
    const failures: string[] = [];
    for (const route of pages) {
      const path = pathFor(route, rolloutId);
      await open(page, path);
      failures.push(...(await seriousViolations(page, `${role} ${path}`)));
    }
    expect(pages.length).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });
}

test("the chart pages stay accessible with every chart shown as a table, and in dark mode", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, "viewer");
  const rolloutId = await firstRolloutId(page);
  const failures: string[] = [];
  for (const pattern of CHART_PAGES) {
    const path = pattern.replace("[id]", rolloutId);
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await open(page, path);
      failures.push(...(await seriousViolations(page, `${path} (${scheme}, charts)`)));
      const toggles = page.getByRole("button", { name: /^Show as table/ });
      const count = await toggles.count();
      for (let i = 0; i < count; i++) await toggles.nth(i).click();
      if (count) await expect(page.getByRole("table").first()).toBeVisible();
      for (let i = 0; i < count; i++) await expect(toggles.nth(i)).toHaveAttribute("aria-pressed", "true");
      failures.push(...(await seriousViolations(page, `${path} (${scheme}, tables)`)));
    }
    if (pattern !== "/") expect(await page.getByRole("button", { name: /^Show as table/ }).count(), path).toBeGreaterThanOrEqual(2);
  }
  expect(failures).toEqual([]);
});

test("the sign-in page has no serious or critical axe violation", async ({ page }) => {
  await page.goto("/login");
  expect(await seriousViolations(page, "/login")).toEqual([]);
});
