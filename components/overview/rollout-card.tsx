import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { RolloutProgress } from "@/lib/overview/queries";
import { StateBar } from "./state-bar";

const WAVE_TONES: Record<string, BadgeTone> = {
  planned: "neutral",
  active: "info",
  paused: "warn",
  halted: "bad",
  completed: "good",
};

const pct = (n: number | null) => (n === null ? "–" : `${n.toFixed(1)} %`);

export function RolloutCard({ rollout }: { rollout: RolloutProgress }) {
  return (
    <Card title={`${rollout.name} — ${rollout.update.title}`}>
      <ol className="space-y-4" aria-label={`Waves of ${rollout.name}`}>
        {rollout.waves.map((wave) => (
          <li key={wave.id} data-testid="wave">
            <div className="flex flex-wrap items-baseline gap-2">
              <h3 className="font-medium">{wave.name}</h3>
              <Badge tone={WAVE_TONES[wave.status] ?? "neutral"}>{wave.status}</Badge>
              <span className="ml-auto text-sm tabular-nums text-slate-700 dark:text-slate-300">
                {wave.summary.installed.toLocaleString("en")} of {wave.summary.inScope.toLocaleString("en")} installed ({pct(wave.summary.installedPct)})
              </span>
            </div>
            <StateBar counts={wave.counts} label={`Deployment states in ${wave.name}`} />
          </li>
        ))}
      </ol>
    </Card>
  );
}
