// Every page at phone widths (360 and 390 px): nothing scrolls sideways — wide tables scroll inside
// their own box — and axe still finds no serious or critical violation, also in dark mode. The admin
// sees every page; a new page is covered without editing this file.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { appRoutes, concretePath, type AppRoute } from "../test/app-routes";
import { signIn } from "./support/demo-logins";

const SLUG = "windows-xp-sp2";
const pages = appRoutes().filter((r) => r.kind === "page" && r.pattern !== "/login");

async function rolloutId(page: Page): Promise<string> {
  const res = await page.request.get(`/api/v1/rollouts?update=${SLUG}`);
  const { items } = (await res.json()) as { items: { id: number }[] };
  return String(items[items.length - 1].id);
}

function pathFor(route: AppRoute, id: string): string {
  const param = route.pattern.startsWith("/rollouts") ? id : "RC-0001";
  return concretePath(route, { id: param, slug: SLUG, hostname: "HQ-WS-0005", q: "sp2" }) + (route.pattern === "/search" ? "?q=crm" : "");
}

/** How far the page reaches past the window's right edge, in CSS pixels (0 = fits). */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}

test.describe.configure({ mode: "parallel" });

for (const width of [360, 390]) {
  test(`no page scrolls sideways at ${width} px`, async ({ page }) => {
    test.setTimeout(300_000);
    await page.setViewportSize({ width, height: 800 });
    await signIn(page, "admin");
    const id = await rolloutId(page);
    const wide: string[] = [];
    for (const route of pages) {
      const path = pathFor(route, id);
      const res = await page.goto(path, { waitUntil: "load" });
      expect(res?.status() ?? 0, path).toBeLessThan(500);
      await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
      // Streamed parts (charts, impact analysis) replace their skeletons before the page is measured.
      await expect(page.locator(".animate-pulse")).toHaveCount(0, { timeout: 15_000 });
      const extra = await overflow(page);
      if (extra > 0) wide.push(`${path}: ${extra}px too wide`);
    }
    expect(pages.length).toBeGreaterThan(10);
    expect(wide).toEqual([]);
  });
}

test("pages at 390 px in dark mode have no serious or critical axe violation", async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: "dark" });
  await signIn(page, "admin");
  const id = await rolloutId(page);
  const failures: string[] = [];
  for (const route of pages) {
    const path = pathFor(route, id);
    await page.goto(path, { waitUntil: "load" });
    const results = await new AxeBuilder({ page }).analyze();
    failures.push(
      ...results.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${path}: ${v.id} ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`),
    );
  }
  expect(failures).toEqual([]);
});
