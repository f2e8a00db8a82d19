// The rules of status ingest that need no database: what a valid event is, the last-writer-wins
// order, and how a batch's events are classified against the current state. The ingest DAL
// (ingest.ts) and the property-test oracle both use these, so they cannot disagree.
import { z } from "zod";
import { UnparsableItem } from "@/lib/http/body";
import { zodErrors, type FieldError } from "@/lib/http/problem";
import { ALERTS, DEPLOYMENT_STATES, type DeploymentAlert, type DeploymentState } from "./states";

export const MAX_EVENTS_PER_BATCH = 10_000;
export const MAX_BATCH_BYTES = 10 * 1024 * 1024;
/** A device clock far in the future would pin a deployment's state forever (last writer wins). */
export const MAX_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

/** States that end an install attempt; `attempts` counts the stored events reporting one. */
export const OUTCOME_STATES: readonly DeploymentState[] = ["installed", "failed", "rolled_back"];

const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .nullish()
    .transform((v) => (v == null || v.trim() === "" ? null : v.trim()));

/** One status event as the distribution tool sends it (PRODUCT.md, POST /api/v1/status-events). */
export const StatusEventInput = z.object({
  device: z.string().trim().min(1, "device (hostname) is required").max(255),
  update: z.string().trim().min(1, "update (slug) is required").max(200),
  state: z.enum(DEPLOYMENT_STATES as unknown as [DeploymentState, ...DeploymentState[]], {
    error: () => `state must be one of ${DEPLOYMENT_STATES.join(", ")}`,
  }),
  occurredAt: z.iso.datetime({ offset: true, error: "occurredAt must be an ISO 8601 date-time with a time zone, e.g. 2004-08-25T09:30:00Z" }),
  errorCode: optionalText(100),
  alert: z
    .enum(ALERTS as unknown as [DeploymentAlert, ...DeploymentAlert[]], { error: () => `alert must be one of ${ALERTS.join(", ")}` })
    .nullish()
    .transform((v) => v ?? null),
  message: optionalText(2000),
  /** The build the report is about, by name (RC2) or version (5.1.2600.2149), case-insensitive; absent: the build its wave targets. */
  build: optionalText(100),
  eventId: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(NO_CONTROL_CHARS, "eventId must not contain control characters")
    .nullish()
    .transform((v) => v ?? null),
});

/** A validated event, with its position in the request. */
export type ValidEvent = {
  index: number;
  hostname: string;
  slug: string;
  state: DeploymentState;
  occurredAt: Date;
  errorCode: string | null;
  alert: DeploymentAlert | null;
  message: string | null;
  /** As sent (trimmed); resolved against the update's builds by ingest. */
  build: string | null;
  eventId: string | null;
};

export type RejectedEvent = { index: number; errors: FieldError[] };

/** What the request answers; every event is in exactly one of the four. */
export type IngestResult = {
  accepted: number;
  duplicates: number;
  stale: number;
  rejected: RejectedEvent[];
};

export function validateEvents(items: readonly unknown[], now: Date = new Date()): { valid: ValidEvent[]; rejected: RejectedEvent[] } {
  const valid: ValidEvent[] = [];
  const rejected: RejectedEvent[] = [];
  const latestAllowed = now.getTime() + MAX_CLOCK_SKEW_MS;
  items.forEach((item, index) => {
    if (item instanceof UnparsableItem) {
      rejected.push({ index, errors: [{ path: "(line)", message: item.reason }] });
      return;
    }
    const parsed = StatusEventInput.safeParse(item);
    if (!parsed.success) {
      rejected.push({ index, errors: zodErrors(parsed.error) });
      return;
    }
    const event = parsed.data;
    const occurredAt = new Date(event.occurredAt);
    if (Number.isNaN(occurredAt.getTime()) || occurredAt.getTime() > latestAllowed) {
      rejected.push({ index, errors: [{ path: "occurredAt", message: "occurredAt is more than a day in the future; check the device clock" }] });
      return;
    }
    valid.push({
      index,
      hostname: event.device.toLowerCase(),
      slug: event.update,
      state: event.state,
      occurredAt,
      errorCode: event.errorCode,
      alert: event.alert,
      message: event.message,
      build: event.build,
      eventId: event.eventId,
    });
  });
  return { valid, rejected };
}

// ---------------------------------------------------------------- last-writer-wins order

const SEP = "\u001f";

/**
 * The tie-breaker stored in deployments.state_event_key: the event id first (PRODUCT.md: "ties
 * broken by event id"), then the source, so two sources reusing an id still order totally. An
 * event without an id gets a receipt-ordered suffix instead (later received wins the tie).
 */
export function eventKey(source: string, eventId: string | null, receiptSuffix: string): string {
  return eventId ? `${eventId}${SEP}${source}` : `${SEP}${source}${SEP}${receiptSuffix}`;
}

/** A suffix that sorts by receipt time, unique per event of a batch. */
export function receiptSuffix(batchStartedAt: number, batchNonce: string, index: number): string {
  return `${batchStartedAt.toString(36).padStart(10, "0")}.${batchNonce}.${index.toString(36).padStart(4, "0")}`;
}

export type Version = { occurredAtMs: number; key: string };

/** True when `candidate` replaces `current` as the deployment's state. */
export function isNewer(candidate: Version, current: Version | null): boolean {
  if (!current) return true;
  if (candidate.occurredAtMs !== current.occurredAtMs) return candidate.occurredAtMs > current.occurredAtMs;
  return candidate.key > current.key;
}

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- builds

/** A build of an update, as ingest matches an event's `build` against it. */
export type BuildRef = { id: number; name: string; version: string };

/** The build an event names, by name or version, case-insensitive; undefined when the update has none such. */
export function matchBuild(builds: readonly BuildRef[], named: string): BuildRef | undefined {
  const wanted = named.toLowerCase();
  return builds.find((b) => b.name.toLowerCase() === wanted) ?? builds.find((b) => b.version.toLowerCase() === wanted);
}

/** The per-row message for a build the update does not have. */
export function unknownBuildMessage(named: string, slug: string, builds: readonly BuildRef[]): string {
  const known = builds.map((b) => `${b.name} (${b.version})`).join(", ");
  return known ? `unknown build "${named}" for update "${slug}"; its builds are ${known}` : `unknown build "${named}": update "${slug}" has no builds`;
}
