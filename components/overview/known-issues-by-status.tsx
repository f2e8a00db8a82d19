import Link from "next/link";
import { Card } from "@/components/ui/card";

const OPEN = ["reported", "investigating", "confirmed", "mitigated", "mitigated_external"] as const;
const LABELS: Record<string, string> = {
  reported: "Reported",
  investigating: "Investigating",
  confirmed: "Confirmed",
  mitigated: "Mitigated",
  mitigated_external: "Mitigated (external)",
};

export function KnownIssuesByStatus({ counts }: { counts: Record<string, number> }) {
  const open = OPEN.reduce((n, s) => n + (counts[s] ?? 0), 0);
  return (
    <Card title={`Open known issues: ${open}`}>
      {open === 0 ? (
        <p className="text-sm">No open known issues.</p>
      ) : (
        <ul className="flex flex-wrap gap-4 text-sm">
          {OPEN.filter((s) => counts[s]).map((s) => (
            <li key={s}>
              <Link href={`/known-issues?status=${s}`}>
                {LABELS[s]}: <span className="tabular-nums">{counts[s]}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
