import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { formatPercent } from "@/lib/format";
import type { RolloutProgress } from "@/lib/overview/queries";
import { StateBar } from "./state-bar";
import { ForecastBadge, forecastSentence } from "@/components/rollouts/forecast-badge";

const WAVE_TONES: Record<string, BadgeTone> = {
  planned: "neutral",
  active: "info",
  paused: "warn",
  halted: "bad",
  completed: "good",
};

const GATE_TONES: Record<string, BadgeTone> = { waiting_for_data: "neutral", in_progress: "info", passed: "good", breached: "bad" };
const GATE_LABELS: Record<string, string> = { waiting_for_data: "gate: waiting for data", in_progress: "gate: in progress", passed: "gate passed", breached: "gate breached" };

export function RolloutCard({ rollout }: { rollout: RolloutProgress }) {
  return (
    <Card title={`${rollout.name} — ${rollout.update.title}`}>
      <p className="-mt-2 mb-3 text-sm">
        <Link href={`/rollouts/${rollout.id}`}>Open the rollout</Link> · <Link href={`/updates/${rollout.update.slug}`}>adoption of {rollout.update.title}</Link>
      </p>
      <ol className="space-y-4" aria-label={`Waves of ${rollout.name}`}>
        {rollout.waves.map((wave) => (
          <li key={wave.id} data-testid="wave">
            <div className="flex flex-wrap items-baseline gap-2">
              <h3 className="font-medium">{wave.name}</h3>
              <Badge tone={WAVE_TONES[wave.status] ?? "neutral"}>{wave.status}</Badge>
              {wave.status === "planned" ? null : <Badge tone={GATE_TONES[wave.gateStatus] ?? "neutral"}>{GATE_LABELS[wave.gateStatus] ?? wave.gateStatus}</Badge>}
              {wave.calendar.deadline || wave.calendar.forecast.status !== "no_data" ? <ForecastBadge forecast={wave.calendar.forecast} /> : null}
              <span className="ml-auto text-sm tabular-nums text-slate-700 dark:text-slate-300">
                {`${wave.summary.installed.toLocaleString("en")} of ${wave.summary.inScope.toLocaleString("en")} installed (${formatPercent(wave.summary.installedPct)})`}
              </span>
            </div>
            <StateBar counts={wave.counts} label={`Deployment states in ${wave.name}`} />
            {wave.status === "planned" ? null : <p className="mt-1 text-xs text-slate-700 dark:text-slate-300" data-testid="wave-gate">{wave.gateReason}</p>}
            {wave.calendar.deadline ? (
              <p className="mt-1 text-xs text-slate-700 dark:text-slate-300" data-testid="wave-forecast">
                {forecastSentence(wave.calendar.forecast, wave.calendar.deadline, wave.calendar.complianceTarget)}
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </Card>
  );
}
