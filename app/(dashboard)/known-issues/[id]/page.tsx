import { notFound } from "next/navigation";
import { Suspense } from "react";
import { IssueImpactSection, IssueImpactSkeleton, KnownIssueView, type IssueImpactData } from "@/components/known-issues/known-issue-view";
import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { getPageActor } from "@/lib/auth/session";
import { HttpError } from "@/lib/http/problem";
import { firstValue, type SearchParams } from "@/lib/http/query";
import { impactDevices, impactForIssue } from "@/lib/known-issues/impact";
import { getKnownIssue } from "@/lib/known-issues/queries";
import { addFixLinkAction, changeStatusAction, editIssueAction, removeFixLinkAction, reportAction, setHoldAction } from "../actions";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props) {
  const { id } = await params;
  return { title: id.toUpperCase() };
}

/** A page of one wave's affected machines; a cursor that no longer reads starts again from the first page. */
async function wavePage(actor: Actor, advisoryId: string, waveId: number, cursor: string | undefined) {
  try {
    return await impactDevices(actor, advisoryId, { waveId, cursor, limit: 50 });
  } catch (error) {
    if (!(error instanceof HttpError) || error.status !== 400) throw error;
    return impactDevices(actor, advisoryId, { waveId, limit: 50 });
  }
}

/** The impact counts and, for a chosen wave of this issue, its page of machines: both reads start at once. */
async function readImpact(actor: Actor, advisoryId: string, waveId: number | undefined, cursor: string | undefined): Promise<IssueImpactData> {
  const [impact, devices] = await Promise.all([impactForIssue(actor, advisoryId), waveId ? wavePage(actor, advisoryId, waveId, cursor) : null]);
  const wave = waveId ? impact.rollouts.flatMap((r) => r.waves).find((w) => w.waveId === waveId) : undefined;
  return { impact, wave: wave && devices ? { waveId: wave.waveId, name: wave.name, devices } : null };
}

export default async function KnownIssuePage({ params, searchParams }: Props) {
  const actor = await getPageActor();
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const advisoryId = decodeURIComponent(id);
  const cursor = firstValue(query.cursor);
  // The issue and its impact are read at the same time; the impact (deployments matched against app
  // versions) streams in behind a skeleton, so the issue shows as soon as it is read.
  const impact = readImpact(actor, advisoryId, Number(firstValue(query.wave)) || undefined, cursor);
  impact.catch(() => undefined); // an unknown issue answers 404 below; its impact is never shown
  const issue = await getKnownIssue(actor, advisoryId);
  if (!issue) notFound();

  const bound = issue.advisoryId;
  return (
    <KnownIssueView
      issue={issue}
      impact={
        <Suspense fallback={<IssueImpactSkeleton />}>
          <IssueImpactSection data={impact} base={`/known-issues/${bound}`} cursor={cursor} />
        </Suspense>
      }
      editorActions={
        can(actor, "known_issue.write")
          ? {
              changeStatus: changeStatusAction.bind(null, bound),
              setHold: setHoldAction.bind(null, bound),
              edit: editIssueAction.bind(null, bound),
              addFixLink: addFixLinkAction.bind(null, bound),
              removeFixLink: (linkId) => removeFixLinkAction.bind(null, bound, linkId),
            }
          : null
      }
      reportAction={can(actor, "helpdesk_report.create") ? reportAction.bind(null, bound) : null}
      reportHostname={firstValue(query.hostname) ?? ""}
    />
  );
}
