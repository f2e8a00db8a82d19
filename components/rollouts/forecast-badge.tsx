// A wave's deadline forecast as a badge and a sentence (lib/rollouts/forecast.ts), the same on the
// overview and the rollout page.
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatDate } from "@/lib/format";

type ForecastView = { status: string; expectedCompletion: string | null; ratePerDay: number | null; targetDevices: number; remaining: number };

const TONES: Record<string, BadgeTone> = { on_track: "good", at_risk: "warn", late: "bad", done: "good", no_data: "neutral" };
const LABELS: Record<string, string> = { on_track: "on track", at_risk: "deadline at risk", late: "late", done: "target reached", no_data: "no forecast" };
// One formatter for every sentence: toLocaleString with options builds a new one per call (~50 µs).
const PER_DAY = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

export function ForecastBadge({ forecast }: { forecast: ForecastView }) {
  return (
    <span data-testid="forecast" data-status={forecast.status}>
      <Badge tone={TONES[forecast.status] ?? "neutral"}>{LABELS[forecast.status] ?? forecast.status}</Badge>
    </span>
  );
}

/** "Expected to reach 95 % on 2004-09-04 at 12.5 machines a day (38 to go)." */
export function forecastSentence(forecast: ForecastView, deadline: string | null, target: number): string {
  const rate = forecast.ratePerDay === null ? "" : ` at ${PER_DAY.format(forecast.ratePerDay)} machines a day`;
  const toGo = `${forecast.remaining.toLocaleString("en")} to go`;
  switch (forecast.status) {
    case "done":
      return `Reached its target of ${target} %.`;
    case "no_data":
      return deadline ? `No installs in the last 7 days to forecast from; deadline ${formatDate(deadline)}.` : "No deadline and no installs to forecast from.";
    case "late":
      return `The deadline ${formatDate(deadline)} has passed below the ${target} % target (${toGo})${forecast.expectedCompletion ? `; at the current rate it gets there on ${forecast.expectedCompletion}` : ""}.`;
    default:
      return `Expected to reach ${target} % on ${forecast.expectedCompletion}${rate} (${toGo})${deadline ? `; deadline ${formatDate(deadline)}` : ""}.`;
  }
}
