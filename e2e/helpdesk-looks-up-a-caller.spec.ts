import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { XSS_PAYLOADS } from "../lib/known-issues/xss-payloads";
import { signIn } from "./support/demo-logins";

// The demo seed gives pilot machine HQ-WS-0005 the CRM Sales for Outlook 1.2 add-in; RC-0001 is
// the CRM issue, resolved (external) with the vendor's fix.
const CALLER = "HQ-WS-0005";
const FIX_TITLE = /Update for Microsoft Business Solutions CRM 1\.2 Sales for Outlook/;

function failOnDialog(page: Page): string[] {
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
  return dialogs;
}

test("a helpdesk user types the caller's hostname, opens the machine, sees the CRM issue with its fix and files a report", async ({ page }) => {
  const dialogs = failOnDialog(page);
  await signIn(page, "helpdesk");

  await page.goto("/search");
  const box = page.getByRole("searchbox", { name: /hostname, app, error code/i });
  await box.fill("hq-ws-000");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/search\?q=hq-ws-000/);
  const devices = page.getByRole("region", { name: "Devices" });
  await expect(devices.getByRole("link", { name: CALLER })).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // The caller's exact hostname, in any case, opens the machine directly.
  await page.getByRole("searchbox", { name: /hostname, app, error code/i }).fill(CALLER.toLowerCase());
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`/devices/${CALLER}`));
  const issue = page.getByTestId("device-known-issue").filter({ hasText: "RC-0001" });
  await expect(issue).toContainText("does not work with SP2");
  const fix = issue.getByRole("link", { name: FIX_TITLE });
  await expect(fix).toHaveAttribute("href", "https://support.microsoft.com/kb/885000");
  await expect(fix).toHaveAttribute("rel", "noopener noreferrer nofollow");

  await issue.getByRole("link", { name: "RC-0001", exact: true }).click();
  await expect(page).toHaveURL(/\/known-issues\/RC-0001/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("CRM Sales for Outlook 1.2");
  await expect(page.getByText("Resolved (external)").first()).toBeVisible();
  const before = Number((await page.getByTestId("report-count").textContent())?.match(/\d+/)?.[0] ?? 0);

  const ticket = `INC-${Date.now()}`;
  await page.getByLabel("Ticket reference").fill(ticket);
  await page.getByLabel("Caller's machine (hostname)").fill(CALLER);
  await page.getByLabel("Note about the call").fill("Caller says the CRM toolbar vanished after last night's restart.");
  await page.getByRole("button", { name: "File report" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Ticket ${ticket} linked to RC-0001` })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("report-row").filter({ hasText: ticket })).toContainText(CALLER);
  await expect(page.getByTestId("report-count")).toContainText(`${before + 1} helpdesk report`);
  expect(dialogs).toEqual([]);
});

test("files a report from the device page", async ({ page }) => {
  const dialogs = failOnDialog(page);
  await signIn(page, "helpdesk");

  await page.goto(`/devices/${CALLER}`);
  // The affected app is marked in the machine's installed apps.
  await expect(page.getByTestId("affected-app").first()).toContainText("affected by RC-0001");
  const issue = page.getByTestId("device-known-issue").filter({ hasText: "RC-0001" });
  await issue.getByRole("link", { name: /File a report/ }).click();

  await expect(page).toHaveURL(new RegExp(`/known-issues/RC-0001\\?hostname=${CALLER}#report`));
  await expect(page.getByLabel("Caller's machine (hostname)")).toHaveValue(CALLER);
  const ticket = `INC-${Date.now()}`;
  await page.getByLabel("Ticket reference").fill(ticket);
  await page.getByLabel("Note about the call").fill("Filed from the machine's page.");
  await page.getByRole("button", { name: "File report" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Ticket ${ticket} linked to RC-0001 for ${CALLER}` })).toBeVisible();
  await expect(page.getByTestId("report-row").filter({ hasText: ticket })).toContainText(CALLER);
  expect(dialogs).toEqual([]);
});

test("hostile text in every field of an issue and a report never runs on the page", async ({ page, baseURL }) => {
  const dialogs = failOnDialog(page);
  const cspViolations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await signIn(page, "editor");
  const payloads = XSS_PAYLOADS.filter((p) => !p.includes("\u0000"));
  const joined = payloads.join("\n\n");
  const res = await page.request.post("/api/v1/known-issues", {
    headers: { origin: baseURL!, "content-type": "application/json" },
    data: {
      title: payloads[1].slice(0, 300),
      update: "windows-xp-sp2",
      symptoms: joined,
      workaround: joined,
      resolution: joined,
      affectedPlatforms: payloads.slice(0, 5),
      fixLinks: [{ vendor: payloads[0], title: payloads[2], url: "https://vendor.example/fix?a=<script>", type: "patch" }],
      note: joined.slice(0, 2000),
    },
  });
  expect(res.status()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  for (const url of [`/known-issues/${id}`, "/known-issues", `/search?q=${encodeURIComponent("<script>alert(1)</script>")}`]) {
    const response = await page.goto(url);
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src/);
    await expect(page.locator("main")).toBeVisible();
  }
  await page.goto(`/known-issues/${id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(payloads[1]);
  expect(await page.locator("main script").count()).toBe(0);
  expect(await page.locator("main img, main iframe, main svg[onload], main [onerror], main [onclick]").count()).toBe(0);
  expect(await page.locator('main a[href^="javascript:" i]').count()).toBe(0);

  // A helpdesk report with hostile text is shown as text.
  await page.getByLabel("Ticket reference").fill(payloads[0].slice(0, 100));
  await page.getByLabel("Caller's machine (hostname)").fill(CALLER);
  await page.getByLabel("Note about the call").fill(payloads.slice(0, 10).join(" "));
  await page.getByRole("button", { name: "File report" }).click();
  await expect(page.getByRole("status").filter({ hasText: "linked to" })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("report-row").first()).toContainText("<script>alert(1)</script>");
  expect(dialogs).toEqual([]);
  expect(cspViolations).toEqual([]);
});
