// A planned wave's readiness on the rollout page (issue #17): how many of its machines carry an app
// that is broken, untested or works with a workaround on the wave's build (worst cell per machine),
// each count linking to those machines, and its readiness rule when it has one.
import Link from "next/link";
import { formatNumber, formatPercent } from "@/lib/format";
import type { WaveReadiness } from "@/lib/readiness/model";
import { CountedAt } from "@/components/ui/counted-at";
import type { Counted } from "@/lib/cache/page-data";

export function WaveReadinessLine({ rolloutId, readiness, updateSlug }: { rolloutId: number; readiness: WaveReadiness; updateSlug: string }) {
  const link = (status: string) => `/rollouts/${rolloutId}/readiness?wave=${readiness.waveId}&status=${status}`;
  const counts = [
    { status: "broken", label: "broken", value: readiness.broken, tone: "text-red-800 dark:text-red-300" },
    { status: "untested", label: "untested", value: readiness.untested, tone: "" },
    { status: "works_with_workaround", label: "works with workaround", value: readiness.worksWithWorkaround, tone: "text-amber-900 dark:text-amber-200" },
  ];
  return (
    <div className="mt-2 text-sm" data-testid="wave-readiness">
      <p>
        App readiness on {readiness.build ?? "its build"} (
        <Link href={`/updates/${updateSlug}#readiness`} className="underline">
          matrix
        </Link>
        ), machines by their worst app:{" "}
        {counts.map((c, i) => (
          <span key={c.status}>
            {i > 0 ? " · " : ""}
            <Link href={link(c.status)} className={`underline ${c.tone}`} data-testid={`readiness-${c.status}`}>
              {formatNumber(c.value)} {c.label}
            </Link>
          </span>
        ))}{" "}
        of {formatNumber(readiness.machines)}.
      </p>
      {readiness.maxUntestedPct !== null ? (
        <p className={readiness.ruleBreached ? "text-red-800 dark:text-red-300" : "text-slate-700 dark:text-slate-300"}>
          Readiness rule: at most {readiness.maxUntestedPct} % of its machines with untested apps; now{" "}
          <Link href={link("with_untested")} className="underline">
            {formatNumber(readiness.withUntestedApps)} ({formatPercent(readiness.withUntestedAppsPct)})
          </Link>
          {readiness.ruleBreached ? " — it starts only with a written reason." : "."}
        </p>
      ) : null}
    </div>
  );
}

/** The line for one planned wave, from the rollout's readiness read (started once, streamed into each card). */
export async function PlannedWaveReadiness({ readiness, waveId, rolloutId, updateSlug }: { readiness: Promise<Counted<Map<number, WaveReadiness>>>; waveId: number; rolloutId: number; updateSlug: string }) {
  const { countedAt, value } = await readiness;
  const wave = value.get(waveId);
  return wave ? (
    <>
      <WaveReadinessLine rolloutId={rolloutId} readiness={wave} updateSlug={updateSlug} />
      <CountedAt at={countedAt} />
    </>
  ) : null;
}
