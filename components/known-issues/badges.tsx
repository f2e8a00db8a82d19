import { Badge } from "@/components/ui/badge";
import { severityTone, STATUS_LABELS, statusTone, type KnownIssueStatus, type Severity } from "@/lib/known-issues/lifecycle";

export function StatusBadge({ status }: { status: KnownIssueStatus }) {
  return <Badge tone={statusTone(status)}>{STATUS_LABELS[status]}</Badge>;
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge tone={severityTone(severity)}>{severity}</Badge>;
}

export function HoldBadge({ id }: { id?: string | null }) {
  return <Badge tone="warn">Safeguard hold{id ? ` ${id}` : ""}</Badge>;
}
