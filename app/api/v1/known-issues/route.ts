// GET /api/v1/known-issues?status=&severity=&update=&app=&view=current|history|all&page=&pageSize=
// POST /api/v1/known-issues — create (editor / manage token); answers 201 with the issue.
import { assertCan } from "@/lib/auth/permissions";
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { createKnownIssue } from "@/lib/known-issues/actions";
import type { CreateKnownIssueInput } from "@/lib/known-issues/validation";
import { knownIssueListItemToJson, knownIssueToJson, NO_STORE, readJsonObject } from "@/lib/known-issues/http";
import { listKnownIssues, requireKnownIssue } from "@/lib/known-issues/queries";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/known-issues", async function GET(request: Request): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "known_issue.read");
    const params = new URL(request.url).searchParams;
    const list = await listKnownIssues(actor, Object.fromEntries(params));
    const next = new URLSearchParams(params);
    next.set("page", String(list.page + 1));
    return Response.json(
      {
        items: list.items.map(knownIssueListItemToJson),
        total: list.total,
        page: list.page,
        pageSize: list.pageSize,
        nextPage: list.hasMore ? `/api/v1/known-issues?${next}` : null,
      },
      { headers: NO_STORE },
    );
  } catch (error) {
    return problemFromError(error);
  }
});

export const POST = measured("/api/v1/known-issues", async function POST(request: Request): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "known_issue.write");
    // The answer is the stored issue: may the caller read it is asked before anything is written (issue #14).
    assertCan(actor, "known_issue.read");
    // The mutation's schema decides what the body may hold (422 per field).
    const created = await createKnownIssue(actor, (await readJsonObject(request)) as CreateKnownIssueInput);
    const issue = await requireKnownIssue(actor, created.advisoryId);
    return Response.json(knownIssueToJson(issue), {
      status: 201,
      headers: { ...NO_STORE, location: `/api/v1/known-issues/${created.advisoryId}` },
    });
  } catch (error) {
    return problemFromError(error);
  }
});
