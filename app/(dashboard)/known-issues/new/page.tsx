import Link from "next/link";
import { CreateIssueForm } from "@/components/known-issues/forms";
import { Card } from "@/components/ui/card";
import { requirePageAction } from "@/lib/auth/session";
import { ACTIVE_STATUSES, SEVERITIES, STATUS_LABELS } from "@/lib/known-issues/lifecycle";
import { listUpdateChoices } from "@/lib/known-issues/queries";
import { createIssueAction } from "../actions";

export const metadata = { title: "New known issue" };

export default async function NewKnownIssuePage() {
  const actor = await requirePageAction("known_issue.write");
  const updates = await listUpdateChoices(actor);
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link href="/known-issues">← Known issues</Link>
      </p>
      <h1 className="text-2xl font-semibold">New known issue</h1>
      <Card>
        <CreateIssueForm
          action={createIssueAction}
          updates={updates.map((u) => ({ value: u.slug, label: u.title }))}
          severities={SEVERITIES.map((s) => ({ value: s, label: s }))}
          statuses={ACTIVE_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
        />
      </Card>
    </div>
  );
}
