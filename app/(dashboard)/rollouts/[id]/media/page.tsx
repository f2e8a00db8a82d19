// /rollouts/[id]/media?wave=&step=&overdue=&q=&page= — the rollout's offline machines per media journey
// step (issue #21): filter, export as CSV (or the mailing list of what is still to send), and record a
// step for many machines at once (editors; helpdesk: received and appointments).
import Link from "next/link";
import { notFound } from "next/navigation";
import { MediaBulkForm } from "@/components/rollouts/media-bulk-form";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button-styles";
import { Card } from "@/components/ui/card";
import { CheckboxField, SelectField, TextField } from "@/components/ui/form-field";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { getPageActor } from "@/lib/auth/session";
import { formatDate, formatNumber, NONE } from "@/lib/format";
import { listMediaJourneys, MEDIA_PAGE_SIZE, MediaListFilter, mediaStatusForRollout } from "@/lib/rollouts/media";
import { HELPDESK_STEPS, MEDIA_JOURNEY_STEPS, MEDIA_STEPS, STEP_LABELS } from "@/lib/rollouts/media-journey";
import { rolloutIdParam, textSearchParams } from "@/lib/rollouts/page-helpers";
import type { SearchParams } from "@/lib/http/query";
import { readRolloutRow, readRolloutWaves } from "@/lib/rollouts/shared-reads";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  return { title: `Offline media · rollout ${(await params).id}` };
}

export default async function RolloutMediaPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const actor = await getPageActor();
  const id = await rolloutIdParam(params);
  const filter = MediaListFilter.parse(await textSearchParams(searchParams));
  const [head, waves, status, list] = await Promise.all([readRolloutRow(actor, id), readRolloutWaves(actor, id), mediaStatusForRollout(actor, id), listMediaJourneys(actor, id, filter)]);
  if (!head) notFound();
  const query = (extra: Record<string, string | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ wave: filter.wave?.toString(), step: filter.step, overdue: filter.overdue ? "1" : undefined, q: filter.q, ...extra })) if (v) q.set(k, v);
    return q.toString();
  };
  const shown = status.filter((s) => (filter.wave ? s.waveId === filter.wave : s.offlineDevices > 0));
  const counts = Object.fromEntries(MEDIA_JOURNEY_STEPS.map((step) => [step, shown.reduce((n, s) => n + s.counts[step], 0)]));
  const overdue = shown.reduce((n, s) => n + s.overdue, 0);
  const pages = Math.max(1, Math.ceil(list.total / MEDIA_PAGE_SIZE));
  const steps = can(actor, "rollout.write") ? MEDIA_STEPS : can(actor, "media.record") ? HELPDESK_STEPS : [];
  const csv = (extra: Record<string, string | undefined>) => `/api/v1/rollouts/${id}/media.csv?${query({ page: undefined, ...extra })}`;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link href={`/rollouts/${id}`}>← {head.rollout.name}</Link>
        </p>
        <h1 className="text-2xl font-semibold">Offline media</h1>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Machines that get {head.update.title} on a CD-ROM or at an office: posted, received, an appointment booked, installed (from the machine&apos;s own report), returned or lost.
        </p>
      </div>
      <Card title="Per step">
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm tabular-nums" aria-label="Machines per media step">
          {MEDIA_JOURNEY_STEPS.map((step) => (
            <li key={step} data-testid={`media-count-${step}`}>
              <Link href={`?${query({ step, overdue: undefined })}`} className="underline">
                {STEP_LABELS[step]}: {formatNumber(counts[step])}
              </Link>
            </li>
          ))}
          <li data-testid="media-count-overdue">
            <Link href={`?${query({ step: undefined, overdue: "1" })}`} className="font-semibold text-red-800 underline dark:text-red-300">
              Overdue: {formatNumber(overdue)}
            </Link>
          </li>
        </ul>
      </Card>
      <form method="get" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-5 dark:border-slate-800 dark:bg-slate-900" aria-label="Filter machines">
        <SelectField name="wave" label="Wave" placeholder="Any" defaultValue={filter.wave?.toString() ?? ""} options={waves.map((w) => ({ value: String(w.id), label: w.name }))} />
        <SelectField name="step" label="Step" placeholder="Any" defaultValue={filter.step ?? ""} options={MEDIA_JOURNEY_STEPS.map((s) => ({ value: s, label: STEP_LABELS[s] }))} />
        <TextField name="q" label="Hostname contains" defaultValue={filter.q ?? ""} />
        <CheckboxField name="overdue" value="1" label="Overdue only" defaultChecked={filter.overdue} className="self-end" />
        <div className="flex items-end gap-3">
          <button type="submit" className={buttonClass("primary")}>
            Filter
          </button>
          <Link href={`/rollouts/${id}/media`}>Clear</Link>
        </div>
      </form>
      <p className="flex flex-wrap gap-x-4 text-sm">
        <a href={csv({})} className="underline">
          Export this list (CSV)
        </a>
        <a href={csv({ step: "to_send", overdue: undefined })} className="underline">
          Mailing list: still to send (CSV)
        </a>
      </p>
      <Table caption={`Offline machines: ${formatNumber(list.total)}${pages > 1 ? `, page ${filter.page} of ${pages}` : ""}`} showCaption>
        <thead>
          <tr>
            <Th>Hostname</Th>
            <Th>Department</Th>
            <Th>Site</Th>
            <Th>Wave</Th>
            <Th>Step</Th>
            <Th>Since</Th>
            <Th>Batch / office</Th>
            <Th>Reference / technician</Th>
          </tr>
        </thead>
        <tbody>
          {list.rows.length === 0 ? <EmptyRow columns={8}>No machines match.</EmptyRow> : null}
          {list.rows.map((r) => (
            <tr key={r.hostname} data-testid="media-row">
              <Td>
                <Link href={`/devices/${encodeURIComponent(r.hostname)}`}>{r.hostname}</Link>
              </Td>
              <Td>{r.department ?? NONE}</Td>
              <Td>{r.site}</Td>
              <Td>{r.wave}</Td>
              <Td>
                {STEP_LABELS[r.step]} {r.overdue ? <Badge tone="bad">overdue</Badge> : null}
              </Td>
              <Td>{formatDate(r.stepAt)}</Td>
              <Td>{r.batch ?? r.office ?? NONE}</Td>
              <Td>{r.reference ?? r.technician ?? NONE}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {pages > 1 ? (
        <nav aria-label="Pages" className="flex gap-4 text-sm">
          {filter.page > 1 ? <Link href={`?${query({ page: String(filter.page - 1) })}`}>← Previous</Link> : null}
          {filter.page < pages ? <Link href={`?${query({ page: String(filter.page + 1) })}`}>Next →</Link> : null}
        </nav>
      ) : null}
      {steps.length ? (
        <Card title="Record a step for many machines">
          <MediaBulkForm rolloutId={id} steps={steps} today={new Date().toISOString().slice(0, 10)} />
        </Card>
      ) : null}
    </div>
  );
}
