// Password policy (issue 4): 12–128 characters, not one of the 10,000 most common passwords.
// common-passwords.txt is the head of the frequency-ranked "passwords" list that the zxcvbn 4.4.2
// npm package ships (MIT, lib/frequency_lists.js), one password per line.
import { readFileSync } from "node:fs";
import path from "node:path";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

let common: Set<string> | undefined;

export function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(path.join(process.cwd(), "lib", "auth", "common-passwords.txt"), "utf8")
      .split("\n")
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
  return common;
}

/** Null when the password is acceptable, else the reason (safe to show the user). */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return "This password is on the list of commonly used passwords; choose another.";
  if (context.email && lower === context.email.toLowerCase()) return "The password must not be the email address.";
  if (/^(.)\1+$/u.test(password)) return "The password must not be one character repeated.";
  return null;
}
