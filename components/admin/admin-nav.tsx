import Link from "next/link";

/** The administration pages, in the order of their tabs; the /admin index lists them with what each is for. */
export const ADMIN_SECTIONS = [
  { href: "/admin/users", label: "Users", description: "Who may sign in and with which role; add people, change roles, disable accounts, reset passwords." },
  { href: "/admin/tokens", label: "API tokens", description: "Tokens for the distribution tool and scripts: create one (shown once), see when it was last used, revoke it." },
  { href: "/admin/webhooks", label: "Webhooks", description: "Tell other systems as it happens: a halted wave, a gate result, a known issue; signed JSON, Slack or Teams, with a delivery log." },
  { href: "/admin/audit", label: "Audit log", description: "Every change, by whom or which token, with what it was before and after." },
] as const;

export type AdminSectionHref = (typeof ADMIN_SECTIONS)[number]["href"];

/**
 * The heading and tabs of an administration page: the index is headed "Administration", each tab by
 * its own name under a link back to the index.
 */
export function AdminNav({ current }: { current: AdminSectionHref | "/admin" }) {
  const section = ADMIN_SECTIONS.find((s) => s.href === current);
  return (
    <>
      {section ? (
        <p className="text-sm">
          <Link href="/admin">Administration</Link>
        </p>
      ) : null}
      <h1 className="mb-4 text-2xl font-semibold">{section ? section.label : "Administration"}</h1>
      <nav aria-label="Administration" className="mb-6 border-b border-slate-200 dark:border-slate-800">
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {ADMIN_SECTIONS.map((link) => (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={link.href === current ? "page" : undefined}
                className={`inline-block pb-2 ${link.href === current ? "border-b-2 border-blue-700 font-semibold" : ""}`}
              >
                {link.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}
