// GET /api/v1/known-issues/{id} — one issue ({id} is the advisory id, e.g. RC-0001).
// PATCH — change it: any field of the create body, a status transition with a note, the
// safeguard hold; lists (affectedApps, fixLinks, affectedPlatforms) replace the stored ones.
import { assertCan } from "@/lib/auth/permissions";
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { updateKnownIssue } from "@/lib/known-issues/actions";
import { knownIssueToJson, NO_STORE, readJsonObject } from "@/lib/known-issues/http";
import type { UpdateKnownIssueInput } from "@/lib/known-issues/validation";
import { requireKnownIssue } from "@/lib/known-issues/queries";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = measured("/api/v1/known-issues/{id}", async function GET(request: Request, context: Context): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "known_issue.read");
    const { id } = await context.params;
    return Response.json(knownIssueToJson(await requireKnownIssue(actor, id)), { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});

export const PATCH = measured("/api/v1/known-issues/{id}", async function PATCH(request: Request, context: Context): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "known_issue.write");
    // The answer is the stored issue: may the caller read it is asked before anything is written (issue #14).
    assertCan(actor, "known_issue.read");
    const { id } = await context.params;
    // The mutation's schema decides what the body may hold (422 per field); the address names the issue.
    const result = await updateKnownIssue(actor, { ...((await readJsonObject(request)) as UpdateKnownIssueInput), knownIssue: id });
    const issue = await requireKnownIssue(actor, result.advisoryId);
    return Response.json({ ...knownIssueToJson(issue), changed: result.changed }, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
