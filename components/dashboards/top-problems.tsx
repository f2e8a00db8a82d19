// What broke in a rollout: the most frequent error codes of failed, held or stuck devices, and the
// alerts with the remedy IT should apply (lib/deployments/states.ts ALERT_REMEDIES).
import Link from "next/link";
import { Table, Td, Th } from "@/components/ui/table";
import { formatNumber, NONE } from "@/lib/format";
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
      <section aria-labelledby="top-error-codes" data-testid="top-error-codes" className="min-w-0">
        <h3 id="top-error-codes" className="font-medium">
          Top error codes
        </h3>
        {errorCodes.length ? (
          <Table boxClassName="mt-2" caption="Most frequent error codes of failed, held or stuck devices in this rollout">
            <thead>
              <tr>
                <Th>Error code</Th>
                <Th numeric>Devices</Th>
                <Th numeric>Failed</Th>
                <Th numeric>Rolled back</Th>
                <Th>Example message</Th>
              </tr>
            </thead>
            <tbody>
              {errorCodes.map((e) => (
                <tr key={e.errorCode}>
                  <Th scope="row" className="font-mono">
                    <Link href={`/search?q=${encodeURIComponent(e.errorCode)}`}>{e.errorCode}</Link>
                  </Th>
                  <Td numeric>{formatNumber(e.devices)}</Td>
                  <Td numeric>{formatNumber(e.failed)}</Td>
                  <Td numeric>{formatNumber(e.rolledBack)}</Td>
                  <Td className="max-w-xs truncate" title={e.message ?? undefined}>
                    {e.message ?? NONE}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <p className="mt-2 text-sm">No error codes reported.</p>
        )}
      </section>
      <section aria-labelledby="rollout-alerts" data-testid="rollout-alerts" className="min-w-0">
        <h3 id="rollout-alerts" className="font-medium">
          Alerts and what to do
        </h3>
        {alerts.length ? (
          <Table boxClassName="mt-2" caption="Alerts of failed, held or stuck devices in this rollout, with their remedy">
            <thead>
              <tr>
                <Th>Alert</Th>
                <Th numeric>Devices</Th>
                <Th>Remedy</Th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.alert}>
                  <Th scope="row">{ALERT_LABELS[a.alert] ?? a.alert}</Th>
                  <Td numeric>{formatNumber(a.devices)}</Td>
                  <Td>{a.remedy}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
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
