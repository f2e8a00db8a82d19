// Renders editor-written Markdown safely (see lib/known-issues/markdown.ts for the rules).
// A server component: the HTML is produced on the server; no Markdown code ships to the browser.
import ReactMarkdown, { type Components } from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import { EXTERNAL_LINK_REL, isExternalLink, markdownSanitizeSchema, safeLinkUrl } from "@/lib/known-issues/markdown";

const components: Components = {
  a({ href, children, title }) {
    const safe = href ? safeLinkUrl(href) : undefined;
    if (!safe) return <span>{children}</span>;
    return (
      <a href={safe} title={title} rel={isExternalLink(safe) ? EXTERNAL_LINK_REL : undefined}>
        {children}
      </a>
    );
  },
};

function urlTransform(url: string, key: string): string | undefined {
  return key === "href" || key === "cite" ? safeLinkUrl(url) : undefined;
}

export function Markdown({ children, className = "" }: { children: string; className?: string }) {
  if (!children.trim()) return null;
  return (
    <div className={`markdown space-y-2 break-words ${className}`}>
      <ReactMarkdown skipHtml urlTransform={urlTransform} rehypePlugins={[[rehypeSanitize, markdownSanitizeSchema]]} components={components}>
        {children}
      </ReactMarkdown>
    </div>
  );
}
