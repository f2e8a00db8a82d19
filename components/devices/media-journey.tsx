// A machine's offline-media journey per rollout (issue #21): where it is now, whether it is overdue,
// and every recorded step with who recorded it and when; the installed step is the machine's own report.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { formatDate, formatDateTime, NONE } from "@/lib/format";
import { STEP_LABELS } from "@/lib/rollouts/media-journey";
import type { DeviceMediaJourney } from "@/lib/rollouts/media";

export function MediaJourneys({ journeys }: { journeys: DeviceMediaJourney[] }) {
  return (
    <div className="space-y-4">
      {journeys.map((j) => (
        <section key={j.rolloutId} aria-label={`Media journey in ${j.rollout}`} data-testid="media-journey">
          <p className="text-sm">
            <Link href={`/rollouts/${j.rolloutId}/media`}>{j.rollout}</Link>
            {j.wave ? ` · ${j.wave}` : ""} · now: <strong data-testid="media-journey-step">{STEP_LABELS[j.step]}</strong>
            {j.installedAt ? ` on ${formatDate(j.installedAt)} (reported by the machine)` : ""}{" "}
            {j.overdue ? <Badge tone="bad">overdue: more than {j.overdueDays} days</Badge> : null}
          </p>
          <Table caption={`Media steps in ${j.rollout}`}>
            <thead>
              <tr>
                <Th>Step</Th>
                <Th>Date</Th>
                <Th>Batch / office</Th>
                <Th>Reference / technician</Th>
                <Th>Recorded by</Th>
                <Th>Recorded at</Th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <Td>{STEP_LABELS.to_send}</Td>
                <Td>{NONE}</Td>
                <Td colSpan={4}>In the wave on an offline channel</Td>
              </tr>
              {j.steps.map((s, i) => (
                <tr key={i}>
                  <Td>{STEP_LABELS[s.step]}</Td>
                  <Td>{formatDate(s.occurredAt)}</Td>
                  <Td>{s.batch ?? s.office ?? NONE}</Td>
                  <Td>{[s.reference, s.technician].filter(Boolean).join(" · ") || NONE}</Td>
                  <Td>{s.recordedBy}</Td>
                  <Td>{formatDateTime(s.recordedAt)}</Td>
                </tr>
              ))}
              {j.installedAt ? (
                <tr>
                  <Td>{STEP_LABELS.installed}</Td>
                  <Td>{formatDate(j.installedAt)}</Td>
                  <Td colSpan={2}>{NONE}</Td>
                  <Td>the machine&apos;s status report</Td>
                  <Td>{formatDateTime(j.installedAt)}</Td>
                </tr>
              ) : null}
            </tbody>
          </Table>
        </section>
      ))}
    </div>
  );
}
