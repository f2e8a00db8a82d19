// A wave's offline media on the rollout page (issue #21): machines per journey step (each count opens
// the list), the overdue ones prominently, the exports and, for editors, the overdue threshold.
import Link from "next/link";
import { Banner } from "@/components/ui/feedback";
import { formatNumber } from "@/lib/format";
import type { FormState } from "@/lib/forms/form-state";
import { MEDIA_JOURNEY_STEPS, STEP_LABELS } from "@/lib/rollouts/media-journey";
import type { WaveMediaStatus } from "@/lib/rollouts/media";
import { OverdueDaysForm } from "./overdue-days-form";
import { CountedAt } from "@/components/ui/counted-at";

export function MediaWaveSection({
  rolloutId,
  waveName,
  media,
  countedAt,
  overdueAction,
}: {
  rolloutId: number;
  waveName: string;
  media: WaveMediaStatus;
  /** When the shared counts were read. */
  countedAt: string;
  overdueAction: ((s: FormState, f: FormData) => Promise<FormState>) | null;
}) {
  const list = (query: string) => `/rollouts/${rolloutId}/media?wave=${media.waveId}${query}`;
  const csv = (query: string) => `/api/v1/rollouts/${rolloutId}/media.csv?wave=${media.waveId}${query}`;
  return (
    <section className="mt-3 rounded border border-slate-200 p-3 dark:border-slate-800" aria-label={`Offline media for ${waveName}`} data-testid="media-section">
      <h3 className="font-medium">Offline media</h3>
      {media.overdue > 0 ? (
        <Banner tone="error" className="mt-2">
          <Link href={list("&overdue=1")} className="font-semibold underline">
            {formatNumber(media.overdue)} overdue
          </Link>{" "}
          — posted or booked more than {media.overdueDays} days ago and not installed yet.
        </Banner>
      ) : null}
      <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm tabular-nums" aria-label={`Machines per media step in ${waveName}`}>
        {MEDIA_JOURNEY_STEPS.map((step) => (
          <li key={step} data-testid={`media-count-${step}`}>
            <Link href={list(`&step=${step}`)} className="underline">
              {STEP_LABELS[step]}: {formatNumber(media.counts[step])}
            </Link>
          </li>
        ))}
      </ul>
      <p className="mt-2 text-sm">
        {formatNumber(media.offlineDevices)} machines on CD-ROM or technician visits ·{" "}
        <Link href={list("")} className="underline">
          list and record steps
        </Link>{" "}
        · <a href={csv("&step=to_send")} className="underline">mailing list (still to send, CSV)</a> ·{" "}
        <a href={csv("")} className="underline">all (CSV)</a>
      </p>
      <CountedAt at={countedAt} className="mt-1" />
      {overdueAction ? <OverdueDaysForm waveId={media.waveId} days={media.overdueDays} action={overdueAction} /> : null}
    </section>
  );
}
