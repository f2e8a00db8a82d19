// A started wave's silent machines (no report for the rollout's silentAfterDays): how many, with
// links to the list and the CSV export. Neither success nor failure, so shown apart from both.
import Link from "next/link";
import { formatNumber } from "@/lib/format";

export function SilentMachines({ rolloutId, waveId, updateSlug, silent, silentAfterDays }: { rolloutId: number; waveId: number; updateSlug: string; silent: number; silentAfterDays: number }) {
  const query = new URLSearchParams({ update: updateSlug, wave: String(waveId), silent: "1" });
  return (
    <p className="mt-1 text-sm" data-testid="wave-silent">
      <strong>{formatNumber(silent)} silent</strong> {silent === 1 ? "machine" : "machines"}: no report for {silentAfterDays} {silentAfterDays === 1 ? "day" : "days"} (neither success nor failure)
      {silent > 0 ? (
        <>
          {" · "}
          <Link href={`/devices?${query}`} className="underline">
            list them
          </Link>
          {" · "}
          <a href={`/api/v1/rollouts/${rolloutId}/devices.csv?wave=${waveId}&silent=1`} className="underline">
            CSV
          </a>
        </>
      ) : null}
    </p>
  );
}
