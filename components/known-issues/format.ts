// Dates on known-issue pages: UTC, to the minute, the same for every reader.
export function formatDateTime(date: Date | null | undefined, none = "—"): string {
  return date ? `${date.toISOString().slice(0, 16).replace("T", " ")} UTC` : none;
}

export function formatDate(date: Date | null | undefined, none = "—"): string {
  return date ? date.toISOString().slice(0, 10) : none;
}
