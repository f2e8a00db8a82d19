import { getRequestActor } from "@/lib/auth/request-actor";
import { assertCan } from "@/lib/auth/permissions";
import { problemFromError } from "@/lib/http/problem";
import { knownIssueFeedEntries, renderKnownIssuesAtom } from "@/lib/known-issues/feed";

export const dynamic = "force-dynamic";

/** The server's own address for ids and links: NEXTAUTH_URL when set, else the request's origin. */
function baseUrl(request: Request): string {
  const configured = process.env.NEXTAUTH_URL;
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      // a wrong NEXTAUTH_URL is reported at start
    }
  }
  return new URL(request.url).origin;
}

// Feed readers cannot send headers, so a read token may come as ?token= (the auth area accepts
// it for this route only). The answer is never cached and never leaks the URL in a Referer.
export async function GET(request: Request) {
  try {
    const actor = assertCan(await getRequestActor(request, { allowQueryToken: true }), "feed.read");
    const entries = await knownIssueFeedEntries(actor);
    return new Response(renderKnownIssuesAtom(entries, { baseUrl: baseUrl(request) }), {
      headers: {
        "content-type": "application/atom+xml; charset=utf-8",
        "cache-control": "private, no-store",
        "referrer-policy": "no-referrer",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (error) {
    const response = problemFromError(error);
    if (response.status === 401) response.headers.set("www-authenticate", 'Bearer realm="rollcall"');
    return response;
  }
}
