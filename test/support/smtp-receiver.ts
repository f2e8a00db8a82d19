// A real SMTP server for email tests (the Nodemailer project's smtp-server on 127.0.0.1): it takes
// every mail, with AUTH accepted over plain text for the test, and reads each one's envelope,
// headers and its text and HTML parts (quoted-printable and base64 decoded) the way a mail client
// would. It can be stopped and started again on the same port (a mail server that is down).
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = {
  at: number;
  envelopeTo: string[];
  headers: Record<string, string>;
  subject: string;
  to: string;
  from: string;
  text: string;
  html: string;
  raw: string;
};

export type SmtpReceiver = {
  port: number;
  /** smtp://user:password@127.0.0.1:<port> */
  url: string;
  received: ReceivedMail[];
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Stops listening (a server that is down); `start` listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
};

function splitHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r\n[ \t]+/g, " ").split(/\r\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const encoding = (headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  if (encoding === "quoted-printable") return decodeQuotedPrintable(body);
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  return body;
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= or =?UTF-8?B?…?=) in a header. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === "B" ? Buffer.from(text, "base64").toString("utf8") : decodeQuotedPrintable(text.replace(/_/g, " ")),
    );
}

/** Reads a mail: its headers and the text/plain and text/html parts (of a multipart or a single part). */
export function parseMail(raw: string): Omit<ReceivedMail, "at" | "envelopeTo"> {
  const split = raw.indexOf("\r\n\r\n");
  const headers = splitHeaders(raw.slice(0, split));
  const body = raw.slice(split + 4);
  let text = "";
  let html = "";
  const boundary = /boundary="?([^";]+)"?/i.exec(headers["content-type"] ?? "")?.[1];
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1) : [`\r\n${raw}`];
  for (const part of parts) {
    const trimmed = part.replace(/^\r\n/, "");
    const end = trimmed.indexOf("\r\n\r\n");
    const partHeaders = splitHeaders(trimmed.slice(0, end));
    const content = decodeBody(partHeaders, trimmed.slice(end + 4).replace(/\r\n$/, ""));
    const type = (partHeaders["content-type"] ?? "").toLowerCase();
    if (type.startsWith("text/plain")) text = content;
    else if (type.startsWith("text/html")) html = content;
  }
  return { headers, subject: decodeWords(headers.subject ?? ""), to: headers.to ?? "", from: headers.from ?? "", text, html, raw };
}

export async function startSmtpReceiver(options: { port?: number; user?: string; password?: string } = {}): Promise<SmtpReceiver> {
  const user = options.user ?? "rollcall";
  const password = options.password ?? "mail-secret";
  let server: SMTPServer | undefined;
  const receiver: SmtpReceiver = {
    port: options.port ?? 0,
    url: "",
    received: [],
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (receiver.received.length < count) {
        if (Date.now() > deadline) throw new Error(`SMTP receiver: ${receiver.received.length} of ${count} mails after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return receiver.received.slice(0, count);
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async start() {
      if (server) return;
      server = new SMTPServer({
        // Plain SMTP on a loopback port: no STARTTLS to upgrade to, and AUTH allowed without TLS for the test.
        disabledCommands: ["STARTTLS"],
        allowInsecureAuth: true,
        authMethods: ["PLAIN", "LOGIN"],
        logger: false,
        onAuth(auth, _session, callback) {
          if (auth.username === user && auth.password === password) callback(null, { user });
          else callback(new Error("Invalid username or password"));
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => {
            const raw = Buffer.concat(chunks).toString("utf8");
            receiver.received.push({ at: Date.now(), envelopeTo: session.envelope.rcptTo.map((r) => r.address), ...parseMail(raw) });
            callback();
          });
        },
      });
      const s = server;
      await new Promise<void>((resolve, reject) => {
        s.once("error", reject);
        s.listen(receiver.port, "127.0.0.1", () => resolve());
      });
      receiver.port = (s.server.address() as AddressInfo).port;
      receiver.url = `smtp://${user}:${password}@127.0.0.1:${receiver.port}`;
    },
  };
  await receiver.start();
  return receiver;
}
