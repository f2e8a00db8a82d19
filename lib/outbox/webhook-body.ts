// What a webhook receives: the signed JSON event, or the event as one readable line in Slack's or
// Teams' incoming-webhook message format. Pure functions (the dispatcher sends, tests check).
import { createHmac } from "node:crypto";
import type { EventType } from "./event-types";

export const WEBHOOK_FORMATS = ["json", "slack", "teams"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** An event as it is delivered (`id` is the outbox row's id: a receiver de-duplicates by it). */
export type DeliveredEvent = { id: number; type: EventType | string; occurredAt: Date; data: Record<string, unknown>; link: string };

const text = (v: unknown, fallback = "?") => (v === null || v === undefined || v === "" ? fallback : String(v));
const quoted = (v: unknown) => `"${text(v)}"`;

function waveName(data: Record<string, unknown>): string {
  return `Wave ${quoted(data.waveName)} of ${quoted(data.rolloutName)}`;
}

function issueName(data: Record<string, unknown>): string {
  return `${text(data.advisoryId)} (${text(data.title)})`;
}

const LINES: Record<EventType, (data: Record<string, unknown>) => string> = {
  "wave.started": (d) => `${waveName(d)} started${d.reason ? `: ${text(d.reason)}` : "."}`,
  "wave.paused": (d) => `${waveName(d)} paused${d.reason ? `: ${text(d.reason)}` : "."}`,
  "wave.halted": (d) => `${waveName(d)} halted: ${text(d.reason, "no reason given")}`,
  "wave.completed": (d) => `${waveName(d)} completed${d.reason ? `: ${text(d.reason)}` : "."}`,
  "gate.passed": (d) => `${waveName(d)} passed its health gate: ${text(d.reason)}`,
  "gate.breached": (d) => `${waveName(d)} breached its health gate: ${text(d.reason)}`,
  "known_issue.created": (d) => `New known issue ${issueName(d)}, ${text(d.severity)} severity, ${text(d.status)}${d.blocking ? ", blocking" : ""}, for ${text(d.update)}.`,
  "known_issue.status_changed": (d) => `Known issue ${issueName(d)} is now ${text(d.to)} (was ${text(d.from)}).`,
  "known_issue.hold_applied": (d) => `Safeguard hold applied for known issue ${issueName(d)}: devices with an affected app are held back.`,
  "known_issue.hold_lifted": (d) => `Safeguard hold lifted for known issue ${issueName(d)}: held devices are offered the update again.`,
  "known_issue.fix_link_added": (d) => {
    const link = (d.fixLink ?? {}) as Record<string, unknown>;
    return `Vendor fix for known issue ${issueName(d)}: ${text(link.title)} (${text(link.vendor)}, ${text(link.type)}) ${text(link.url)}`;
  },
  "update.slipped": (d) => `${text(d.title)} slipped: planned release moved from ${text(d.from, "no date")} to ${text(d.to)}.`,
  "update.paused": (d) => `${text(d.title)} is paused${d.until ? ` until ${text(d.until)}` : " until resumed"}: no wave offers it. ${text(d.reason)}`,
  "update.resumed": (d) => `${text(d.title)} is resumed: its active waves offer it again.`,
  "wave.deadline_at_risk": (d) => {
    const forecast = (d.forecast ?? {}) as Record<string, unknown>;
    const when = forecast.expectedCompletion ? `expected to reach ${text(d.complianceTarget)} % on ${text(forecast.expectedCompletion)}` : "no installs to forecast from";
    return `${waveName(d)} ${forecast.status === "late" ? "missed" : "will miss"} its deadline ${text(d.deadline).slice(0, 10)}: ${when}.`;
  },
};

/** The event in one readable sentence (chat messages, email subjects). */
export function eventLine(event: Pick<DeliveredEvent, "type" | "data">): string {
  const line = LINES[event.type as EventType];
  return line ? line(event.data) : `${event.type}`;
}

/** Slack's mrkdwn treats &, < and > as markup: escape them in text. */
const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The raw request body for `format` (the exact bytes that are signed). */
export function deliveryBody(format: WebhookFormat, event: DeliveredEvent): string {
  const line = eventLine(event);
  if (format === "slack") return JSON.stringify({ text: `${slackEscape(line)} <${event.link}|Open in Rollcall>` });
  if (format === "teams") {
    // Teams' incoming webhooks (Workflows) take a message with an Adaptive Card attachment.
    return JSON.stringify({
      type: "message",
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.adaptive",
          contentUrl: null,
          content: {
            $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
            type: "AdaptiveCard",
            version: "1.4",
            body: [{ type: "TextBlock", text: line, wrap: true }],
            actions: [{ type: "Action.OpenUrl", title: "Open in Rollcall", url: event.link }],
          },
        },
      ],
    });
  }
  return JSON.stringify({ id: event.id, type: event.type, occurredAt: event.occurredAt.toISOString(), data: event.data, link: event.link });
}

/** `Rollcall-Signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the secret>`. */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`, "utf8").digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}
