// Query-string fields shared by the list and export filters.
import { z } from "zod";

/** A free-text filter: trimmed, at most 200 characters; empty means no filter (undefined). */
export const optionalText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => (v ? v : undefined));

/** A page's search params as Next.js hands them over: a parameter given more than once is an array. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** One value of a query parameter: the first when it was given more than once. */
export function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Every parameter with its first value, for a filter schema that takes one value each. */
export function firstValues(params: SearchParams): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, firstValue(value)]));
}
