// How symptoms, workarounds and resolutions (Markdown written by editors, read by everyone) are
// made safe: react-markdown never renders raw HTML (skipHtml), rehype-sanitize keeps only a
// GitHub-like set of elements without images, and every link must be http, https or mailto
// (or a path on this site). External links get rel="noopener noreferrer nofollow".
import { defaultSchema, type Options as SanitizeSchema } from "rehype-sanitize";

export const EXTERNAL_LINK_REL = "noopener noreferrer nofollow";
const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

// Images would load third-party content on our pages (tracking pixels) and can carry URLs we do
// not want; forms, inputs and media have no place in an advisory.
const DROPPED_TAGS = new Set(["img", "picture", "source", "input", "video", "audio", "iframe", "object", "embed", "form", "button", "style", "script"]);

export const markdownSanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  tagNames: (defaultSchema.tagNames ?? []).filter((tag) => !DROPPED_TAGS.has(tag)),
  protocols: { href: ["http", "https", "mailto"], cite: ["http", "https"] },
  attributes: {
    ...defaultSchema.attributes,
    a: ["href", "title"],
    img: [],
  },
  strip: ["script", "style"],
};

/**
 * The URL a link may point to, normalised; undefined when it may not (javascript:, data:, vbscript:,
 * protocol-relative //host, anything unparseable). Paths on this site ("/known-issues/RC-0002",
 * "#workaround") are allowed as they are.
 */
export function safeLinkUrl(value: string): string | undefined {
  const url = value.trim();
  // eslint-disable-next-line no-control-regex
  if (url === "" || /[\u0000-\u001F\u007F\s]/.test(url)) return undefined;
  if (/^(?:\/(?![/\\])|#)/.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (!LINK_PROTOCOLS.has(parsed.protocol)) return undefined;
    if (parsed.protocol !== "mailto:" && (!parsed.hostname || parsed.username || parsed.password)) return undefined;
    return parsed.href;
  } catch {
    return undefined;
  }
}

export function isExternalLink(href: string): boolean {
  return /^(?:https?:|mailto:)/i.test(href);
}
