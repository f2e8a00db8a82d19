import Link from "next/link";
import { NAV_LINKS } from "./nav-links";

type Props = {
  children: React.ReactNode;
  /** The signed-in user, when there is one; the shell only shows it. */
  user?: { name: string; email: string; role: string } | null;
  showAdmin?: boolean;
  showEditor?: boolean;
  /** Slot for the sign-out control (a client component owned by the auth area). */
  userMenu?: React.ReactNode;
};

export function AppShell({ children, user, showAdmin = false, showEditor = false, userMenu }: Props) {
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/" className="text-lg font-semibold text-slate-900 no-underline dark:text-white">
            Rollcall
          </Link>
          <nav aria-label="Main">
            <ul className="flex flex-wrap gap-4 text-sm">
              {NAV_LINKS.filter((l) => ("adminOnly" in l ? showAdmin : "editorOnly" in l ? showEditor : true)).map((link) => (
                <li key={link.href}>
                  <Link href={link.href}>{link.label}</Link>
                </li>
              ))}
            </ul>
          </nav>
          {user ? (
            <div className="ml-auto flex items-center gap-3 text-sm">
              <span>
                {user.name || user.email} <span className="text-slate-600 dark:text-slate-300">({user.role})</span>
              </span>
              <Link href="/settings/notifications">Notifications</Link>
              {userMenu}
            </div>
          ) : null}
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}
