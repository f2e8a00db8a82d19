import "server-only";
import { notFound } from "next/navigation";
import { positiveId } from "@/lib/http/json";
import { HttpError } from "@/lib/http/problem";
import type { SearchParams } from "@/lib/http/query";

/** A DAL 404 becomes the page's not-found; anything else propagates to error.tsx. */
export async function notFoundOn404<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) notFound();
    throw error;
  }
}

/** The rollout id of a /rollouts/[id]/… page, by the API routes' rule: anything but a positive whole number is the page's not-found. */
export async function rolloutIdParam(params: Promise<{ id: string }>): Promise<number> {
  return notFoundOn404(params.then(({ id }) => positiveId(id, "rollout")));
}

/**
 * The search params that hold one non-empty text each (a parameter given twice, or empty, counts as absent),
 * ready for a zod filter; with `keys`, only those, in that order.
 */
export async function textSearchParams(searchParams: Promise<SearchParams>, keys?: readonly string[]): Promise<Record<string, string>> {
  const raw = await searchParams;
  const text: Record<string, string> = {};
  for (const key of keys ?? Object.keys(raw)) {
    const value = raw[key];
    if (typeof value === "string" && value !== "") text[key] = value;
  }
  return text;
}
