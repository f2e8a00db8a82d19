import "server-only";
import { notFound } from "next/navigation";
import { HttpError } from "@/lib/http/problem";

/** A DAL 404 becomes the page's not-found; anything else propagates to error.tsx. */
export async function notFoundOn404<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) notFound();
    throw error;
  }
}
