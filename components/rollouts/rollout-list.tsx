// The rollouts list: each rollout with its update, build, status, waves and how far it has got
// (installed of the machines in scope, as the rollout page sums its waves).
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { formatNumber, formatPercent } from "@/lib/format";
import type { RolloutListItem, RolloutListProgress } from "@/lib/rollouts/queries";

export function RolloutList({ items, progress }: { items: RolloutListItem[]; progress: Map<number, RolloutListProgress> }) {
  return (
    <Table caption="Rollouts">
      <thead>
        <tr>
          <Th>Rollout</Th>
          <Th>Update</Th>
          <Th>Build</Th>
          <Th>Status</Th>
          <Th numeric>Progress</Th>
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
            <Td numeric>
              <RolloutProgress progress={progress.get(r.id) ?? { installed: 0, inScope: 0, installedPct: null }} />
            </Td>
            <Td>{r.waves.map((w) => `${w.name} (${w.status})`).join(" · ")}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** "1,234 of 2,000 installed · 61.7 %" over a small bar (the text is what screen readers get). */
export function RolloutProgress({ progress }: { progress: RolloutListProgress }) {
  const { installed, inScope, installedPct } = progress;
  return (
    <div className="min-w-36" data-testid="rollout-progress">
      <p className="whitespace-nowrap">
        {formatNumber(installed)} of {formatNumber(inScope)} installed
        <span className="text-slate-600 dark:text-slate-300"> · {formatPercent(installedPct)}</span>
      </p>
      <div className="mt-1 ml-auto h-1.5 w-full max-w-40 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700" aria-hidden="true">
        <div className="h-full rounded-full" style={{ width: `${Math.min(100, installedPct ?? 0)}%`, background: "var(--c-installed)" }} />
      </div>
    </div>
  );
}
