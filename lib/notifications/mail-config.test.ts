import { describe, expect, it } from "vitest";
import { readServerEnv } from "@/lib/server/env";
import { isoWeek, weekStart } from "./iso-week";
import { emailEnabled, readMailConfig } from "./mail-config";

describe("SMTP_URL and MAIL_FROM", () => {
  it("leave email off when SMTP_URL is not set, and read smtp:// and smtps:// addresses", () => {
    expect(readMailConfig({})).toBeNull();
    expect(emailEnabled({ MAIL_FROM: "x@example.com" })).toBe(false);
    expect(readMailConfig({ SMTP_URL: "smtp://user:pa%24s@mail.example.com:587", MAIL_FROM: "Rollcall <rollcall@example.com>" })).toEqual({
      smtpUrl: "smtp://user:pa%24s@mail.example.com:587",
      from: "Rollcall <rollcall@example.com>",
      host: "mail.example.com",
    });
    expect(readServerEnv({ SMTP_URL: "smtps://mail.example.com", MAIL_FROM: "rollcall@example.com" }).mail?.host).toBe("mail.example.com");
    expect(readServerEnv({}).mail).toBeNull();
  });

  it.each([
    [{ SMTP_URL: "smtp//mail.example.com", MAIL_FROM: "a@b.c" }, /^SMTP_URL: is not a URL/],
    [{ SMTP_URL: "http://mail.example.com", MAIL_FROM: "a@b.c" }, /^SMTP_URL: must start with smtp:\/\/ or smtps:\/\//],
    [{ SMTP_URL: "smtp://mail.example.com:587" }, /^MAIL_FROM: must be set when SMTP_URL is/],
    [{ SMTP_URL: "smtp://mail.example.com:587", MAIL_FROM: "Rollcall" }, /^MAIL_FROM: must be an address/],
  ])("fails the start on %o, naming the variable and never the password", (env, message) => {
    expect(() => readServerEnv({ ...env })).toThrow(message);
    try {
      readServerEnv({ SMTP_URL: "ftp://user:hunter2@mail.example.com", MAIL_FROM: "a@b.c" });
    } catch (error) {
      expect(String(error)).not.toContain("hunter2");
    }
  });
});

describe("ISO weeks", () => {
  it.each([
    ["2026-12-07T00:00:00Z", "2026-W50"],
    ["2026-12-13T23:59:59Z", "2026-W50"],
    ["2026-12-14T00:00:00Z", "2026-W51"],
    ["2027-01-01T12:00:00Z", "2026-W53"],
    ["2021-01-03T12:00:00Z", "2020-W53"],
    ["2024-12-30T12:00:00Z", "2025-W01"],
  ])("%s is in %s", (at, week) => {
    expect(isoWeek(new Date(at))).toBe(week);
    expect(isoWeek(weekStart(new Date(at)))).toBe(week);
    expect(weekStart(new Date(at)).getUTCDay()).toBe(1);
  });
});
