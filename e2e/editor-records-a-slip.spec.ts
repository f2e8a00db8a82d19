// The rollout calendar (issue #18): a manager sees on the overview which wave will miss its deadline;
// an editor records a slip of the release date on the update page and sees the waves dated from the
// release move on the rollout page, with the reason, while the wave under way keeps its dates.
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/demo-logins";

const SLUG = "windows-xp-sp2";
const DAY = 86_400_000;

async function demoRolloutId(page: Page): Promise<number> {
  const { items } = (await (await page.request.get(`/api/v1/rollouts?update=${SLUG}`)).json()) as { items: { id: number; name: string }[] };
  return items.find((r) => r.name === "XP SP2 rollout")!.id;
}

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const plannedStartOf = async (page: Page, index: number) => ((await page.getByTestId("rollout-wave").nth(index).getByTestId("wave-planned-start").textContent()) ?? "").match(/\d{4}-\d{2}-\d{2}/)![0];

test.describe.configure({ mode: "serial" });

test("a manager sees on the overview that the branch offices will miss their deadline", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/");
  const risks = page.getByTestId("deadline-risks");
  await expect(risks).toBeVisible();
  await expect(risks.getByRole("heading")).toHaveText(/will miss/);
  await expect(risks.getByRole("link", { name: "2 – branch offices" })).toBeVisible();
  const waves = page.getByRole("list", { name: "Waves of XP SP2 rollout" }).getByTestId("wave");
  await expect(waves.nth(1).getByTestId("forecast")).toHaveAttribute("data-status", "on_track");
  await expect(waves.nth(2).getByTestId("forecast")).toHaveAttribute("data-status", "at_risk");
  await expect(waves.nth(2).getByTestId("wave-forecast")).toContainText(/Expected to reach 95 % on \d{4}-\d{2}-\d{2} at 30 machines a day/);
});

test("an editor records a slip and sees the waves dated from the release move", async ({ page }) => {
  await signIn(page, "editor");
  const id = await demoRolloutId(page);
  await page.goto(`/rollouts/${id}`);
  const [hqBefore, branchesBefore, homeBefore] = [await plannedStartOf(page, 1), await plannedStartOf(page, 2), await plannedStartOf(page, 3)];
  await expect(page.getByTestId("rollout-wave").nth(2).getByTestId("wave-planned-start")).toContainText("(release + 35 days)");

  const { update } = (await (await page.request.get(`/api/v1/updates/${SLUG}`)).json()) as { update: { plannedReleaseDate: string } };
  const slipped = addDays(update.plannedReleaseDate, 10);
  await page.goto(`/updates/${SLUG}`);
  const form = page.getByRole("form", { name: "Record a release-date slip" });
  await form.getByLabel("New planned date").fill(slipped);
  await form.getByLabel("Why it moved").fill("The vendor found one more compatibility problem.");
  await form.getByRole("button", { name: "Record slip" }).click();
  await expect(page.getByText(`Release date moved to ${slipped}. 4 wave dates dated from the release moved by 10 days.`)).toBeVisible();

  await page.goto(`/rollouts/${id}`);
  // Headquarters has started: its dates stay. The branch offices and the home workers move by the slip.
  expect(await plannedStartOf(page, 1)).toBe(hqBefore);
  expect(await plannedStartOf(page, 2)).toBe(addDays(branchesBefore, 10));
  expect(await plannedStartOf(page, 3)).toBe(addDays(homeBefore, 10));
  const today = new Date().toISOString().slice(0, 10);
  await expect(page.getByTestId("rollout-wave").nth(2).getByTestId("wave-date-move").first()).toContainText(
    new RegExp(`moved 10 days by the slip of ${today} .*release now planned for ${slipped}: The vendor found one more compatibility problem\\.`),
  );
  // Headquarters still shows what the demo's last slip moved (a week), nothing of this one.
  await expect(page.getByTestId("rollout-wave").nth(1).getByTestId("wave-date-move").first()).toContainText("moved 7 days");
});
