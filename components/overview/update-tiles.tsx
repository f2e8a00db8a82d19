import Link from "next/link";
import { Stat } from "@/components/ui/card";
import type { UpdateInFlight } from "@/lib/overview/queries";

const fmt = (n: number) => n.toLocaleString("en");
const pct = (n: number | null) => (n === null ? "–" : `${n.toFixed(1)} %`);

// One row of tiles per update: a machine has one deployment per update, so each tile counts
// machines once. Figures of different updates are never added up (a machine can be in both).
export function UpdateTiles({ update }: { update: UpdateInFlight }) {
  const t = update.totals;
  const headingId = `tiles-${update.slug}`;
  return (
    <section aria-labelledby={headingId} className="space-y-2">
      <h2 id={headingId} className="text-base font-semibold">
        <Link href={`/updates/${update.slug}`}>{update.title}</Link>
      </h2>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
        <Stat
          label="Machines in scope"
          value={<span data-testid="tile-in-scope">{fmt(t.inScope)}</span>}
          hint={`Machines that need this update, each once, of ${fmt(t.total)} with a deployment of it`}
        />
        <Stat
          label="Installed"
          value={<span data-testid="tile-installed">{pct(t.installedPct)}</span>}
          hint={`${fmt(t.installed)} of the ${fmt(t.inScope)} machines in scope have it installed`}
        />
        <Stat
          label="Failed or rolled back"
          value={<span data-testid="tile-failed">{fmt(t.failed + t.rolledBack)}</span>}
          hint="Machines whose latest report of this update is failed or rolled back"
        />
        <Stat
          label="Held by a known issue"
          value={<span data-testid="tile-held">{fmt(t.held)}</span>}
          hint="Machines a safeguard hold keeps from this update"
        />
        <Stat
          label="Not applicable"
          value={<span data-testid="tile-not-applicable">{fmt(t.notApplicable)}</span>}
          hint="Machines with nothing to install (e.g. Windows 2000); compliant, not in scope"
        />
      </div>
    </section>
  );
}
