import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
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
          <Table caption="Rollouts">
            <thead>
              <tr>
                <Th>Rollout</Th>
                <Th>Update</Th>
                <Th>Build</Th>
                <Th>Status</Th>
                <Th>Waves</Th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <Td>
                    <Link href={`/rollouts/${r.id}`}>{r.name}</Link>
                  </Td>
                  <Td>
                    <Link href={`/updates/${r.update.slug}`}>{r.update.title}</Link>
                  </Td>
                  <Td>{r.build.name}</Td>
                  <Td>
                    <Badge>{r.status}</Badge>
                  </Td>
                  <Td>{r.waves.map((w) => `${w.name} (${w.status})`).join(" · ")}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      )}
    </div>
  );
}
