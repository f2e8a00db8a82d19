import "server-only";
// Sends one mail over SMTP with Nodemailer (one transport per dispatcher, from SMTP_URL). Never
// throws: answers whether the server accepted the mail and what it said, like a webhook attempt.
import nodemailer from "nodemailer";
import type { EmailContent } from "./email-body";
import type { MailConfig } from "./mail-config";

export type Mailer = {
  send(mail: EmailContent & { to: string; messageId: string; headers?: Record<string, string> }): Promise<{ ok: boolean; latencyMs: number; response: string }>;
  close(): void;
};

const RESPONSE_CHARS = 500;

export function smtpMailer(config: MailConfig, timeoutMs = 10_000): Mailer {
  // The timeouts belong to the transport (the second argument holds message defaults only).
  const transport = nodemailer.createTransport(
    { url: config.smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs },
    { from: config.from },
  );
  return {
    async send({ to, subject, text, html, messageId, headers }) {
      const started = performance.now();
      const latency = () => Math.round(performance.now() - started);
      try {
        // The Message-ID is the delivery's: a mail sent again after a crash carries the same id, so mail systems can drop the copy.
        const info = await transport.sendMail({ to, subject, text, html, messageId, headers });
        const accepted = (info.accepted as Array<string | { address: string }>).map((a) => (typeof a === "string" ? a : a.address).toLowerCase());
        const ok = accepted.includes(to.toLowerCase());
        return { ok, latencyMs: latency(), response: String(info.response ?? "").slice(0, RESPONSE_CHARS) || (ok ? "accepted" : "not accepted") };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, latencyMs: latency(), response: `Could not send: ${message}`.slice(0, RESPONSE_CHARS) };
      }
    },
    close: () => transport.close(),
  };
}
