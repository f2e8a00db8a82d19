import { AdminNav } from "@/components/admin/admin-nav";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { inputClass, secondaryButtonClass } from "@/components/admin/form-styles";
import { UserRowActions } from "@/components/admin/user-row-actions";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { requirePageAction } from "@/lib/auth/session";
import { listUsers, ROLES } from "@/lib/auth/users";
import { formatDateTime } from "@/lib/format";
import { createUserAction, resetPasswordAction, setDisabledAction, setRoleAction } from "./actions";

export const metadata = { title: "Users" };

type Props = { searchParams: Promise<{ q?: string | string[] }> };

export default async function AdminUsersPage({ searchParams }: Props) {
  const actor = await requirePageAction("user.manage");
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw)?.slice(0, 200) ?? "";
  const users = await listUsers(actor, { q });
  const actions = { setRole: setRoleAction, setDisabled: setDisabledAction, resetPassword: resetPasswordAction };
  return (
    <div>
      <AdminNav current="/admin/users" />
      <div className="space-y-6">
        <Card>
          <CreateUserForm action={createUserAction} roles={ROLES} />
        </Card>
        <Card>
          <h2 className="mb-3 text-base font-semibold">All users</h2>
          <form role="search" className="mb-4 flex items-end gap-2" action="/admin/users">
            <label className="text-sm">
              Find by email or name
              <input name="q" defaultValue={q} className={inputClass} />
            </label>
            <button type="submit" className={secondaryButtonClass}>
              Search
            </button>
          </form>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Users, their roles and actions</caption>
              <thead>
                <tr className="border-b border-slate-200 dark:border-slate-800">
                  <th scope="col" className="py-2 pr-4">Email</th>
                  <th scope="col" className="py-2 pr-4">Name</th>
                  <th scope="col" className="py-2 pr-4">Role</th>
                  <th scope="col" className="py-2 pr-4">Status</th>
                  <th scope="col" className="py-2 pr-4">Last sign-in</th>
                  <th scope="col" className="py-2">Actions</th>
                </tr>
              </thead>
              <tbody>
                {users.map((user) => (
                  <tr key={user.id} className="border-b border-slate-100 align-top dark:border-slate-800" data-testid="user-row">
                    <th scope="row" className="py-2 pr-4 font-normal">
                      {user.email}
                      {user.sso ? <span className="ml-2"><Badge tone="info">SSO</Badge></span> : null}
                    </th>
                    <td className="py-2 pr-4">{user.name}</td>
                    <td className="py-2 pr-4">{user.role}</td>
                    <td className="py-2 pr-4">{user.disabled ? <Badge tone="bad">disabled</Badge> : <Badge tone="good">active</Badge>}</td>
                    <td className="py-2 pr-4 whitespace-nowrap">{formatDateTime(user.lastLoginAt, "never")}</td>
                    <td className="py-2">
                      <UserRowActions user={user} roles={ROLES} actions={actions} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {users.length === 0 ? <p className="py-4 text-slate-600 dark:text-slate-300">No users match.</p> : null}
          </div>
        </Card>
      </div>
    </div>
  );
}
