// A manager keeps the overview open while the distribution tool reports installs through the API:
// the numbers move without a reload (react-query polls /api/v1/overview every 15 s).
import { expect, test } from "@playwright/test";
import { signIn } from "./support/demo-logins";

const SLUG = "windows-xp-sp2";

test("events posted through the API change the overview numbers without a reload", async ({ browser, playwright, baseURL }) => {
  test.setTimeout(120_000);
  // An admin creates a token for the distribution tool (read + ingest), shown once.
  const adminPage = await browser.newPage();
  await signIn(adminPage, "admin", "/admin/tokens");
  await adminPage.getByLabel("Name", { exact: true }).fill(`e2e-live-${Date.now()}`);
  await adminPage.getByRole("checkbox", { name: /^read/ }).check();
  await adminPage.getByRole("checkbox", { name: /^ingest/ }).check();
  await adminPage.getByRole("button", { name: "Create token" }).click();
  const token = (await adminPage.getByTestId("one-time-secret").textContent())!.trim();
  await adminPage.close();
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });

  // Machines that are still working on SP2: the next report says they finished.
  const hostnames: string[] = [];
  for (const state of ["downloading", "installing", "reboot_required", "scheduled", "pending"]) {
    const res = await api.get(`/api/v1/devices?update=${SLUG}&state=${state}&limit=100`);
    expect(res.status()).toBe(200);
    const { items } = (await res.json()) as { items: { hostname: string }[] };
    hostnames.push(...items.map((d) => d.hostname));
    if (hostnames.length >= 12) break;
  }
  const reporting = hostnames.slice(0, 12);
  expect(reporting.length).toBe(12);

  const viewer = await browser.newPage();
  await signIn(viewer, "viewer");
  const tile = viewer.locator(`section[aria-labelledby="tiles-${SLUG}"]`).getByTestId("tile-installed");
  const before = (await tile.textContent())!.trim();
  await viewer.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

  const occurredAt = new Date().toISOString();
  const posted = await api.post("/api/v1/status-events", {
    data: reporting.map((device, i) => ({ device, update: SLUG, state: "installed", occurredAt, eventId: `e2e-live-${Date.now()}-${i}` })),
  });
  expect(posted.status()).toBe(200);
  expect(((await posted.json()) as { accepted: number }).accepted).toBe(12);

  const overview = (await (await api.get("/api/v1/overview")).json()) as { updates: { slug: string; totals: { installedPct: number } }[] };
  const expected = `${overview.updates.find((u) => u.slug === SLUG)!.totals.installedPct.toFixed(1)} %`;
  expect(expected).not.toBe(before);
  await expect(tile).toHaveText(expected, { timeout: 40_000 });
  await expect(viewer.getByText(/Live: updated/)).toBeVisible();
  expect(await viewer.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await api.dispose();
});
