// next-auth's endpoints (csrf, session, signin, callback, signout). The credentials callback is
// throttled here first so a blocked attempt gets a real 429 with Retry-After, not a redirect.
import NextAuth from "next-auth";
import { clientIpFromHeaders } from "@/lib/auth/client-ip";
import { authOptions } from "@/lib/auth/options";
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

export async function GET(request: Request, context: Context): Promise<Response> {
  return handle(request, context);
}

export async function POST(request: Request, context: Context): Promise<Response> {
  const { nextauth = [] } = await context.params;
  if (nextauth[0] === "callback" && nextauth[1] === "credentials") {
    const declared = Number(request.headers.get("content-length") ?? 0);
    if (declared > MAX_BODY_BYTES) return problem(413, "The sign-in request is too large.");
    let email = "";
    try {
      const type = request.headers.get("content-type") ?? "";
      const text = await request.clone().text();
      if (text.length > MAX_BODY_BYTES) return problem(413, "The sign-in request is too large.");
      const fields = type.includes("application/json") ? (JSON.parse(text) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(text));
      email = typeof fields.email === "string" ? fields.email : "";
    } catch {
      return problem(400, "The sign-in request could not be read.");
    }
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
