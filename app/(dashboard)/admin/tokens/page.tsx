import { AdminNav } from "@/components/admin/admin-nav";
import { CreateTokenForm } from "@/components/admin/create-token-form";
import { RevokeTokenButton } from "@/components/admin/revoke-token-button";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
import { requirePageAction } from "@/lib/auth/session";
import { listApiTokens, type TokenSummary } from "@/lib/auth/tokens";
import { formatDateTime } from "@/lib/format";
import { createTokenAction, revokeTokenAction } from "./actions";

export const metadata = { title: "API tokens" };

function state(token: TokenSummary): { label: string; tone: "good" | "bad" | "warn" } {
  if (token.revokedAt) return { label: "revoked", tone: "bad" };
  if (token.expiresAt && token.expiresAt.getTime() <= Date.now()) return { label: "expired", tone: "warn" };
  return { label: "active", tone: "good" };
}

export default async function AdminTokensPage() {
  const actor = await requirePageAction("token.manage");
  const tokens = await listApiTokens(actor);
  return (
    <div>
      <AdminNav current="/admin/tokens" />
      <div className="space-y-6">
        <Card>
          <CreateTokenForm action={createTokenAction} />
          <p className="mt-3 text-sm text-slate-600 dark:text-slate-300">
            Send it as <code>Authorization: Bearer rc_…</code>. Only a SHA-256 of the token is stored.
          </p>
        </Card>
        <Card>
          <h2 className="mb-3 text-base font-semibold">Tokens</h2>
          <Table caption="API tokens with scopes, last use and expiry">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Starts with</Th>
                <Th>Scopes</Th>
                <Th>Owner</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th>Expires</Th>
                <Th>State</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => {
                const s = state(token);
                return (
                  <tr key={token.id} className="align-top" data-testid="token-row">
                    <th scope="row">{token.name}</th>
                    <Td className="font-mono">{token.prefix}…</Td>
                    <Td>{token.scopes.join(", ")}</Td>
                    <Td>{token.ownerEmail ?? "system"}</Td>
                    <Td className="whitespace-nowrap">{formatDateTime(token.createdAt)}</Td>
                    <Td className="whitespace-nowrap">{formatDateTime(token.lastUsedAt, "never")}</Td>
                    <Td className="whitespace-nowrap">{formatDateTime(token.expiresAt, "never")}</Td>
                    <Td>
                      <Badge tone={s.tone}>{s.label}</Badge>
                    </Td>
                    <Td>{s.label === "revoked" ? null : <RevokeTokenButton tokenId={token.id} name={token.name} action={revokeTokenAction} />}</Td>
                  </tr>
                );
              })}
              {tokens.length === 0 ? <EmptyRow columns={9}>No tokens yet.</EmptyRow> : null}
            </tbody>
          </Table>
        </Card>
      </div>
    </div>
  );
}
