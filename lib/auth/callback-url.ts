// Where next-auth sends the browser after signing in or out. A callbackUrl that is not an address
// on this server goes home instead; one that is not an address at all is refused with 400 by the
// route, because next-auth answers it with a 500 (its config check treats it as a server error).

/** True when next-auth's own check accepts the value (http(s), absolute or relative to `base`). */
export function isParsableCallbackUrl(value: string, base: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? base : undefined).protocol);
  } catch {
    return false;
  }
}

/** The redirect callback: same-site paths and same-origin URLs pass; anything else is `baseUrl`. */
export function safeRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  if (url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\") && !/[\u0000-\u001f]/.test(url)) {
    return isParsableCallbackUrl(url, baseUrl) ? `${baseUrl}${url}` : baseUrl;
  }
  try {
    return new URL(url).origin === baseUrl ? url : baseUrl;
  } catch {
    return baseUrl;
  }
}
