// Screenshots of the overview, update and rollout pages for the README (docs/screenshots/*.png).
// Starts nothing: point it at a running server and the data directory holding its demo logins.
//
//   npx tsx scripts/screenshots.ts --base-url http://127.0.0.1:3105 --data-dir .data-dash [--out docs/screenshots] [--role viewer]
//
// Not run by the tests. Uses Debian's Chromium (CHROMIUM_PATH overrides /usr/bin/chromium).
import fs from "node:fs";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { demoLoginFor } from "../db/seed/demo-logins";
import type { Role } from "../db/schema";

type Options = { baseUrl: string; dataDir: string; out: string; role: string };

function parseArgs(argv: string[]): Options {
  const options: Partial<Options> = { out: "docs/screenshots", role: "viewer" };
  const keys: Record<string, keyof Options> = { "--base-url": "baseUrl", "--data-dir": "dataDir", "--out": "out", "--role": "role" };
  for (let i = 0; i < argv.length; i++) {
    const key = keys[argv[i]];
    const value = argv[i + 1];
    if (!key || value === undefined || value.startsWith("--")) {
      throw new Error(`unknown or incomplete argument: ${argv[i]}`);
    }
    options[key] = value;
    i++;
  }
  if (!options.baseUrl || !options.dataDir) throw new Error("--base-url and --data-dir are required");
  return options as Options;
}

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  // Charts measure their box after hydration; give them a frame or two.
  await page.waitForTimeout(500);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const base = options.baseUrl.replace(/\/$/, "");
  const login = demoLoginFor(options.dataDir, options.role as Role);
  fs.mkdirSync(options.out, { recursive: true });

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel(/email/i).fill(login.email);
    await page.getByLabel(/password/i).fill(login.password);
    await page.getByRole("button", { name: /sign in/i }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));

    const rollouts = await page.request.get(`${base}/api/v1/rollouts`);
    if (!rollouts.ok()) throw new Error(`GET /api/v1/rollouts answered ${rollouts.status()}`);
    const { items } = (await rollouts.json()) as { items: { id: number; status: string; update: { slug: string } }[] };
    const rollout = items.find((r) => r.status === "active") ?? items[0];
    if (!rollout) throw new Error("no rollout to show; seed the demo first");

    const shots: [string, string][] = [
      ["overview.png", "/"],
      ["update.png", `/updates/${rollout.update.slug}`],
      ["rollout.png", `/rollouts/${rollout.id}`],
    ];
    for (const [file, url] of shots) {
      await page.goto(`${base}${url}`);
      await settle(page);
      // The update and rollout pages open with their summary above the fold; scroll to the charts.
      if (file !== "overview.png") await page.locator("[data-testid$='-chart']").first().scrollIntoViewIfNeeded();
      const target = path.join(options.out, file);
      await page.screenshot({ path: target });
      console.log(`wrote ${target}`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(`screenshots: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
