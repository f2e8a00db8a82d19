// The answer of every CSV export route: a download the browser saves under `filename` and never sniffs.

/** `body` (text or a stream) as a CSV attachment named `filename`, never cached. */
export function csvAttachment(body: BodyInit, filename: string): Response {
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
