// Safeguard holds and the device page read an affected app's version range exactly as the known-issues
// area does (lib/known-issues/version-range.ts: "*", "1.2", "1.x", "1.2.*", ">=1.0 <1.3"), so a device
// is held exactly when impact analysis counts it. Argument order: the installed version first.
import { parseVersionRange, rangeMatches, VersionRangeError } from "@/lib/known-issues/version-range";

/** True when `version` is in `range`; an unparseable range matches nothing (never a false hold). */
export function versionInRange(version: string, range: string): boolean {
  try {
    return rangeMatches(parseVersionRange(range), version);
  } catch (error) {
    if (error instanceof VersionRangeError) return false;
    throw error;
  }
}
