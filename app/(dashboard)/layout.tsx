import { SignOutButton } from "@/components/auth/sign-out-button";
import { AppShell } from "@/components/layout/app-shell";
import { PausedUpdatesBanner } from "@/components/updates/paused-banner";
import { can } from "@/lib/auth/permissions";
import { getPageActor } from "@/lib/auth/session";
import { sharedPageData } from "@/lib/cache/page-data";
import { listPausedUpdates } from "@/lib/updates/pause";

// Every signed-in page reads live data: never prerender at build time.
export const dynamic = "force-dynamic";

// The layout signs anonymous visitors out to /login; each page still asks for its own permission
// (layouts do not re-run on every client navigation).
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await getPageActor();
  const user = actor.kind === "user" ? { name: actor.name, email: actor.email, role: actor.role } : null;
  // An update's emergency pause shows on every page: one read of the few paused updates a second
  // serves every viewer of this process (a pause or resume here forgets it at once); a pause whose
  // end has passed since that read is dropped per request.
  const now = Date.now();
  const paused = (await sharedPageData(actor, "update.read", "paused-updates", () => listPausedUpdates(actor))).filter((p) => !p.until || p.until.getTime() > now);
  return (
    <AppShell user={user} showAdmin={can(actor, "user.manage")} showEditor={can(actor, "events.ingest")} userMenu={<SignOutButton />}>
      <PausedUpdatesBanner paused={paused} />
      {children}
    </AppShell>
  );
}
