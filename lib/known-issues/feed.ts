import "server-only";
// The Atom 1.0 feed of known-issue changes (new issue, status, workaround, resolution, fix links,
// safeguard hold), read from the issues' history. Every text is escaped for XML and stripped of
// characters XML cannot carry, so no title or note can break the document or inject markup.
import { desc, eq, inArray } from "drizzle-orm";
import { getReadDb } from "@/lib/server/replica-reads";
import { knownIssueHistory, knownIssues } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { STATUS_LABELS, isKnownIssueStatus } from "./lifecycle";
import { HISTORY_COLUMNS } from "./queries";
import type { HistoryEntry } from "./types";

export const FEED_FIELDS = ["created", "status", "workaround", "resolution", "fix_link", "safeguard_hold"] as const;
export const FEED_LIMIT = 100;

export type FeedEntry = HistoryEntry & {
  advisoryId: string;
  title: string;
};

export async function knownIssueFeedEntries(actor: Actor | null, limit = FEED_LIMIT): Promise<FeedEntry[]> {
  assertCan(actor, "feed.read");
  const db = await getReadDb(actor);
  return db
    .select({
      ...HISTORY_COLUMNS,
      advisoryId: knownIssues.advisoryId,
      title: knownIssues.title,
    })
    .from(knownIssueHistory)
    .innerJoin(knownIssues, eq(knownIssues.id, knownIssueHistory.knownIssueId))
    .where(inArray(knownIssueHistory.field, [...FEED_FIELDS]))
    .orderBy(desc(knownIssueHistory.at), desc(knownIssueHistory.id))
    .limit(Math.min(Math.max(limit, 1), FEED_LIMIT));
}

// XML 1.0 allows tab, newline, carriage return and the ranges below; everything else (NUL, other
// control characters, lone surrogates, U+FFFE/U+FFFF) is dropped.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(value: string): string {
  return value
    .replace(NOT_XML_CHAR, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function statusLabel(value: string | null): string {
  if (!value) return "—";
  return isKnownIssueStatus(value) ? STATUS_LABELS[value] : value;
}

/** What an entry says: its title and its plain-text body. */
export function describeEntry(entry: FeedEntry): { title: string; body: string } {
  const head = `${entry.advisoryId}`;
  let title: string;
  const lines: string[] = [];
  switch (entry.field) {
    case "created":
      title = `${head} new known issue (${statusLabel(entry.to).toLowerCase()}): ${entry.title}`;
      break;
    case "status":
      title = `${head} is now ${statusLabel(entry.to).toLowerCase()}: ${entry.title}`;
      lines.push(`Status: ${statusLabel(entry.from)} → ${statusLabel(entry.to)}`);
      break;
    case "workaround":
      title = `${head} workaround ${entry.to ? "updated" : "removed"}: ${entry.title}`;
      if (entry.to) lines.push(`Workaround:\n${entry.to}`);
      break;
    case "resolution":
      title = `${head} resolution ${entry.to ? "updated" : "removed"}: ${entry.title}`;
      if (entry.to) lines.push(`Resolution:\n${entry.to}`);
      break;
    case "fix_link":
      title = `${head} vendor fix ${entry.to ? "added" : "removed"}: ${entry.title}`;
      lines.push(entry.to ? `Fix: ${entry.to}` : `Removed: ${entry.from ?? ""}`);
      break;
    case "safeguard_hold":
      title = `${head} safeguard hold ${entry.to === "on" ? "applied" : "lifted"}: ${entry.title}`;
      break;
    default:
      title = `${head} changed: ${entry.title}`;
  }
  if (entry.note) lines.push(`Note: ${entry.note}`);
  lines.push(`By ${entry.actor} at ${entry.at.toISOString()}.`);
  return { title, body: lines.join("\n\n") };
}

/** A complete Atom 1.0 document. `baseUrl` is the server's own origin (no trailing slash). */
export function renderKnownIssuesAtom(entries: FeedEntry[], options: { baseUrl: string; now?: Date }): string {
  const base = options.baseUrl.replace(/\/+$/, "");
  const feedUrl = `${base}/feeds/known-issues.atom`;
  const updated = (entries[0]?.at ?? options.now ?? new Date()).toISOString();
  const out: string[] = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom">`,
    `  <id>${escapeXml(feedUrl)}</id>`,
    `  <title>Rollcall known issues</title>`,
    `  <subtitle>New known issues, status changes, workarounds, resolutions and vendor fixes</subtitle>`,
    `  <updated>${updated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(feedUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(`${base}/known-issues`)}"/>`,
    `  <author><name>Rollcall</name></author>`,
    `  <generator>Rollcall</generator>`,
  ];
  for (const entry of entries) {
    const { title, body } = describeEntry(entry);
    const link = `${base}/known-issues/${encodeURIComponent(entry.advisoryId)}`;
    out.push(
      `  <entry>`,
      `    <id>${escapeXml(`${link}#history-${entry.id}`)}</id>`,
      `    <title type="text">${escapeXml(title)}</title>`,
      `    <updated>${entry.at.toISOString()}</updated>`,
      `    <author><name>${escapeXml(entry.actor || "Rollcall")}</name></author>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(link)}"/>`,
      `    <category term="${escapeXml(entry.field)}"/>`,
      `    <content type="text">${escapeXml(body)}</content>`,
      `  </entry>`,
    );
  }
  out.push(`</feed>`, ``);
  return out.join("\n");
}
