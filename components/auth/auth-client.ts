// Browser side of next-auth's scripted flow: fetch a CSRF token, then post to its endpoints with
// json=true so the answer is JSON ({url}) instead of a redirect.
export async function csrfToken(): Promise<string> {
  const res = await fetch("/api/auth/csrf", { cache: "no-store", credentials: "same-origin" });
  if (!res.ok) throw new Error(`csrf ${res.status}`);
  const body = (await res.json()) as { csrfToken?: string };
  if (!body.csrfToken) throw new Error("no csrf token");
  return body.csrfToken;
}

export type AuthPostResult =
  | { kind: "ok"; url: string }
  | { kind: "error"; code: string }
  | { kind: "throttled"; retryAfterSeconds: number };

export async function postAuth(path: string, fields: Record<string, string>): Promise<AuthPostResult> {
  const body = new URLSearchParams({ ...fields, csrfToken: await csrfToken(), json: "true" });
  const res = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });
  if (res.status === 429) {
    const retry = Number(res.headers.get("retry-after") ?? 900);
    return { kind: "throttled", retryAfterSeconds: Number.isFinite(retry) ? retry : 900 };
  }
  const data = (await res.json().catch(() => ({}))) as { url?: string };
  if (!res.ok || !data.url) return { kind: "error", code: `http_${res.status}` };
  const url = new URL(data.url, window.location.origin);
  const error = url.searchParams.get("error");
  return error ? { kind: "error", code: error } : { kind: "ok", url: url.toString() };
}
