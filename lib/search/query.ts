// Reading what someone typed into the one box: a hostname, an app, an error code (0x80070005),
// a KB number (KB835935), an advisory id (RC-0001) or words of an issue. Pure: the database part
// is in search.ts. Every value that reaches SQL is a parameter; the full-text query is built only
// from letters and digits, so to_tsquery never sees its own operators.
import { parseAdvisoryId } from "@/lib/known-issues/lifecycle";
import { normaliseKb } from "@/lib/known-issues/validation";

export const MIN_QUERY_LENGTH = 2;
export const MAX_QUERY_LENGTH = 200;
const MAX_WORDS = 8;

export type ParsedQuery = {
  /** Trimmed, single-spaced, as typed. */
  text: string;
  /** Lower-cased, for hostname and app matching. */
  lower: string;
  /** `%lower%` with LIKE wildcards escaped. */
  contains: string;
  /** `lower%` with LIKE wildcards escaped. */
  prefix: string;
  /** "0x80070005" (upper-case hex) and the spellings a tool might have stored. */
  errorCode: { canonical: string; variants: string[] } | null;
  kb: { canonical: string; variants: string[] } | null;
  advisoryId: string | null;
  /** A prefix tsquery ("outlook:* & crm:*"), or null when there are no words. */
  tsQuery: string | null;
};

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function parseErrorCode(value: string): { canonical: string; variants: string[] } | null {
  const match = /^(?:0x([0-9a-f]{1,8})|([0-9a-f]{8}))$/i.exec(value.trim());
  if (!match) return null;
  const hex = (match[1] ?? match[2]).padStart(8, "0");
  // Eight bare hex digits must contain a digit: "deadbeef" is more likely a word than a code.
  if (!match[1] && !/\d/.test(hex)) return null;
  const canonical = `0x${hex.toUpperCase()}`;
  const variants = new Set([canonical, `0x${hex.toLowerCase()}`, `0X${hex.toUpperCase()}`, value.trim()]);
  const short = hex.replace(/^0+(?=.)/, "");
  variants.add(`0x${short.toUpperCase()}`).add(`0x${short.toLowerCase()}`);
  return { canonical, variants: [...variants] };
}

export function parseKb(value: string): { canonical: string; variants: string[] } | null {
  const trimmed = value.trim();
  // A bare number is only a KB when it has the length KB numbers have (6–7 digits).
  if (/^\d+$/.test(trimmed) && (trimmed.length < 6 || trimmed.length > 7)) return null;
  const canonical = normaliseKb(trimmed);
  if (!canonical) return null;
  const digits = canonical.slice(2);
  return { canonical, variants: [canonical, `kb${digits}`, `Kb${digits}`, digits] };
}

export function buildTsQuery(value: string): string | null {
  const words = (value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length <= 50).slice(0, MAX_WORDS);
  return words.length ? words.map((w) => `${w}:*`).join(" & ") : null;
}

export function parseSearchQuery(raw: string): ParsedQuery | null {
  const text = raw.trim().replace(/\s+/g, " ").slice(0, MAX_QUERY_LENGTH);
  if (text.length < MIN_QUERY_LENGTH) return null;
  const lower = text.toLowerCase();
  return {
    text,
    lower,
    contains: `%${escapeLike(lower)}%`,
    prefix: `${escapeLike(lower)}%`,
    errorCode: parseErrorCode(text),
    kb: parseKb(text),
    advisoryId: parseAdvisoryId(text),
    tsQuery: buildTsQuery(text),
  };
}
