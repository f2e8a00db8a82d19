// POST /api/v1/known-issues/{id}/reports — helpdesk links a ticket and a machine to the issue:
// {ticketRef, hostname, note?}. Signed-in helpdesk, editor or admin users (not API tokens).
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { addHelpdeskReport } from "@/lib/known-issues/actions";
import { NO_STORE, readJsonObject } from "@/lib/known-issues/http";
import type { HelpdeskReportInput } from "@/lib/known-issues/validation";

export const dynamic = "force-dynamic";

export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "helpdesk_report.create");
    const { id } = await context.params;
    const report = await addHelpdeskReport(actor, { ...((await readJsonObject(request)) as HelpdeskReportInput), knownIssue: id });
    return Response.json(report, { status: 201, headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
}
