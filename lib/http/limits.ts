// Body limits shared by next.config.ts and proxy.ts (no imports: next.config.ts loads this file).
// The API routes' own limits are next to their readers (lib/http/body.ts and its callers).

/** A server action's whole request body, e.g. the status-event CSV upload on /events/import. */
export const SERVER_ACTION_MAX_BYTES = 10 * 1024 * 1024;

/**
 * How much of a page POST's body the proxy sees (Next.js buffers it and keeps only this much).
 * One MB above the server actions' limit, so whatever it cuts is still over that limit and refused.
 */
export const PROXY_BODY_BUFFER_BYTES = SERVER_ACTION_MAX_BYTES + 1024 * 1024;
