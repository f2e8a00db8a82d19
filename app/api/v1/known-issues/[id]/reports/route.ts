// POST /api/v1/known-issues/{id}/reports — a ticketing system (token scope `report`) or a signed-in
// helpdesk, editor or admin user links a ticket and a machine to the issue: {ticket, hostname, note?}.
import { requireApiActor } from "@/lib/auth/request-actor";
import { invalidInput, problemFromError } from "@/lib/http/problem";
import { addHelpdeskReport } from "@/lib/known-issues/actions";
import { NO_STORE, readJsonObject } from "@/lib/known-issues/http";
import { TicketReportBody } from "@/lib/known-issues/validation";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const POST = measured("/api/v1/known-issues/{id}/reports", async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "helpdesk_report.create");
    const { id } = await context.params;
    const body = TicketReportBody.safeParse(await readJsonObject(request));
    if (!body.success) throw invalidInput(body.error, "The report was not filed: correct the marked fields.");
    const { ticket, hostname, note } = body.data;
    const report = await addHelpdeskReport(actor, { ticketRef: ticket, hostname, note, knownIssue: id });
    return Response.json({ ...report, ticket: report.ticketRef }, { status: 201, headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
