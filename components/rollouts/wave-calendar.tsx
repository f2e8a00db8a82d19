// The rollout page's calendar of one wave: planned start and deadline (a date, or the release date +
// N days), compliance target, ramp, the forecast, and what slips of the release date moved.
import { formatDate } from "@/lib/format";
import { describeMove } from "@/lib/rollouts/wave-dates";
import type { WaveDetail } from "@/lib/rollouts/queries";
import { ForecastBadge, forecastSentence } from "./forecast-badge";

const fromRelease = (offset: number | null) => (offset === null ? "" : ` (release ${offset < 0 ? "−" : "+"} ${Math.abs(offset)} ${Math.abs(offset) === 1 ? "day" : "days"})`);

export function WaveCalendar({ wave }: { wave: Pick<WaveDetail, "name" | "calendar" | "dateMoves"> }) {
  const { calendar, dateMoves } = wave;
  return (
    <div className="mt-2 space-y-1 text-sm" data-testid="wave-calendar">
      <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-slate-700 dark:text-slate-300">
        <span data-testid="wave-planned-start">
          Planned start {formatDate(calendar.plannedStart)}
          {fromRelease(calendar.startOffsetDays)}
        </span>
        <span aria-hidden="true">·</span>
        <span data-testid="wave-deadline">
          deadline {formatDate(calendar.deadline)}
          {fromRelease(calendar.deadlineOffsetDays)}
        </span>
        <span aria-hidden="true">·</span>
        <span>target {calendar.complianceTarget} % installed</span>
        {calendar.maxDevicesPerDay ? (
          <>
            <span aria-hidden="true">·</span>
            <span>ramp {calendar.maxDevicesPerDay.toLocaleString("en")} machines a day</span>
          </>
        ) : null}
      </p>
      <p className="flex flex-wrap items-baseline gap-2">
        <ForecastBadge forecast={calendar.forecast} />
        <span>{forecastSentence(calendar.forecast, calendar.deadline, calendar.complianceTarget)}</span>
      </p>
      {dateMoves.length ? (
        <ul className="space-y-1" aria-label={`Latest date moves of ${wave.name}`}>
          {dateMoves
            .filter((m) => m.slipRecordedAt === dateMoves[0].slipRecordedAt)
            .map((m, i) => (
              <li key={i} data-testid="wave-date-move">
                <MoveLine move={m} />
              </li>
            ))}
        </ul>
      ) : null}
      {dateMoves.length > 2 ? (
        <details>
          <summary className="cursor-pointer">Every date move of this wave ({dateMoves.length})</summary>
          <ul className="mt-1 list-disc space-y-1 pl-5" aria-label={`Date moves of ${wave.name}`}>
            {dateMoves.map((m, i) => (
              <li key={i}>
                <MoveLine move={m} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function MoveLine({ move }: { move: WaveDetail["dateMoves"][number] }) {
  return (
    <>
      {describeMove({ field: move.field, days: move.days, fromAt: move.from, toAt: move.to }, move.slipRecordedAt ?? move.to ?? "")}
      {move.slipPlannedDate ? `, release now planned for ${move.slipPlannedDate}` : ""}
      {move.note ? `: ${move.note}` : "."}
    </>
  );
}
