import Link from "next/link";
import { ADMIN_SECTIONS, AdminNav } from "@/components/admin/admin-nav";
import { Card } from "@/components/ui/card";
import { requirePageAction } from "@/lib/auth/session";

export const metadata = { title: "Administration" };

// As admin-only as the pages it lists: each of them needs the admin role.
export default async function AdminIndexPage() {
  await requirePageAction("user.manage");
  return (
    <div>
      <AdminNav current="/admin" />
      <ul className="grid gap-4 md:grid-cols-3">
        {ADMIN_SECTIONS.map((section) => (
          <li key={section.href}>
            <Card className="h-full">
              <h2 className="mb-2 text-base font-semibold">
                <Link href={section.href}>{section.label}</Link>
              </h2>
              <p className="text-sm text-slate-700 dark:text-slate-300">{section.description}</p>
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}
