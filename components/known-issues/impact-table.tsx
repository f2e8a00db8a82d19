import Link from "next/link";
import { Table, Td, Th } from "@/components/ui/table";
import { formatDate } from "@/lib/format";
import { STATUS_LABELS } from "@/lib/known-issues/lifecycle";
import type { ImpactDevice, IssueImpact, RolloutImpact } from "@/lib/known-issues/types";

/** Per wave: how many devices would hit the issue (and how many the hold keeps back). */
export function IssueImpactTable({ impact, hrefForWave, selectedWave }: { impact: IssueImpact; hrefForWave: (waveId: number) => string; selectedWave?: number }) {
  if (impact.rollouts.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-300">No rollout of this update is planned yet. {impact.inventoryAffected} devices in the inventory have an affected app version.</p>;
  }
  return (
    <div className="space-y-4">
      <p className="text-sm">
        {impact.inventoryAffected} device{impact.inventoryAffected === 1 ? "" : "s"} in the inventory have an affected app version.
      </p>
      {impact.rollouts.map((rollout) => (
        <div key={rollout.id}>
          <Table
            data-testid="impact-table"
            showCaption
            caption={
              <>
                <Link href={`/rollouts/${rollout.id}`}>{rollout.name}</Link> ({rollout.status})
              </>
            }
          >
            <thead>
              <tr>
                <Th>Wave</Th>
                <Th>Status</Th>
                <Th>Planned start</Th>
                <Th numeric>Devices</Th>
                <Th numeric>Affected</Th>
                <Th numeric>Held</Th>
              </tr>
            </thead>
            <tbody>
              {rollout.waves.map((wave) => (
                <tr key={wave.waveId} aria-current={selectedWave === wave.waveId ? "true" : undefined} data-testid="impact-wave">
                  <th scope="row">{wave.name}</th>
                  <Td>{wave.status}</Td>
                  <Td>{formatDate(wave.plannedStartAt)}</Td>
                  <Td numeric>{wave.devices}</Td>
                  <Td numeric>
                    {wave.affected > 0 ? <Link href={hrefForWave(wave.waveId)} aria-label={`${wave.affected} affected devices in ${wave.name}: list them`}>{wave.affected}</Link> : 0}
                  </Td>
                  <Td numeric>{wave.held}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          {rollout.unassigned ? <p className="mt-1 text-xs text-slate-600 dark:text-slate-300">{rollout.unassigned} affected devices are in no wave.</p> : null}
        </div>
      ))}
    </div>
  );
}

export function ImpactDeviceList({ waveName, items, nextHref, firstHref }: { waveName: string; items: ImpactDevice[]; nextHref: string | null; firstHref: string | null }) {
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold">Affected devices in {waveName}</h3>
      <Table caption={`Devices in ${waveName} with an affected app version`}>
        <thead>
          <tr>
            <Th>Hostname</Th>
            <Th>Site</Th>
            <Th>State</Th>
            <Th>Affected app</Th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.hostname} data-testid="impact-device">
              <th scope="row">
                <Link href={`/devices/${encodeURIComponent(d.hostname)}`}>{d.hostname}</Link>
              </th>
              <Td>{d.site}</Td>
              <Td>{d.state.replace(/_/g, " ")}</Td>
              <Td>{d.apps}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <nav aria-label="Affected devices pages" className="mt-2 flex gap-4 text-sm">
        {firstHref ? <Link href={firstHref}>First page</Link> : null}
        {nextHref ? <Link href={nextHref}>Next page</Link> : null}
      </nav>
    </div>
  );
}

/**
 * For the rollout page: every known issue of the rollout's update × every wave. Pass it
 * `await impactForRollout(actor, rolloutId)` (lib/known-issues/impact.ts).
 */
export function RolloutImpactTable({ impact }: { impact: RolloutImpact }) {
  if (impact.issues.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-300">No known issue of this update names an affected app.</p>;
  return (
    <Table data-testid="rollout-impact" caption="Devices per wave that have an app affected by a known issue">
        <thead>
          <tr>
            <Th>Wave</Th>
            <Th numeric>Devices</Th>
            {impact.issues.map((issue) => (
              <Th key={issue.advisoryId} numeric>
                <Link href={`/known-issues/${issue.advisoryId}#impact`}>{issue.advisoryId}</Link>
                <span className="block min-w-40 font-normal">{issue.title}</span>
                <span className="block text-xs font-normal text-slate-600 dark:text-slate-300" data-testid="impact-issue-status">
                  {STATUS_LABELS[issue.status]}
                  {issue.blocking ? " · blocking" : " · not blocking"}
                  {issue.safeguardHold ? " · safeguard hold on" : ""}
                </span>
              </Th>
            ))}
          </tr>
        </thead>
        <tbody>
          {impact.waves.map((wave) => (
            <tr key={wave.waveId}>
              <th scope="row">
                {wave.name} <span className="text-xs text-slate-600 dark:text-slate-300">({wave.status})</span>
              </th>
              <Td numeric>{wave.devices}</Td>
              {impact.issues.map((issue) => {
                const cell = wave.byIssue[issue.advisoryId];
                return (
                  <Td key={issue.advisoryId} numeric>
                    {cell.affected > 0 ? (
                      <Link href={`/known-issues/${issue.advisoryId}?wave=${wave.waveId}#impact`} aria-label={`${cell.affected} devices in ${wave.name} affected by ${issue.advisoryId}`}>
                        {cell.affected}
                      </Link>
                    ) : (
                      0
                    )}
                    {cell.held ? <span className="text-xs text-slate-600 dark:text-slate-300"> ({cell.held} held)</span> : null}
                  </Td>
                );
              })}
            </tr>
          ))}
        </tbody>
    </Table>
  );
}
