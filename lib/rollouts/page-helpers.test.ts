import { isHTTPAccessFallbackError, getAccessFallbackHTTPStatus } from "next/dist/client/components/http-access-fallback/http-access-fallback";
import { describe, expect, it } from "vitest";
import { HttpError } from "@/lib/http/problem";
import { notFoundOn404, rolloutIdParam, textSearchParams } from "./page-helpers";

/** The status of the Next.js not-found (or other access fallback) a call threw, or what else it threw. */
async function fallbackStatus(call: Promise<unknown>): Promise<number | unknown> {
  try {
    return { resolved: await call };
  } catch (error) {
    return isHTTPAccessFallbackError(error) ? getAccessFallbackHTTPStatus(error) : error;
  }
}

describe("rolloutIdParam", () => {
  it("reads a positive whole number", async () => {
    expect(await rolloutIdParam(Promise.resolve({ id: "42" }))).toBe(42);
  });

  it.each(["0", "-3", "1.5", "abc", "", "9007199254740993"])("answers the page's not-found for %j", async (id) => {
    expect(await fallbackStatus(rolloutIdParam(Promise.resolve({ id })))).toBe(404);
  });
});

describe("notFoundOn404", () => {
  it("turns a DAL 404 into the page's not-found and lets any other error through", async () => {
    expect(await fallbackStatus(notFoundOn404(Promise.reject(new HttpError(404, "No such rollout."))))).toBe(404);
    const refused = new HttpError(403, "Not allowed.");
    expect(await fallbackStatus(notFoundOn404(Promise.reject(refused)))).toBe(refused);
  });
});

describe("textSearchParams", () => {
  it("keeps the parameters with one non-empty text and drops repeated or empty ones", async () => {
    expect(await textSearchParams(Promise.resolve({ wave: "3", step: ["posted", "received"], q: "", page: undefined, overdue: "1" }))).toEqual({ wave: "3", overdue: "1" });
  });

  it("with keys, keeps only those, in their order", async () => {
    const text = await textSearchParams(Promise.resolve({ cursor: "abc", other: "x", site: "HQ", q: "pc" }), ["q", "site", "state", "cursor"]);
    expect(text).toEqual({ q: "pc", site: "HQ", cursor: "abc" });
    expect(Object.keys(text)).toEqual(["q", "site", "cursor"]);
  });
});
