// Email's configuration (issue #19 item 4): SMTP_URL (smtp://user:pass@host:587, which upgrades with
// STARTTLS when the server offers it, or smtps://…:465 for TLS from the start) and MAIL_FROM. Without
// SMTP_URL email is off: subscriptions are kept, no mail is made. Checked at start (lib/server/env.ts),
// so a malformed value fails there, naming the variable, instead of at the first mail.
export type MailConfig = { smtpUrl: string; from: string; host: string };

type Env = Record<string, string | undefined>;

export class MailConfigError extends Error {
  constructor(readonly variable: "SMTP_URL" | "MAIL_FROM", detail: string) {
    super(`${variable} ${detail}`);
    this.name = "MailConfigError";
  }
}

/** `Name <a@b.example>` or `a@b.example`. */
const ADDRESS = /^(?:[^<>@\r\n]*<\s*[^\s<>@]+@[^\s<>@]+\s*>|[^\s<>@]+@[^\s<>@]+)$/;

/** The mail settings, null when SMTP_URL is not set; throws MailConfigError naming the variable that is wrong. */
export function readMailConfig(env: Env = process.env): MailConfig | null {
  const raw = env.SMTP_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MailConfigError("SMTP_URL", "is not a URL: use smtp://user:password@host:587 or smtps://user:password@host:465");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new MailConfigError("SMTP_URL", `must start with smtp:// or smtps://, not "${url.protocol}//"`);
  }
  if (!url.hostname) throw new MailConfigError("SMTP_URL", "names no host: use smtp://user:password@host:587");
  if (url.port && (Number(url.port) < 1 || Number(url.port) > 65535)) throw new MailConfigError("SMTP_URL", "has a port outside 1-65535");
  const from = env.MAIL_FROM?.trim();
  if (!from) throw new MailConfigError("MAIL_FROM", 'must be set when SMTP_URL is: the sender, e.g. "Rollcall <rollcall@example.com>"');
  if (!ADDRESS.test(from)) throw new MailConfigError("MAIL_FROM", `must be an address such as "Rollcall <rollcall@example.com>", not "${from}"`);
  return { smtpUrl: raw, from, host: url.hostname };
}

/** Whether email is on, without throwing (pages say so; a wrong value already stopped the start). */
export function emailEnabled(env: Env = process.env): boolean {
  try {
    return readMailConfig(env) !== null;
  } catch {
    return false;
  }
}
