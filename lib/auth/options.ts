import "server-only";
// next-auth 4 configuration: email + password (argon2id) and, when configured, one OIDC provider.
// Sessions are JWTs in an encrypted cookie carrying the user id, role, session version and sign-in
// time; request-actor.ts checks them against the users row on every request.
import type { AuthOptions, User } from "next-auth";
import type { JWT } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { safeRedirect } from "./callback-url";
import { clientIpFromHeaders } from "./client-ip";
import { readOidcConfig, roleFromClaims, type OidcConfig } from "./oidc-config";
import { authSecret } from "./secret";
import { SESSION_IDLE_SECONDS, useSecureCookies } from "./session-cookie";
import { endSessions, findSessionUser, signInWithPassword, signInWithSso, type SessionUser } from "./sign-in";

/** The fields authorize()/signIn hand to the jwt callback. */
type RollcallUser = User & { rollcall?: SessionUser };

export const OIDC_PROVIDER_ID = "oidc";

function ipOf(headers: Record<string, unknown> | undefined): string {
  const h = new Headers();
  for (const [key, value] of Object.entries(headers ?? {})) if (typeof value === "string") h.set(key, value);
  return clientIpFromHeaders(h);
}

function oidcProvider(config: OidcConfig): OAuthConfig<Record<string, unknown>> {
  return {
    id: OIDC_PROVIDER_ID,
    name: config.name,
    type: "oauth",
    wellKnown: `${config.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    authorization: { params: { scope: "openid email profile" } },
    client: { token_endpoint_auth_method: "client_secret_basic" },
    profile(profile) {
      const sub = String(profile.sub);
      return { id: sub, email: typeof profile.email === "string" ? profile.email : null, name: typeof profile.name === "string" ? profile.name : null };
    },
  };
}

export function buildAuthOptions(env: Record<string, string | undefined> = process.env): AuthOptions {
  const oidc = readOidcConfig(env);
  const providers: AuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const email = typeof credentials?.email === "string" ? credentials.email : "";
        const password = typeof credentials?.password === "string" ? credentials.password : "";
        if (!email || !password) return null;
        const result = await signInWithPassword(email, password, ipOf(req?.headers));
        if (!result.ok) return null;
        const user: RollcallUser = { id: String(result.user.id), email: result.user.email, name: result.user.name, rollcall: result.user };
        return user;
      },
    }),
  ];
  if (oidc) providers.push(oidcProvider(oidc));

  return {
    secret: authSecret(),
    providers,
    session: { strategy: "jwt", maxAge: SESSION_IDLE_SECONDS },
    useSecureCookies: useSecureCookies(),
    pages: { signIn: "/login", error: "/login" },
    logger: {
      // next-auth logs whole error objects; keep credentials and tokens out of the server log.
      error: (code) => console.error(`[auth] ${code}`),
      warn: (code) => console.warn(`[auth] ${code}`),
      debug: () => undefined,
    },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        if (!oidc || !profile) return false;
        const claims = profile as Record<string, unknown>;
        const role = roleFromClaims(claims, oidc.roleClaim);
        if (!role && oidc.roleRequired) return false;
        const sessionUser = await signInWithSso(
          {
            issuer: oidc.issuer,
            subject: String(claims.sub),
            email: typeof claims.email === "string" ? claims.email : null,
            emailVerified: claims.email_verified === true,
            name: typeof claims.name === "string" ? claims.name : null,
            role,
          },
          "sso",
          { linkByEmail: oidc.linkByEmail },
        );
        if (!sessionUser) return false;
        (user as RollcallUser).rollcall = sessionUser;
        return true;
      },
      async jwt({ token, user }) {
        const signedIn = (user as RollcallUser | undefined)?.rollcall;
        if (signedIn) {
          return { sub: String(signedIn.id), uid: signedIn.id, sv: signedIn.sessionVersion, role: signedIn.role, authTime: Math.floor(Date.now() / 1000) } satisfies JWT;
        }
        return token;
      },
      // /api/auth/session answers from the users row, like every page: the role is the database's,
      // and a disabled, deleted or signed-out user gets no session (next-auth then clears the cookie).
      async session({ session, token }) {
        const user = typeof token.uid === "number" ? await findSessionUser(token.uid) : null;
        if (!user || user.disabled || user.sessionVersion !== token.sv) throw new Error("session ended");
        return { ...session, user: { ...session.user, id: user.id, role: user.role } };
      },
      redirect: safeRedirect,
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.uid === "number" && typeof token.sv === "number") await endSessions(token.uid, token.sv);
      },
    },
  };
}

let cached: AuthOptions | undefined;
export function authOptions(): AuthOptions {
  cached ??= buildAuthOptions();
  return cached;
}

export function oidcEnabled(): { name: string } | null {
  const config = readOidcConfig(process.env);
  return config ? { name: config.name } : null;
}
