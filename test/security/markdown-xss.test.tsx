import { renderToStaticMarkup } from "react-dom/server";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { XSS_PAYLOADS } from "@/lib/known-issues/xss-payloads";
import { Markdown } from "@/components/markdown/markdown";

const ALLOWED_TAGS = new Set([
  "div", "p", "a", "span", "strong", "em", "code", "pre", "ul", "ol", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
  "hr", "br", "del", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
]);
const SAFE_URL = /^(?:https?:\/\/[^/]|mailto:|\/(?![/\\])|#)/i;

type Node = Record<string, unknown>;

/** Parses React's (well-formed) static markup and returns every element with its attributes. */
function elements(html: string): { tag: string; attributes: Record<string, string> }[] {
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: "", htmlEntities: true, processEntities: true });
  const tree = parser.parse(`<root>${html}</root>`) as Node[];
  const found: { tag: string; attributes: Record<string, string> }[] = [];
  const walk = (nodes: Node[]) => {
    for (const node of nodes) {
      for (const [key, value] of Object.entries(node)) {
        if (key === ":@" || key === "#text") continue;
        found.push({ tag: key, attributes: (node[":@"] as Record<string, string>) ?? {} });
        walk(value as Node[]);
      }
    }
  };
  walk(tree);
  return found.filter((e) => e.tag !== "root");
}

function render(markdown: string): string {
  return renderToStaticMarkup(<Markdown>{markdown}</Markdown>);
}

describe("Markdown rendering of editor-written text", () => {
  it("has at least 50 hostile payloads to try", () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(50);
  });

  it.each(XSS_PAYLOADS.map((p, i) => [i, p] as const))("payload %i never becomes executable markup", (_, payload) => {
    for (const text of [payload, `Intro text.\n\n${payload}\n\nMore text with [a fix](https://vendor.example/fix).`]) {
      const html = render(text);
      for (const { tag, attributes } of elements(html)) {
        expect(ALLOWED_TAGS, `tag <${tag}> in ${html}`).toContain(tag);
        for (const [name, value] of Object.entries(attributes)) {
          expect(name.toLowerCase(), `attribute ${name} in ${html}`).not.toMatch(/^on/);
          expect(["href", "title", "class", "id", "rel", "cite", "align"], `attribute ${name} in ${html}`).toContain(name);
          if (name === "href") expect(String(value), html).toMatch(SAFE_URL);
          expect(String(value).toLowerCase().replace(/\s/g, ""), html).not.toMatch(/(?:javascript|vbscript|data):/);
        }
      }
      // Every "<" React emits starts a real tag (text is escaped); none of them may script.
      // Quoted attribute values are text (checked parsed, above), so they are blanked here.
      for (const tag of html.match(/<[^>]*>/g) ?? []) {
        const bare = tag.toLowerCase().replace(/"[^"]*"/g, '""');
        expect(bare).not.toMatch(/<\/?(script|iframe|object|embed|img|svg|style|form|input|meta|link|base)\b/);
        expect(bare).not.toMatch(/\son[a-z]+=/);
        expect(bare).not.toMatch(/javascript:/);
      }
    }
  });

  it("keeps ordinary Markdown: emphasis, lists, code and http links with rel=noopener noreferrer nofollow", () => {
    const html = render("**Apply** the *vendor* fix:\n\n- step `one`\n- see [KB885000](https://support.example.com/kb/885000)\n- mail [support](mailto:help@example.com)");
    expect(html).toContain("<strong>Apply</strong>");
    expect(html).toContain("<em>vendor</em>");
    expect(html).toContain("<code>one</code>");
    expect(html).toContain('<a href="https://support.example.com/kb/885000" rel="noopener noreferrer nofollow">KB885000</a>');
    expect(html).toContain('<a href="mailto:help@example.com" rel="noopener noreferrer nofollow">support</a>');
  });

  it("keeps links to pages of this site without rel, and drops protocol-relative ones", () => {
    expect(render("[RC-0002](/known-issues/RC-0002)")).toContain('<a href="/known-issues/RC-0002">RC-0002</a>');
    const html = render("[x](//evil.example/steal)");
    expect(html).not.toContain("evil.example");
    expect(html).toContain("<span>x</span>");
  });

  it("shows raw HTML as nothing, never as markup", () => {
    const html = render('before <b onclick="x()">bold</b> after');
    expect(html).not.toContain("<b");
    expect(html).toContain("before");
  });

  it("renders nothing for empty text", () => {
    expect(render("   ")).toBe("");
  });
});
