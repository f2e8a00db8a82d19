// The key that signs and encrypts session cookies. Without AUTH_SECRET in the environment, one is
// generated on first start and kept in the data directory (mode 0600) so sessions survive restarts.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const AUTH_SECRET_FILE = "auth-secret";
const MIN_SECRET_LENGTH = 32;

/** Returns the secret kept in `<dataDir>/auth-secret`, creating it (32 random bytes, base64url) once. */
export function ensureAuthSecret(dataDir: string): string {
  const file = path.join(dataDir, AUTH_SECRET_FILE);
  if (existsSync(file)) {
    const secret = readFileSync(file, "utf8").trim();
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new Error(`${file} holds a secret shorter than ${MIN_SECRET_LENGTH} characters; delete it to generate a new one.`);
    }
    return secret;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  // "wx" fails if another process created the file meanwhile; then we read theirs.
  try {
    writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return ensureAuthSecret(dataDir);
    throw error;
  }
  chmodSync(file, 0o600);
  return secret;
}

/** Fails with a message naming the variable when AUTH_SECRET is set but too weak. */
export function checkAuthSecret(value: string | undefined): string | null {
  if (value === undefined || value === "") return null;
  if (value.length < MIN_SECRET_LENGTH) return `AUTH_SECRET must be at least ${MIN_SECRET_LENGTH} characters long.`;
  return null;
}

/** The secret next-auth uses; both names are set so every next-auth code path finds it. */
export function authSecret(): string {
  const secret = process.env.AUTH_SECRET || process.env.NEXTAUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET is not set (the start script sets it from .data/auth-secret).");
  process.env.NEXTAUTH_SECRET ??= secret;
  return secret;
}
