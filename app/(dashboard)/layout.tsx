import { AppShell } from "@/components/layout/app-shell";

// Every signed-in page reads live data: never prerender at build time.
export const dynamic = "force-dynamic";

export default function DashboardLayout({ children }: { children: React.ReactNode }) {
  return <AppShell>{children}</AppShell>;
}
