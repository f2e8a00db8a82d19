// What a plan would do, before it is saved: devices per wave, not applicable, download volume per
// site and the time it takes over the site's link (once, for a site with a local distribution point),
// how many days a ramped wave takes, with the warnings of links it would saturate.
import { Banner } from "@/components/ui/feedback";
import { Table, Td, Th } from "@/components/ui/table";
import { formatBytes, formatDuration, formatNumber } from "@/lib/format";
import type { PlanPreviewView } from "./types";

type WaveView = PlanPreviewView["waves"][number];
type SiteView = WaveView["sites"][number];

function siteLine(site: SiteView): string {
  const volume = `${site.name}: ${formatBytes(site.downloadBytes)}`;
  const viaPoint = site.distributionPoint && site.networkDevices ? `, ${formatBytes(site.wanBytes)} once over the WAN to ${site.distributionPoint}` : "";
  if (site.transferSeconds !== null && site.linkKbps !== null) return `${volume}${viaPoint} — ${formatDuration(site.transferSeconds)} at ${formatNumber(site.linkKbps)} kbit/s`;
  return site.networkDevices ? `${volume}${viaPoint} — link speed unknown` : volume;
}

function rampLine(wave: WaveView): string {
  if (wave.maxDevicesPerDay === null || wave.rampDays === null) return "No ramp";
  const days = `${formatNumber(wave.rampDays)} ${wave.rampDays === 1 ? "day" : "days"}`;
  return `${days} at ${formatNumber(wave.maxDevicesPerDay)} a day`;
}

function Summary({ preview }: { preview: PlanPreviewView }) {
  const byOs = preview.notApplicableByOs.map((o) => `${o.osName}: ${formatNumber(o.devices)}`).join(", ");
  return (
    <p className="text-sm">
      {formatNumber(preview.total)} devices: <strong>{formatNumber(preview.notApplicable)} not applicable</strong>
      {byOs ? ` (${byOs})` : ""}, {formatNumber(preview.excluded)} in no wave (excluded). Update size {formatBytes(preview.update.sizeBytes)}.
    </p>
  );
}

function WaveRow({ wave }: { wave: WaveView }) {
  return (
    <tr className="align-top" data-testid="preview-wave">
      <Td>{wave.name}</Td>
      <Td numeric data-testid="preview-wave-devices">
        {formatNumber(wave.devices)}
      </Td>
      <Td numeric>{formatNumber(wave.held)}</Td>
      <Td numeric>
        {formatNumber(wave.network)} / {formatNumber(wave.offline)}
      </Td>
      <Td data-testid="preview-wave-ramp">{rampLine(wave)}</Td>
      <Td>
        <ul>
          {wave.sites.map((site) => (
            <li key={site.siteId}>{siteLine(site)}</li>
          ))}
        </ul>
        {wave.warnings.map((warning) => (
          <div key={warning} role="alert" className="mt-1">
            <Banner tone="warning">⚠ {warning}</Banner>
          </div>
        ))}
      </Td>
    </tr>
  );
}

export function PlanPreviewTable({ preview }: { preview: PlanPreviewView }) {
  return (
    <section aria-labelledby="preview-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-testid="plan-preview">
      <h2 id="preview-heading" className="text-lg font-semibold">
        Preview
      </h2>
      <Summary preview={preview} />
      <Table caption="Devices and downloads per wave">
        <thead>
          <tr>
            <Th>Wave</Th>
            <Th numeric>Devices</Th>
            <Th numeric>Held</Th>
            <Th numeric>Network / offline</Th>
            <Th>Ramp</Th>
            <Th>Download per site</Th>
          </tr>
        </thead>
        <tbody>
          {preview.waves.map((wave) => (
            <WaveRow key={wave.index} wave={wave} />
          ))}
        </tbody>
      </Table>
    </section>
  );
}
