import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState } from "@/components/ui/card";
import { tableClass } from "@/components/rollouts/format";
import { getPageActor } from "@/lib/auth/session";
import { listRollouts } from "@/lib/rollouts/queries";

export const metadata = { title: "Rollouts" };

export default async function RolloutsPage({ searchParams }: { searchParams: Promise<{ update?: string }> }) {
  const actor = await getPageActor();
  const { update } = await searchParams;
  const items = await listRollouts(actor, { update: typeof update === "string" && update ? update : undefined });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Rollouts</h1>
      <p className="text-sm">To plan a new rollout, open the update and choose “Plan a rollout”.</p>
      {items.length === 0 ? (
        <EmptyState>No rollouts yet.</EmptyState>
      ) : (
        <Card>
          <table className={tableClass}>
            <caption className="sr-only">Rollouts</caption>
            <thead>
              <tr>
                <th scope="col">Rollout</th>
                <th scope="col">Update</th>
                <th scope="col">Build</th>
                <th scope="col">Status</th>
                <th scope="col">Waves</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link href={`/rollouts/${r.id}`}>{r.name}</Link>
                  </td>
                  <td>
                    <Link href={`/updates/${r.update.slug}`}>{r.update.title}</Link>
                  </td>
                  <td>{r.build.name}</td>
                  <td>
                    <Badge>{r.status}</Badge>
                  </td>
                  <td>{r.waves.map((w) => `${w.name} (${w.status})`).join(" · ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}
