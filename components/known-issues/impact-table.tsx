import Link from "next/link";
import type { ImpactDevice, IssueImpact, RolloutImpact } from "@/lib/known-issues/types";
import { formatDate } from "@/lib/format";

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
        <div key={rollout.id} className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="impact-table">
            <caption className="mb-1 text-left font-medium">
              <Link href={`/rollouts/${rollout.id}`}>{rollout.name}</Link> ({rollout.status})
            </caption>
            <thead>
              <tr className="border-b border-slate-200 dark:border-slate-800">
                <th scope="col" className="py-2 pr-4">Wave</th>
                <th scope="col" className="py-2 pr-4">Status</th>
                <th scope="col" className="py-2 pr-4">Planned start</th>
                <th scope="col" className="py-2 pr-4 text-right">Devices</th>
                <th scope="col" className="py-2 pr-4 text-right">Affected</th>
                <th scope="col" className="py-2 text-right">Held</th>
              </tr>
            </thead>
            <tbody>
              {rollout.waves.map((wave) => (
                <tr key={wave.waveId} className="border-b border-slate-100 dark:border-slate-800" aria-current={selectedWave === wave.waveId ? "true" : undefined} data-testid="impact-wave">
                  <th scope="row" className="py-2 pr-4 font-normal">{wave.name}</th>
                  <td className="py-2 pr-4">{wave.status}</td>
                  <td className="py-2 pr-4">{formatDate(wave.plannedStartAt)}</td>
                  <td className="py-2 pr-4 text-right tabular-nums">{wave.devices}</td>
                  <td className="py-2 pr-4 text-right tabular-nums">
                    {wave.affected > 0 ? <Link href={hrefForWave(wave.waveId)} aria-label={`${wave.affected} affected devices in ${wave.name}: list them`}>{wave.affected}</Link> : 0}
                  </td>
                  <td className="py-2 text-right tabular-nums">{wave.held}</td>
                </tr>
              ))}
            </tbody>
          </table>
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
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Devices in {waveName} with an affected app version</caption>
        <thead>
          <tr className="border-b border-slate-200 dark:border-slate-800">
            <th scope="col" className="py-1 pr-4">Hostname</th>
            <th scope="col" className="py-1 pr-4">Site</th>
            <th scope="col" className="py-1 pr-4">State</th>
            <th scope="col" className="py-1">Affected app</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.hostname} className="border-b border-slate-100 dark:border-slate-800" data-testid="impact-device">
              <th scope="row" className="py-1 pr-4 font-normal">
                <Link href={`/devices/${encodeURIComponent(d.hostname)}`}>{d.hostname}</Link>
              </th>
              <td className="py-1 pr-4">{d.site}</td>
              <td className="py-1 pr-4">{d.state.replace(/_/g, " ")}</td>
              <td className="py-1">{d.apps}</td>
            </tr>
          ))}
        </tbody>
      </table>
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
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="rollout-impact">
        <caption className="sr-only">Devices per wave that have an app affected by a known issue</caption>
        <thead>
          <tr className="border-b border-slate-200 dark:border-slate-800">
            <th scope="col" className="py-2 pr-4">Wave</th>
            <th scope="col" className="py-2 pr-4 text-right">Devices</th>
            {impact.issues.map((issue) => (
              <th key={issue.advisoryId} scope="col" className="py-2 pr-4 text-right">
                <Link href={`/known-issues/${issue.advisoryId}#impact`} title={issue.title}>
                  {issue.advisoryId}
                </Link>
                {issue.safeguardHold ? <span className="sr-only"> (safeguard hold on)</span> : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {impact.waves.map((wave) => (
            <tr key={wave.waveId} className="border-b border-slate-100 dark:border-slate-800">
              <th scope="row" className="py-2 pr-4 font-normal">
                {wave.name} <span className="text-xs text-slate-600 dark:text-slate-300">({wave.status})</span>
              </th>
              <td className="py-2 pr-4 text-right tabular-nums">{wave.devices}</td>
              {impact.issues.map((issue) => {
                const cell = wave.byIssue[issue.advisoryId];
                return (
                  <td key={issue.advisoryId} className="py-2 pr-4 text-right tabular-nums">
                    {cell.affected > 0 ? (
                      <Link href={`/known-issues/${issue.advisoryId}?wave=${wave.waveId}#impact`} aria-label={`${cell.affected} devices in ${wave.name} affected by ${issue.advisoryId}`}>
                        {cell.affected}
                      </Link>
                    ) : (
                      0
                    )}
                    {cell.held ? <span className="text-xs text-slate-600 dark:text-slate-300"> ({cell.held} held)</span> : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
