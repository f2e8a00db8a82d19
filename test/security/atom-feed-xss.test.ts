// The known-issues Atom feed carries editor-written text (titles, notes, workarounds) to feed
// readers that may render it: every hostile payload must come out escaped, as valid XML, and read
// back as the same text.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { renderKnownIssuesAtom, type FeedEntry } from "@/lib/known-issues/feed";
import { XSS_PAYLOADS } from "@/lib/known-issues/xss-payloads";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (name) => name === "entry" || name === "link" });

type AtomEntry = { title: { "#text": string }; content: { "#text": string } };

const entry = (over: Partial<FeedEntry>): FeedEntry => ({
  id: 1,
  at: new Date("2004-08-25T10:00:00Z"),
  actor: "editor@example.com",
  field: "status",
  from: "investigating",
  to: "confirmed",
  note: "",
  advisoryId: "RC-0001",
  title: "CRM breaks",
  ...over,
});

describe("the Atom feed with hostile text", () => {
  it("is valid Atom with every payload escaped, and reads back exactly", () => {
    const entries = XSS_PAYLOADS.map((payload, i) =>
      entry({ id: i + 1, title: payload, note: payload, actor: payload.slice(0, 40), field: i % 2 ? "workaround" : "status", to: i % 2 ? payload : "confirmed" }),
    );
    const xml = renderKnownIssuesAtom(entries, { baseUrl: "https://rollcall.example.com/" });
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = (parser.parse(xml) as { feed: { "@xmlns": string; entry: AtomEntry[] } }).feed;
    expect(feed["@xmlns"]).toBe("http://www.w3.org/2005/Atom");
    expect(feed.entry).toHaveLength(XSS_PAYLOADS.length);
    expect(xml).not.toMatch(/<script/i);
    expect(xml).not.toMatch(/<img|<svg|<iframe/i);
    XSS_PAYLOADS.forEach((payload, i) => {
      const clean = payload.replace(/\u0000/g, "");
      const parsed = feed.entry[i];
      // fast-xml-parser trims text; the escaped payload must come back unchanged otherwise.
      expect(parsed.title["#text"]).toContain(clean.trim());
      expect(parsed.content["#text"]).toContain(`Note: ${clean}`.trim());
    });
  });
});
