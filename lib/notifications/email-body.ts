// What a mail says: an event in one line (the same sentence webhooks send to chat) with the link to
// its page, the weekly adoption digest, an overdue-media reminder. Each as plain text and HTML.
// Pure functions: the dispatcher sends them, tests read them.
import { absoluteLink } from "@/lib/outbox/event-types";
import { eventLine, type DeliveredEvent } from "@/lib/outbox/webhook-body";

export type EmailContent = { subject: string; text: string; html: string };

const SUBJECT_CHARS = 200;

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function subjectOf(line: string): string {
  const oneLine = line.replace(/\s+/g, " ").trim();
  return oneLine.length > SUBJECT_CHARS ? `${oneLine.slice(0, SUBJECT_CHARS - 1)}…` : oneLine;
}

function footer(why: string): { text: string; html: string } {
  const settings = absoluteLink("/settings/notifications");
  return {
    text: `\n\n-- \n${why} Change what you get: ${settings}\n`,
    html: `<hr><p style="color:#555;font-size:12px">${escapeHtml(why)} <a href="${escapeHtml(settings)}">Change what you get</a>.</p>`,
  };
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;color:#111">${body}</body></html>`;
}

/** An outbox event as a mail: the event's line as the subject and first line, then the link. */
export function eventEmail(event: Pick<DeliveredEvent, "type" | "data" | "link">): EmailContent {
  const line = eventLine(event);
  const end = footer(`You subscribed to ${event.type} in Rollcall.`);
  return {
    subject: `[Rollcall] ${subjectOf(line)}`,
    text: `${line}\n\nOpen in Rollcall: ${event.link}${end.text}`,
    html: page(line, `<p>${escapeHtml(line)}</p><p><a href="${escapeHtml(event.link)}">Open in Rollcall</a></p>${end.html}`),
  };
}

export type DigestRow = { title: string; slug: string; inScope: number; installed: number; failed: number; installedThisWeek: number };

const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : "—");

/** The weekly adoption digest: per update being rolled out, installed of in scope, failures, installs this week. */
export function digestEmail(week: string, rows: readonly DigestRow[]): EmailContent {
  const title = `Rollcall adoption, week ${week}`;
  const end = footer("You asked for the weekly adoption digest.");
  if (rows.length === 0) {
    const none = "No update is being rolled out to the updates you follow.";
    return { subject: `[Rollcall] ${title}`, text: `${title}\n\n${none}${end.text}`, html: page(title, `<h1>${escapeHtml(title)}</h1><p>${none}</p>${end.html}`) };
  }
  const lines = rows.map(
    (r) => `- ${r.title}: ${r.installed} of ${r.inScope} installed (${pct(r.installed, r.inScope)}), ${r.failed} failed, ${r.installedThisWeek} installed this week. ${absoluteLink(`/updates/${encodeURIComponent(r.slug)}`)}`,
  );
  const cell = (s: string | number, right = false) => `<td style="padding:2px 8px${right ? ";text-align:right" : ""}">${escapeHtml(String(s))}</td>`;
  const table =
    `<table style="border-collapse:collapse"><thead><tr><th scope="col" style="text-align:left">Update</th><th scope="col">Installed</th><th scope="col">In scope</th><th scope="col">Adoption</th><th scope="col">Failed</th><th scope="col">This week</th></tr></thead><tbody>` +
    rows
      .map(
        (r) =>
          `<tr><td style="padding:2px 8px"><a href="${escapeHtml(absoluteLink(`/updates/${encodeURIComponent(r.slug)}`))}">${escapeHtml(r.title)}</a></td>${cell(r.installed, true)}${cell(r.inScope, true)}${cell(pct(r.installed, r.inScope), true)}${cell(r.failed, true)}${cell(r.installedThisWeek, true)}</tr>`,
      )
      .join("") +
    `</tbody></table>`;
  return {
    subject: `[Rollcall] ${title}: ${rows.length} update${rows.length === 1 ? "" : "s"} rolling out`,
    text: `${title}\n\n${lines.join("\n")}${end.text}`,
    html: page(title, `<h1>${escapeHtml(title)}</h1>${table}${end.html}`),
  };
}

export type ReminderFacts = { hostname: string; rollout: string; rolloutId: number; wave: string; step: "posted" | "appointment"; since: Date; overdueDays: number };

/** An overdue offline-media machine: what was done, when, and where to record what happened since. */
export function reminderEmail(m: ReminderFacts): EmailContent {
  const day = m.since.toISOString().slice(0, 10);
  const what = m.step === "posted" ? `its disc was posted on ${day}` : `it had an office appointment on ${day}`;
  const line = `${m.hostname} has not installed ${m.rollout} (wave "${m.wave}"): ${what}, more than ${m.overdueDays} days ago.`;
  const link = absoluteLink(`/rollouts/${m.rolloutId}/media?overdue=1&q=${encodeURIComponent(m.hostname)}`);
  const end = footer("You recorded this machine's posting or appointment, or its department lists you as its contact. One reminder per machine per week.");
  return {
    subject: `[Rollcall] Overdue: ${subjectOf(`${m.hostname} (${m.rollout})`)}`,
    text: `${line}\n\nRecord what happened (received, returned, lost, a new appointment): ${link}${end.text}`,
    html: page(line, `<p>${escapeHtml(line)}</p><p><a href="${escapeHtml(link)}">Record what happened</a> (received, returned, lost, a new appointment).</p>${end.html}`),
  };
}
