import { afterEach, describe, expect, it } from "vitest";
import { decodeSessionToken, encodeSessionToken, reissueSessionToken, REISSUE_REUSE_SECONDS, SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS } from "./session-cookie";

const FIRST_SECRET = "test-secret-test-secret-test-secret-0123";
process.env.AUTH_SECRET = FIRST_SECRET;

describe("session cookie decoding (with its cache of decrypted cookies)", () => {
  afterEach(() => {
    process.env.AUTH_SECRET = FIRST_SECRET;
  });

  it("decodes the same cookie to the same claims every time", async () => {
    const authTime = Math.floor(Date.now() / 1000);
    const token = await encodeSessionToken({ uid: 7, sv: 2, role: "viewer", authTime });
    const first = await decodeSessionToken(token);
    const second = await decodeSessionToken(token);
    expect(first).toMatchObject({ uid: 7, sv: 2, role: "viewer", authTime });
    expect(second).toEqual(first);
  });

  it("still ends a cached session at its idle and absolute timeouts", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await encodeSessionToken({ uid: 8, sv: 1, role: "editor", authTime: now - 60 });
    expect(await decodeSessionToken(token, now)).not.toBeNull();
    expect(await decodeSessionToken(token, now + SESSION_IDLE_SECONDS + 1)).toBeNull();
    const old = await encodeSessionToken({ uid: 9, sv: 1, role: "editor", authTime: now - SESSION_ABSOLUTE_SECONDS + 30 });
    expect(await decodeSessionToken(old, now)).not.toBeNull();
    expect(await decodeSessionToken(old, now + 31)).toBeNull();
  });

  it("rejects a tampered cookie, also after the genuine one was decoded", async () => {
    const token = await encodeSessionToken({ uid: 10, sv: 1, role: "admin", authTime: Math.floor(Date.now() / 1000) });
    expect(await decodeSessionToken(token)).not.toBeNull();
    const i = token.length - 5;
    const tampered = token.slice(0, i) + (token[i] === "A" ? "B" : "A") + token.slice(i + 1);
    expect(await decodeSessionToken(tampered)).toBeNull();
  });

  it("forgets decrypted cookies when the secret changes", async () => {
    const token = await encodeSessionToken({ uid: 11, sv: 1, role: "viewer", authTime: Math.floor(Date.now() / 1000) });
    expect(await decodeSessionToken(token)).not.toBeNull();
    process.env.AUTH_SECRET = "another-secret-another-secret-another-01";
    expect(await decodeSessionToken(token)).toBeNull();
  });

  it("re-issues one fresh cookie per old cookie for a minute, then a new one", async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = await encodeSessionToken({ uid: 12, sv: 3, role: "viewer", authTime: now - 600 });
    const claims = (await decodeSessionToken(old, now))!;
    const fresh = await reissueSessionToken(old, claims, now);
    expect(fresh).not.toBe(old);
    expect(await decodeSessionToken(fresh)).toMatchObject({ uid: 12, sv: 3, role: "viewer", authTime: now - 600 });
    expect(await reissueSessionToken(old, claims, now + REISSUE_REUSE_SECONDS - 1)).toBe(fresh);
    const later = await reissueSessionToken(old, claims, now + REISSUE_REUSE_SECONDS);
    expect(later).not.toBe(fresh);
    expect(await decodeSessionToken(later)).toMatchObject({ uid: 12, sv: 3 });
  });
});
