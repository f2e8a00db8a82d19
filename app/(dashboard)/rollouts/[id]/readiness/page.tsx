// /rollouts/[id]/readiness?wave=&status=&page= — the machines behind a wave's readiness count (issue #17):
// each with its apps and how they fare on the wave's build, worst first, 100 a page.
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { READINESS_TONES } from "@/components/updates/readiness-matrix";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button-styles";
import { SelectField } from "@/components/ui/form-field";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
import { getPageActor } from "@/lib/auth/session";
import { formatNumber, NONE } from "@/lib/format";
import { READINESS_LABELS } from "@/lib/readiness/model";
import { listReadinessMachines, MACHINE_FILTERS, MACHINES_PAGE_SIZE, type MachineFilter } from "@/lib/readiness/waves";
import { notFoundOn404, rolloutIdParam, textSearchParams } from "@/lib/rollouts/page-helpers";
import type { SearchParams } from "@/lib/http/query";
import { readRolloutRow, readRolloutWaves } from "@/lib/rollouts/shared-reads";

export const dynamic = "force-dynamic";

const FILTER_LABELS: Record<MachineFilter, string> = {
  broken: "Worst app broken",
  untested: "Worst app untested",
  works_with_workaround: "Worst app works with workaround",
  works: "Every app works",
  with_untested: "Carrying any untested app",
  no_apps: "No business apps",
  all: "All machines",
};

const Query = z.object({
  wave: z.coerce.number().int().positive().optional().catch(undefined),
  status: z.enum(MACHINE_FILTERS).catch("all").default("all"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  return { title: `App readiness · rollout ${(await params).id}` };
}

export default async function RolloutReadinessPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const actor = await getPageActor();
  const id = await rolloutIdParam(params);
  const query = Query.parse(await textSearchParams(searchParams));
  const [head, waves] = await Promise.all([readRolloutRow(actor, id), readRolloutWaves(actor, id)]);
  if (!head) notFound();
  const waveId = query.wave ?? waves.find((w) => w.status === "planned")?.id ?? waves[0]?.id;
  if (!waveId) notFound();
  const list = await notFoundOn404(listReadinessMachines(actor, id, { wave: waveId, status: query.status, page: query.page }));
  const pages = Math.max(1, Math.ceil(list.total / MACHINES_PAGE_SIZE));
  const link = (page: number) => `?${new URLSearchParams({ wave: String(waveId), status: query.status, page: String(page) })}`;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link href={`/rollouts/${id}`}>← {head.rollout.name}</Link>
        </p>
        <h1 className="text-2xl font-semibold">App readiness of {list.wave.name}</h1>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          The wave&apos;s machines and how their apps fare on {list.wave.build ?? "its build"}, from the{" "}
          <Link href={`/updates/${head.update.slug}#readiness`} className="underline">
            readiness matrix of {head.update.title}
          </Link>
          ; an app without a cell is untested.
        </p>
      </div>
      <form method="get" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3 dark:border-slate-800 dark:bg-slate-900" aria-label="Filter machines">
        <SelectField name="wave" label="Wave" defaultValue={String(waveId)} options={waves.map((w) => ({ value: String(w.id), label: w.name }))} />
        <SelectField name="status" label="Machines" defaultValue={query.status} options={MACHINE_FILTERS.map((f) => ({ value: f, label: FILTER_LABELS[f] }))} />
        <div className="flex items-end">
          <button type="submit" className={buttonClass("primary")}>
            Show
          </button>
        </div>
      </form>
      <Table caption={`${FILTER_LABELS[query.status]}: ${formatNumber(list.total)} ${list.total === 1 ? "machine" : "machines"}${pages > 1 ? `, page ${list.page} of ${pages}` : ""}`} showCaption>
        <thead>
          <tr>
            <Th>Hostname</Th>
            <Th>Site</Th>
            <Th>Department</Th>
            <Th>Worst</Th>
            <Th>Apps on {list.wave.build ?? "the build"}</Th>
          </tr>
        </thead>
        <tbody>
          {list.machines.length === 0 ? <EmptyRow columns={5}>No machines match.</EmptyRow> : null}
          {list.machines.map((m) => (
            <tr key={m.hostname} data-testid="readiness-machine">
              <Td>
                <Link href={`/devices/${encodeURIComponent(m.hostname)}`}>{m.hostname}</Link>
              </Td>
              <Td>{m.site}</Td>
              <Td>{m.department ?? NONE}</Td>
              <Td>{m.worst ? <Badge tone={READINESS_TONES[m.worst]}>{READINESS_LABELS[m.worst]}</Badge> : NONE}</Td>
              <Td>
                <ul className="space-y-0.5">
                  {m.apps.map((a) => (
                    <li key={a.name}>
                      {a.name} <span className="font-mono">{a.version}</span>: {READINESS_LABELS[a.status]}
                    </li>
                  ))}
                </ul>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {pages > 1 ? (
        <nav aria-label="Pages" className="flex gap-4 text-sm">
          {list.page > 1 ? <Link href={link(list.page - 1)}>← Previous</Link> : null}
          {list.page < pages ? <Link href={link(list.page + 1)}>Next →</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
