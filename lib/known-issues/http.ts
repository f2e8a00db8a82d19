import "server-only";
// The JSON shapes the known-issue API answers with; bodies are read by lib/http/json.ts.
import type { KnownIssueDetail, KnownIssueListItem } from "./types";

export { NO_STORE, readJsonObject } from "@/lib/http/json";

/** In the API an issue's id is its advisory id ("RC-0001"); the database id stays inside. */
export function knownIssueToJson(issue: KnownIssueDetail) {
  const { id: _internal, advisoryId, ...rest } = issue;
  return { id: advisoryId, advisoryId, ...rest };
}

export function knownIssueListItemToJson(item: KnownIssueListItem) {
  return { id: item.advisoryId, ...item };
}
