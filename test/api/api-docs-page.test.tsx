// The readable API page lists every documented operation with its parameters and fields, and
// /api/docs (under the API's no-styles CSP) sends readers to it.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { API_OPERATIONS } from "@/lib/openapi/operations";
import ApiDocsPage from "@/app/(dashboard)/api-docs/page";
import { GET as apiDocs } from "@/app/api/docs/route";

describe("the API page", () => {
  const html = renderToStaticMarkup(ApiDocsPage());

  it("shows every operation with its method, path and summary", () => {
    for (const op of API_OPERATIONS) {
      expect(html).toContain(`<code class="break-all">${op.path}</code>`);
      expect(html).toContain(op.summary.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;"));
    }
    expect(html.match(/<h1/g)).toHaveLength(1);
  });

  it("shows request fields with their limits and answers with their fields", () => {
    const reports = html.slice(html.indexOf("/api/v1/known-issues/{id}/reports</code>"));
    expect(reports).toMatch(/<code class="font-semibold">ticket<\/code> <span[^>]*>string<\/span><span[^>]*>required<\/span><span[^>]*>\(≤ 100 chars\)/);
    expect(reports).toContain("Token scope <code>report</code>, or a signed-in helpdesk, editor, admin session.");
  });

  it("gives every element id once", () => {
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(API_OPERATIONS.length);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("is where /api/docs sends readers", async () => {
    const res = await apiDocs();
    expect(res.status).toBe(308);
    expect(res.headers.get("location")).toBe("/api-docs");
  });
});
