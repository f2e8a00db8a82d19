// The top of the rollout page: the wave the rollout is at, its gate in one sentence, what blocks it
// and the one next action (a button for editors; viewers read the same sentences without it).
import Link from "next/link";
import { formatNumber } from "@/lib/format";
import type { FormState } from "@/lib/forms/form-state";
import type { Blocker, RolloutNow, StartState } from "@/lib/rollouts/now";
import { NowAction } from "./now-action";

function BlockerLine({ blocker }: { blocker: Blocker }) {
  if (blocker.kind === "halted") {
    return (
      <li className="text-red-800 dark:text-red-300">
        <strong>{blocker.wave}</strong> is halted{blocker.reason ? `: ${blocker.reason}` : "."}
      </li>
    );
  }
  if (blocker.kind === "issue") {
    return (
      <li className="text-red-800 dark:text-red-300">
        Blocking known issue{" "}
        <Link href={`/known-issues/${blocker.advisoryId}`} className="underline">
          {blocker.advisoryId} {blocker.title}
        </Link>{" "}
        affects {blocker.wave}.
      </li>
    );
  }
  return (
    <li>
      {formatNumber(blocker.devices)} {blocker.devices === 1 ? "machine" : "machines"} in {blocker.wave} held back by safeguard holds.
    </li>
  );
}

export function NowPanel({ now, action }: { now: RolloutNow; action: ((s: FormState, f: FormData) => Promise<FormState>) | null }) {
  return (
    <section
      aria-labelledby="now-heading"
      data-testid="rollout-now"
      className="rounded-lg border-2 border-blue-300 bg-blue-50 p-4 dark:border-blue-800 dark:bg-slate-900"
    >
      <h2 id="now-heading" className="text-sm font-semibold uppercase tracking-wide text-blue-900 dark:text-blue-200">
        Now
      </h2>
      <p className="mt-1 text-lg font-semibold" data-testid="now-wave">
        {now.headline}
      </p>
      {now.gate ? (
        <p className="mt-1 text-sm tabular-nums" data-testid="now-gate">
          {now.gate}
        </p>
      ) : null}
      {now.blockers.length ? (
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm" aria-label="What blocks it" data-testid="now-blockers">
          {now.blockers.map((b, i) => (
            <BlockerLine key={i} blocker={b} />
          ))}
        </ul>
      ) : null}
      {now.note ? (
        <p className="mt-2 text-sm" data-testid="now-note">
          {now.note}
        </p>
      ) : null}
      {now.action ? (
        action ? (
          <NowAction next={now.action} action={action} />
        ) : (
          <p className="mt-2 text-sm" data-testid="now-next">
            Next: {now.action.label.charAt(0).toLowerCase() + now.action.label.slice(1)} (an editor does this).
          </p>
        )
      ) : null}
    </section>
  );
}

/** Under a planned wave: why it cannot start yet (for everyone; editors get the buttons below it). */
export function WaveWaits({ start }: { start: StartState }) {
  if (start.kind === "may") return null;
  return (
    <p className="mt-3 text-sm text-slate-700 dark:text-slate-300" data-testid="wave-waits">
      {start.why}
    </p>
  );
}
