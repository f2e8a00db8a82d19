import { SignOutButton } from "@/components/auth/sign-out-button";
import { AppShell } from "@/components/layout/app-shell";
import { can } from "@/lib/auth/permissions";
import { getPageActor } from "@/lib/auth/session";

// Every signed-in page reads live data: never prerender at build time.
export const dynamic = "force-dynamic";

// The layout signs anonymous visitors out to /login; each page still asks for its own permission
// (layouts do not re-run on every client navigation).
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await getPageActor();
  const user = actor.kind === "user" ? { name: actor.name, email: actor.email, role: actor.role } : null;
  return (
    <AppShell user={user} showAdmin={can(actor, "user.manage")} showEditor={can(actor, "events.ingest")} userMenu={<SignOutButton />}>
      {children}
    </AppShell>
  );
}
