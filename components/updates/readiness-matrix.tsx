// The update page's readiness matrix (issue #17): business apps on the update's machines (most machines
// first, versions grouped) × its builds. Each cell says untested / works / works with workaround /
// broken with its note, known issue, who and when, and its earlier entries; beside untested, how many
// pilot machines were seen working with it. Editors mark a cell in place. One page of rows at a time.
import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
import { formatDate, formatNumber } from "@/lib/format";
import type { FormState } from "@/lib/forms/form-state";
import type { MatrixCell, ReadinessMatrix } from "@/lib/readiness/matrix";
import { describeRange, READINESS_LABELS, type ReadinessStatus } from "@/lib/readiness/model";
import { ReadinessCellForm } from "./readiness-cell-form";
import { CountedAt } from "@/components/ui/counted-at";
import type { Counted } from "@/lib/cache/page-data";

type Action = (s: FormState, f: FormData) => Promise<FormState>;

export const READINESS_TONES: Record<ReadinessStatus, BadgeTone> = { untested: "neutral", works: "good", works_with_workaround: "warn", broken: "bad" };

export function ReadinessMatrixCard({ matrix, markCell, countedAt }: { matrix: ReadinessMatrix; markCell: Action | null; countedAt?: string }) {
  const pages = Math.max(1, Math.ceil(matrix.totalRows / matrix.pageSize));
  const pageLink = (page: number) => `?readinessPage=${page}#readiness`;
  return (
    <section id="readiness" aria-labelledby="readiness-heading">
      <Card>
        <h2 id="readiness-heading" className="text-lg font-semibold">
          App readiness
        </h2>
        <p className="mb-3 mt-1 text-sm text-slate-700 dark:text-slate-300">
          What the pilot proved about the business apps on this update&apos;s machines, per build. A broken cell names its known issue; a wave&apos;s readiness counts each of its machines under the worst cell of its apps.
        </p>
        {countedAt ? <CountedAt at={countedAt} className="mb-3 -mt-2" /> : null}
        {matrix.builds.length === 0 ? (
          <p className="text-sm">Add a build to record readiness.</p>
        ) : matrix.totalRows === 0 ? (
          <p className="text-sm">No machine in scope of this update carries a business app yet: the matrix fills in as inventory arrives.</p>
        ) : (
          <Table caption={`Readiness of ${formatNumber(matrix.totalRows)} app versions × builds${pages > 1 ? `, page ${matrix.page} of ${pages}` : ""}`} showCaption data-testid="readiness-matrix">
            <thead>
              <tr>
                <Th>App</Th>
                <Th>Versions</Th>
                <Th numeric>Machines</Th>
                {matrix.builds.map((b) => (
                  <Th key={b.name}>{b.name}</Th>
                ))}
              </tr>
            </thead>
            <tbody>
              {matrix.rows.length === 0 ? <EmptyRow columns={3 + matrix.builds.length}>No apps found on this update&apos;s machines yet.</EmptyRow> : null}
              {matrix.rows.map((row, r) => (
                <tr key={`${row.app}|${row.versionRange}`} data-testid="readiness-row" data-app={row.app} data-range={row.versionRange}>
                  <Td>
                    <span className="font-medium">{row.app}</span>
                    {row.vendor ? <span className="block text-xs text-slate-600 dark:text-slate-300">{row.vendor}</span> : null}
                  </Td>
                  <Td className="font-mono">{describeRange(row.versionRange)}</Td>
                  <Td numeric>{formatNumber(row.machines)}</Td>
                  {row.cells.map((cell, b) => (
                    <Td key={cell.build} className="min-w-44 align-top" data-testid="readiness-cell" data-build={cell.build}>
                      <CellView cell={cell} />
                      {markCell ? (
                        <details className="mt-1">
                          <summary className="cursor-pointer text-sm underline">
                            Mark<span className="sr-only"> {row.app} {describeRange(row.versionRange)} on {cell.build}</span>
                          </summary>
                          <ReadinessCellForm
                            id={`rc-${matrix.page}-${r}-${b}`}
                            what={`${row.app} ${describeRange(row.versionRange)} on ${cell.build}`}
                            app={row.app}
                            versionRange={row.versionRange}
                            build={cell.build}
                            status={cell.status}
                            note={cell.note}
                            knownIssue={cell.knownIssue}
                            knownIssues={matrix.knownIssues}
                            action={markCell}
                          />
                        </details>
                      ) : null}
                    </Td>
                  ))}
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {pages > 1 ? (
          <nav aria-label="Readiness pages" className="mt-3 flex gap-4 text-sm">
            {matrix.page > 1 ? <Link href={pageLink(matrix.page - 1)}>← Previous apps</Link> : null}
            {matrix.page < pages ? <Link href={pageLink(matrix.page + 1)}>Next apps →</Link> : null}
          </nav>
        ) : null}
      </Card>
    </section>
  );
}

function CellView({ cell }: { cell: MatrixCell }) {
  return (
    <div className="space-y-1 text-sm">
      <Badge tone={READINESS_TONES[cell.status]}>{READINESS_LABELS[cell.status]}</Badge>
      {cell.knownIssue ? (
        <Link href={`/known-issues/${cell.knownIssue}`} className="ml-2 underline">
          {cell.knownIssue}
        </Link>
      ) : null}
      {cell.status === "untested" && cell.seenWorkingOnPilotMachines > 0 ? (
        <p className="text-xs text-slate-700 dark:text-slate-300">
          seen working on {formatNumber(cell.seenWorkingOnPilotMachines)} pilot {cell.seenWorkingOnPilotMachines === 1 ? "machine" : "machines"}
        </p>
      ) : null}
      {cell.note ? <p>{cell.note}</p> : null}
      {cell.setBy ? (
        <p className="text-xs text-slate-700 dark:text-slate-300">
          {cell.setBy}, {formatDate(cell.setAt)}
        </p>
      ) : null}
      {cell.history.length ? (
        <details>
          <summary className="cursor-pointer text-xs underline">Earlier ({cell.history.length})</summary>
          <ul className="mt-1 space-y-1 text-xs">
            {cell.history.map((h) => (
              <li key={h.setAt + h.status}>
                {READINESS_LABELS[h.status]}
                {h.knownIssue ? ` (${h.knownIssue})` : ""} — {h.setBy}, {formatDate(h.setAt)}
                {h.note ? `: ${h.note}` : ""}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

/** The matrix's read starts with the page's and streams in behind a skeleton. */
export async function ReadinessMatrixSection({ matrix, markCell }: { matrix: Promise<Counted<ReadinessMatrix>>; markCell: Action | null }) {
  const { countedAt, value } = await matrix;
  return <ReadinessMatrixCard matrix={value} markCell={markCell} countedAt={countedAt} />;
}
