import { AdminNav } from "@/components/admin/admin-nav";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { UserRowActions } from "@/components/admin/user-row-actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/form-field";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
import { requirePageAction } from "@/lib/auth/session";
import { listUsers, ROLES } from "@/lib/auth/users";
import { formatDateTime } from "@/lib/format";
import { firstValue } from "@/lib/http/query";
import { createUserAction, resetPasswordAction, setDisabledAction, setRoleAction } from "./actions";

export const metadata = { title: "Users" };

type Props = { searchParams: Promise<{ q?: string | string[] }> };

export default async function AdminUsersPage({ searchParams }: Props) {
  const actor = await requirePageAction("user.manage");
  const q = firstValue((await searchParams).q)?.slice(0, 200) ?? "";
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
            <TextField id="user-search" name="q" label="Find by email or name" defaultValue={q} />
            <Button type="submit" variant="secondary">
              Search
            </Button>
          </form>
          <Table caption="Users, their roles and actions">
            <thead>
              <tr>
                <Th>Email</Th>
                <Th>Name</Th>
                <Th>Role</Th>
                <Th>Status</Th>
                <Th>Last sign-in</Th>
                <Th>Actions</Th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} className="align-top" data-testid="user-row">
                  <th scope="row">
                    {user.email}
                    {user.sso ? (
                      <span className="ml-2">
                        <Badge tone="info">SSO</Badge>
                      </span>
                    ) : null}
                  </th>
                  <Td>{user.name}</Td>
                  <Td>{user.role}</Td>
                  <Td>{user.disabled ? <Badge tone="bad">disabled</Badge> : <Badge tone="good">active</Badge>}</Td>
                  <Td className="whitespace-nowrap">{formatDateTime(user.lastLoginAt, "never")}</Td>
                  <Td>
                    <UserRowActions user={user} roles={ROLES} actions={actions} />
                  </Td>
                </tr>
              ))}
              {users.length === 0 ? <EmptyRow columns={6}>No users match.</EmptyRow> : null}
            </tbody>
          </Table>
        </Card>
      </div>
    </div>
  );
}
