// next-auth's endpoints (csrf, session, signin, callback, signout). The credentials callback is
// throttled here first so a blocked attempt gets a real 429 with Retry-After, not a redirect; a
// callbackUrl next-auth cannot parse gets a 400 here instead of next-auth's 500.
import NextAuth from "next-auth";
import { isParsableCallbackUrl } from "@/lib/auth/callback-url";
import { clientIpFromHeaders } from "@/lib/auth/client-ip";
import { authOptions } from "@/lib/auth/options";
import { parseCookieHeader, useSecureCookies } from "@/lib/auth/session-cookie";
import { checkLoginThrottle } from "@/lib/auth/throttle";
import { problem, problemFromError } from "@/lib/http/problem";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ nextauth: string[] }> };

const MAX_BODY_BYTES = 16 * 1024;

async function handle(request: Request, context: Context): Promise<Response> {
  try {
    const handler = NextAuth(authOptions()) as unknown as (req: Request, ctx: Context) => Promise<Response>;
    return await handler(request, context);
  } catch (error) {
    return problemFromError(error);
  }
}

function callbackCookieName(): string {
  return useSecureCookies() ? "__Secure-next-auth.callback-url" : "next-auth.callback-url";
}

/** 400 (clearing a bad callback-url cookie) when a callbackUrl in the query, body or cookie is not an address. */
function badCallbackUrl(request: Request, fields: Record<string, unknown>): Response | null {
  const base = new URL(request.url).origin;
  const cookie = parseCookieHeader(request.headers.get("cookie")).get(callbackCookieName());
  const candidates = [new URL(request.url).searchParams.get("callbackUrl"), fields.callbackUrl, cookie];
  const bad = candidates.some((value) => typeof value === "string" && value !== "" && !isParsableCallbackUrl(value, base));
  if (!bad) return null;
  const response = problem(400, "The callbackUrl is not a valid address; sign in from the login page.");
  if (cookie !== undefined && !isParsableCallbackUrl(cookie, base)) {
    response.headers.append("set-cookie", `${callbackCookieName()}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${useSecureCookies() ? "; Secure" : ""}`);
  }
  return response;
}

export async function GET(request: Request, context: Context): Promise<Response> {
  return badCallbackUrl(request, {}) ?? handle(request, context);
}

export async function POST(request: Request, context: Context): Promise<Response> {
  const { nextauth = [] } = await context.params;
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) return problem(413, "The sign-in request is too large.");
  let fields: Record<string, unknown>;
  try {
    const type = request.headers.get("content-type") ?? "";
    const text = await request.clone().text();
    if (text.length > MAX_BODY_BYTES) return problem(413, "The sign-in request is too large.");
    const parsed: unknown = type.includes("application/json") ? JSON.parse(text || "{}") : Object.fromEntries(new URLSearchParams(text));
    fields = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return problem(400, "The sign-in request could not be read.");
  }
  const bad = badCallbackUrl(request, fields);
  if (bad) return bad;
  if (nextauth[0] === "callback" && nextauth[1] === "credentials") {
    const email = typeof fields.email === "string" ? fields.email : "";
    try {
      const verdict = await checkLoginThrottle(email, clientIpFromHeaders(request.headers));
      if (!verdict.allowed) {
        return problem(
          429,
          `Too many failed sign-in attempts. Try again in ${Math.ceil(verdict.retryAfterSeconds / 60)} minute(s).`,
          { retryAfterSeconds: verdict.retryAfterSeconds },
          { "retry-after": String(verdict.retryAfterSeconds) },
        );
      }
    } catch (error) {
      return problemFromError(error);
    }
  }
  return handle(request, context);
}
