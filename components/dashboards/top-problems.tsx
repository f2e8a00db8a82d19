// What broke in a rollout: the most frequent error codes of failed, held or stuck devices, and the
// alerts with the remedy IT should apply (lib/deployments/states.ts ALERT_REMEDIES).
import Link from "next/link";
import { chartTableClass, fmt } from "@/components/charts/chart-frame";
import type { AlertRow, ErrorCodeRow } from "@/lib/dashboards/queries";

const ALERT_LABELS: Record<string, string> = {
  disk_full: "Disk full",
  download_timeout: "Download timed out",
  rollback_initiated: "Rollback initiated",
  unexpected_shutdown: "Unexpected shutdown",
  safeguard_hold: "Safeguard hold",
  incompatible_app: "Incompatible application",
  network_unreachable: "Network unreachable",
  media_not_received: "Media not received",
};

export function TopProblems({ errorCodes, alerts, updateSlug }: { errorCodes: ErrorCodeRow[]; alerts: AlertRow[]; updateSlug: string }) {
  return (
    <div className="grid gap-8 lg:grid-cols-2">
      <section aria-labelledby="top-error-codes" data-testid="top-error-codes">
        <h3 id="top-error-codes" className="font-medium">
          Top error codes
        </h3>
        {errorCodes.length ? (
          <table className={`${chartTableClass} mt-2`}>
            <caption className="sr-only">Most frequent error codes of failed, held or stuck devices in this rollout</caption>
            <thead>
              <tr>
                <th scope="col">Error code</th>
                <th scope="col">Devices</th>
                <th scope="col">Failed</th>
                <th scope="col">Rolled back</th>
                <th scope="col">Example message</th>
              </tr>
            </thead>
            <tbody>
              {errorCodes.map((e) => (
                <tr key={e.errorCode}>
                  <th scope="row" className="font-mono font-normal">
                    <Link href={`/search?q=${encodeURIComponent(e.errorCode)}`}>{e.errorCode}</Link>
                  </th>
                  <td className="tabular-nums">{fmt(e.devices)}</td>
                  <td className="tabular-nums">{fmt(e.failed)}</td>
                  <td className="tabular-nums">{fmt(e.rolledBack)}</td>
                  <td className="max-w-xs truncate" title={e.message ?? undefined}>
                    {e.message ?? "–"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="mt-2 text-sm">No error codes reported.</p>
        )}
      </section>
      <section aria-labelledby="rollout-alerts" data-testid="rollout-alerts">
        <h3 id="rollout-alerts" className="font-medium">
          Alerts and what to do
        </h3>
        {alerts.length ? (
          <table className={`${chartTableClass} mt-2`}>
            <caption className="sr-only">Alerts of failed, held or stuck devices in this rollout, with their remedy</caption>
            <thead>
              <tr>
                <th scope="col">Alert</th>
                <th scope="col">Devices</th>
                <th scope="col">Remedy</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.alert}>
                  <th scope="row" className="font-normal">
                    {ALERT_LABELS[a.alert] ?? a.alert}
                  </th>
                  <td className="tabular-nums">{fmt(a.devices)}</td>
                  <td>{a.remedy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="mt-2 text-sm">No alerts.</p>
        )}
        <p className="mt-2 text-sm">
          <Link href={`/devices?update=${encodeURIComponent(updateSlug)}&state=failed`}>Failed devices of this update</Link>
        </p>
      </section>
    </div>
  );
}
