// What a known issue may contain, checked once (zod) for the API, the server actions and the seed.
import { z } from "zod";
import { fixLinkTypeEnum } from "@/db/schema";
import { KNOWN_ISSUE_STATUSES, SEVERITIES } from "./lifecycle";
import { normaliseVersionRange, parseVersionRange, VersionRangeError } from "./version-range";

export const FIX_LINK_TYPES = fixLinkTypeEnum.enumValues;
export type FixLinkType = (typeof FIX_LINK_TYPES)[number];

// Control characters (other than tab and newlines) have no business in any text field and are
// not allowed in XML (the Atom feed): refuse them rather than strip silently.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/;

const text = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label}: at most ${max} characters.`)
    .refine((value) => !CONTROL.test(value), `${label}: control characters are not allowed.`);

const line = (max: number, label: string) =>
  text(max, label)
    .transform((value) => value.trim().replace(/\s+/g, " "))
    .refine((value) => value.length > 0, `${label} is required.`);

/** "KB835935", "kb 835935", "835935" → "KB835935". */
export function normaliseKb(value: string): string | null {
  const match = /^\s*(?:kb\s*-?\s*)?(\d{4,8})\s*$/i.exec(value);
  return match ? `KB${match[1]}` : null;
}

const kb = z
  .string()
  .max(20)
  .transform((value, ctx) => {
    if (value.trim() === "") return null;
    const normalised = normaliseKb(value);
    if (!normalised) {
      ctx.addIssue({ code: "custom", message: `"${value}" is not a KB number (e.g. KB835935).` });
      return z.NEVER;
    }
    return normalised;
  });

/** Only http(s) URLs are stored: a `javascript:` or `data:` link never reaches a page or the feed. */
export const httpUrl = z
  .string()
  .trim()
  .max(2000, "URL: at most 2000 characters.")
  .refine((value) => {
    if (CONTROL.test(value) || /\s/.test(value)) return false;
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0 && !url.username && !url.password;
    } catch {
      return false;
    }
  }, "Only http:// and https:// links (without user name or password) are allowed.");

const isoDate = z
  .union([z.string(), z.date(), z.null()])
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === null || value === "") return null;
    const date = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: "Not a date (use YYYY-MM-DD or an ISO timestamp)." });
      return z.NEVER;
    }
    return date;
  });

export const FixLinkInput = z.object({
  vendor: line(120, "Vendor"),
  title: line(300, "Title"),
  url: httpUrl,
  type: z.enum(FIX_LINK_TYPES, { message: `Type must be one of: ${FIX_LINK_TYPES.join(", ")}.` }),
  publishedAt: isoDate,
});
export type FixLinkInput = z.output<typeof FixLinkInput>;

export const AffectedAppInput = z.object({
  name: line(200, "App name"),
  versionRange: z
    .string()
    .max(200)
    .default("*")
    .transform((value, ctx) => {
      try {
        parseVersionRange(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: error instanceof VersionRangeError ? error.message : "Not a version range." });
        return z.NEVER;
      }
      return normaliseVersionRange(value);
    }),
});
export type AffectedAppInput = z.output<typeof AffectedAppInput>;

/** "App name | version range" per line (a form's text area); a line without "|" means every version. */
export function parseAffectedAppLines(value: string): { name: string; versionRange: string }[] {
  return value
    .split(/\r?\n/)
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.lastIndexOf("|");
      return at === -1 ? { name: entry, versionRange: "*" } : { name: entry.slice(0, at).trim(), versionRange: entry.slice(at + 1).trim() || "*" };
    });
}

// A form sends lists as text and a checkbox as "on" (a hidden switch as "on"/"off"); JSON sends
// arrays and booleans. Both arrive here as they are, so no caller converts them by hand.
const fromText = <S extends z.ZodType>(split: (value: string) => unknown, schema: S) =>
  z.preprocess((value) => (typeof value === "string" ? split(value) : value), schema);
const commaList = (value: string) =>
  value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
const flag = z.preprocess((value) => (value === "on" ? true : value === "off" ? false : value), z.boolean({ message: "Expected true or false." }));

const markdown = (label: string) => text(20_000, label);
const platforms = fromText(commaList, z.array(line(100, "Platform")).max(20, "At most 20 platforms."));
const affectedApps = fromText(parseAffectedAppLines, z.array(AffectedAppInput).max(50, "At most 50 affected apps."));
const slug = z.string().trim().min(1, "Which update?").max(100);

export const CreateKnownIssueInput = z.object({
  title: line(300, "Title"),
  update: slug,
  build: z.string().trim().max(100).optional().nullable(),
  originKb: kb.optional().nullable(),
  resolvingUpdate: z.string().trim().max(100).optional().nullable(),
  resolvingKb: kb.optional().nullable(),
  status: z.enum(KNOWN_ISSUE_STATUSES).default("reported"),
  severity: z.enum(SEVERITIES, { message: `Severity must be one of: ${SEVERITIES.join(", ")}.` }).default("medium"),
  affectedPlatforms: platforms.default([]),
  symptoms: markdown("Symptoms").default(""),
  workaround: markdown("Workaround").default(""),
  resolution: markdown("Resolution").default(""),
  affectedApps: affectedApps.default([]),
  fixLinks: z.array(FixLinkInput).max(20, "At most 20 fix links.").default([]),
  safeguardHold: flag.default(false),
  blocking: flag.default(false),
  note: text(2_000, "Note").default(""),
});
export type CreateKnownIssueInput = z.input<typeof CreateKnownIssueInput>;
export type CreateKnownIssue = z.output<typeof CreateKnownIssueInput>;

/** PATCH: every field optional; lists (affected apps, fix links, platforms) replace the old list. */
export const UpdateKnownIssueInput = z
  .object({
    title: line(300, "Title").optional(),
    build: z.string().trim().max(100).nullable().optional(),
    originKb: kb.nullable().optional(),
    resolvingUpdate: z.string().trim().max(100).nullable().optional(),
    resolvingKb: kb.nullable().optional(),
    status: z.enum(KNOWN_ISSUE_STATUSES, { message: `Status must be one of: ${KNOWN_ISSUE_STATUSES.join(", ")}.` }).optional(),
    severity: z.enum(SEVERITIES, { message: `Severity must be one of: ${SEVERITIES.join(", ")}.` }).optional(),
    affectedPlatforms: platforms.optional(),
    symptoms: markdown("Symptoms").optional(),
    workaround: markdown("Workaround").optional(),
    resolution: markdown("Resolution").optional(),
    affectedApps: affectedApps.optional(),
    fixLinks: z.array(FixLinkInput).max(20, "At most 20 fix links.").optional(),
    safeguardHold: flag.optional(),
    blocking: flag.optional(),
    note: text(2_000, "Note").default(""),
  })
  .strict();
export type UpdateKnownIssueInput = z.input<typeof UpdateKnownIssueInput>;
export type UpdateKnownIssue = z.output<typeof UpdateKnownIssueInput>;

export const HelpdeskReportInput = z.object({
  ticketRef: line(100, "Ticket reference"),
  hostname: line(255, "Hostname"),
  note: text(2_000, "Note").default(""),
});
export type HelpdeskReportInput = z.input<typeof HelpdeskReportInput>;

/** What a ticketing system sends to POST /api/v1/known-issues/{id}/reports (PRODUCT.md: `{ticket, hostname, note}`). */
export const TicketReportBody = z.object({
  ticket: HelpdeskReportInput.shape.ticketRef,
  hostname: HelpdeskReportInput.shape.hostname,
  note: HelpdeskReportInput.shape.note,
});

/** Which issues a list shows: current = active + resolved in the last 30 days; history = resolved earlier. */
export const KNOWN_ISSUE_VIEWS = ["current", "history", "all"] as const;
export type KnownIssueView = (typeof KNOWN_ISSUE_VIEWS)[number];

const csvEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value, ctx) => {
      const items = (Array.isArray(value) ? value : value ? value.split(",") : []).map((v) => v.trim()).filter(Boolean);
      for (const item of items) {
        if (!(values as readonly string[]).includes(item)) {
          ctx.addIssue({ code: "custom", message: `"${item}" is not one of: ${values.join(", ")}.` });
          return z.NEVER;
        }
      }
      return [...new Set(items)] as T[number][];
    });

export const KnownIssueFilters = z.object({
  status: csvEnum(KNOWN_ISSUE_STATUSES),
  severity: csvEnum(SEVERITIES),
  update: z.string().trim().max(100).optional().transform((v) => v || undefined),
  app: z.string().trim().max(200).optional().transform((v) => v || undefined),
  view: z.enum(KNOWN_ISSUE_VIEWS).default("current"),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});
export type KnownIssueFilters = z.input<typeof KnownIssueFilters>;
export type ParsedKnownIssueFilters = z.output<typeof KnownIssueFilters>;

export const ImpactQuery = z.object({
  wave: z.coerce.number().int().positive().optional(),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
