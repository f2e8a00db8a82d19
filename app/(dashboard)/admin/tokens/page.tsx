import { AdminNav } from "@/components/admin/admin-nav";
import { CreateTokenForm } from "@/components/admin/create-token-form";
import { RevokeTokenButton } from "@/components/admin/revoke-token-button";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
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
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">API tokens with scopes, last use and expiry</caption>
              <thead>
                <tr className="border-b border-slate-200 dark:border-slate-800">
                  <th scope="col" className="py-2 pr-4">Name</th>
                  <th scope="col" className="py-2 pr-4">Starts with</th>
                  <th scope="col" className="py-2 pr-4">Scopes</th>
                  <th scope="col" className="py-2 pr-4">Owner</th>
                  <th scope="col" className="py-2 pr-4">Created</th>
                  <th scope="col" className="py-2 pr-4">Last used</th>
                  <th scope="col" className="py-2 pr-4">Expires</th>
                  <th scope="col" className="py-2 pr-4">State</th>
                  <th scope="col" className="py-2"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => {
                  const s = state(token);
                  return (
                    <tr key={token.id} className="border-b border-slate-100 align-top dark:border-slate-800" data-testid="token-row">
                      <th scope="row" className="py-2 pr-4 font-normal">{token.name}</th>
                      <td className="py-2 pr-4 font-mono">{token.prefix}…</td>
                      <td className="py-2 pr-4">{token.scopes.join(", ")}</td>
                      <td className="py-2 pr-4">{token.ownerEmail ?? "system"}</td>
                      <td className="py-2 pr-4 whitespace-nowrap">{formatDateTime(token.createdAt)}</td>
                      <td className="py-2 pr-4 whitespace-nowrap">{formatDateTime(token.lastUsedAt, "never")}</td>
                      <td className="py-2 pr-4 whitespace-nowrap">{formatDateTime(token.expiresAt, "never")}</td>
                      <td className="py-2 pr-4"><Badge tone={s.tone}>{s.label}</Badge></td>
                      <td className="py-2">{s.label === "revoked" ? null : <RevokeTokenButton tokenId={token.id} name={token.name} action={revokeTokenAction} />}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {tokens.length === 0 ? <p className="py-4 text-slate-600 dark:text-slate-300">No tokens yet.</p> : null}
          </div>
        </Card>
      </div>
    </div>
  );
}
