import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/feeds/known-issues.atom/route";
import { closeDb, useDbHandle, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { createApiToken } from "@/lib/auth/tokens";
import { createKnownIssue, updateKnownIssue } from "./actions";
import { escapeXml, renderKnownIssuesAtom } from "./feed";
import { crmIssueInput, seedKnownIssueFixture, type Fixture } from "@/test/support/fixtures/known-issues";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (name) => name === "entry" || name === "link" });

type AtomEntry = { id: string; title: { "#text": string }; updated: string; content: { "#text": string }; link: { "@href": string }[] };

function parseAtom(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml) as { feed: Record<string, unknown> & { entry?: AtomEntry[] } };
  expect(doc.feed["@xmlns"]).toBe("http://www.w3.org/2005/Atom");
  for (const required of ["id", "title", "updated", "author"]) expect(doc.feed[required]).toBeDefined();
  for (const entry of doc.feed.entry ?? []) {
    expect(entry.id).toBeTruthy();
    expect(entry.title["#text"]).toBeTruthy();
    expect(new Date(entry.updated).toISOString()).toBe(entry.updated);
    expect(entry.link[0]["@href"]).toMatch(/^https?:\/\//);
  }
  return doc.feed;
}

describe("the Atom document", () => {
  it("has an empty but valid feed when nothing happened", () => {
    const feed = parseAtom(renderKnownIssuesAtom([], { baseUrl: "http://localhost:3000", now: new Date("2004-08-06T00:00:00Z") }));
    expect(feed.updated).toBe("2004-08-06T00:00:00.000Z");
    expect(feed.entry).toBeUndefined();
  });

  it("drops characters XML cannot carry", () => {
    expect(escapeXml("a\u0000b\u0008c\uFFFEd\uD800e<&>\"'")).toBe("abcde&lt;&amp;&gt;&quot;&apos;");
    expect(escapeXml("emoji 🚀 stays")).toBe("emoji 🚀 stays");
  });
});

describe.each(testDbKinds)("GET /feeds/known-issues.atom on %s", (kind) => {
  let handle: DbHandle;
  let fx: Fixture;
  let readToken: string;
  let ingestToken: string;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    fx = await seedKnownIssueFixture(handle.db);
    const system = { kind: "system", label: "test" } as const;
    readToken = (await createApiToken(system, { name: "feed reader", scopes: ["read"] })).token;
    ingestToken = (await createApiToken(system, { name: "sms", scopes: ["ingest"] })).token;
    await createKnownIssue(fx.editor, crmIssueInput({ title: 'CRM & "Outlook" <1.2> breaks' }));
    await updateKnownIssue(fx.editor, { knownIssue: "RC-0001", status: "investigating", note: "Seen on <b>pilot</b> machines" });
    await updateKnownIssue(fx.editor, {
      knownIssue: "RC-0001",
      workaround: "Use the web client.",
      fixLinks: [{ vendor: "Microsoft", title: "KB885000", url: "https://support.example.com/kb/885000?a=1&b=2", type: "kb" }],
    });
    await updateKnownIssue(fx.editor, { knownIssue: "RC-0001", severity: "low" });
  });
  afterAll(() => closeDb());

  it("serves the changes newest first to a read token given as ?token=", async () => {
    const res = await GET(new Request(`http://127.0.0.1:3000/feeds/known-issues.atom?token=${readToken}`));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    expect(res.headers.get("cache-control")).toContain("no-store");
    const xml = await res.text();
    const feed = parseAtom(xml);
    const titles = feed.entry!.map((e) => e.title["#text"]);
    // created (with its first workaround), investigating, workaround, fix link
    expect(titles).toHaveLength(5);
    expect(titles[titles.length - 1]).toBe('RC-0001 new known issue (reported): CRM & "Outlook" <1.2> breaks');
    expect(titles).toContain('RC-0001 is now investigating: CRM & "Outlook" <1.2> breaks');
    expect(titles.some((t) => t.startsWith("RC-0001 workaround updated"))).toBe(true);
    expect(titles.some((t) => t.startsWith("RC-0001 vendor fix added"))).toBe(true);
    // A severity change is history, not news.
    expect(titles.some((t) => t.includes("severity"))).toBe(false);
    expect(xml).not.toContain(readToken);
    expect(xml).toContain("https://support.example.com/kb/885000?a=1&amp;b=2");
  });

  it("accepts the token in the Authorization header too", async () => {
    const res = await GET(new Request("http://127.0.0.1:3000/feeds/known-issues.atom", { headers: { authorization: `Bearer ${readToken}` } }));
    expect(res.status).toBe(200);
  });

  it("answers 401 without or with a wrong token, 403 for a token without read scope", async () => {
    const none = await GET(new Request("http://127.0.0.1:3000/feeds/known-issues.atom"));
    expect(none.status).toBe(401);
    expect(none.headers.get("content-type")).toBe("application/problem+json");
    const wrong = await GET(new Request("http://127.0.0.1:3000/feeds/known-issues.atom?token=rc_" + "x".repeat(43)));
    expect(wrong.status).toBe(401);
    const ingest = await GET(new Request(`http://127.0.0.1:3000/feeds/known-issues.atom?token=${ingestToken}`));
    expect(ingest.status).toBe(403);
  });
});
