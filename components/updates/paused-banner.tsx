// The emergency pause of an update, on every signed-in page (the dashboard layout reads the paused
// updates once per request): which update, since when, until when, why, and a link to resume it.
import Link from "next/link";
import { Banner } from "@/components/ui/feedback";
import { formatDateTime } from "@/lib/format";
import type { UpdatePause } from "@/lib/updates/pause";

export function PausedUpdatesBanner({ paused }: { paused: UpdatePause[] }) {
  if (paused.length === 0) return null;
  return (
    <Banner tone="warning" className="mb-4 space-y-1 p-3">
      <p className="font-semibold">{paused.length === 1 ? "An update is paused" : `${paused.length} updates are paused`}: no wave offers {paused.length === 1 ? "it" : "them"}</p>
      <ul className="space-y-1" data-testid="paused-updates">
        {paused.map((p) => (
          <li key={p.slug} className="break-words">
            <Link href={`/updates/${encodeURIComponent(p.slug)}#pause`} className="font-medium">
              {p.title}
            </Link>{" "}
            paused {formatDateTime(p.pausedAt)}
            {p.by ? ` by ${p.by}` : ""}, {p.until ? `until ${formatDateTime(p.until)}` : "until resumed"}: {p.reason}
          </li>
        ))}
      </ul>
    </Banner>
  );
}
