import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { oidcEnabled } from "@/lib/auth/options";
import { getSessionActor, safeNextPath } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ next?: string | string[]; error?: string | string[] }> };

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** next-auth puts a code in ?error=; users see one generic sentence, never which part was wrong. */
function errorMessage(code: string | undefined): string | null {
  if (!code) return null;
  if (code === "CredentialsSignin") return "Email or password is wrong.";
  if (code === "SessionRequired") return null;
  return "Sign-in did not work. Try again, or ask an administrator.";
}

export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(first(params.next));
  if (await getSessionActor()) redirect(next);
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4 py-12">
      <h1 className="text-2xl font-semibold">Sign in to Rollcall</h1>
      <p className="mt-2 mb-6 text-sm text-slate-600 dark:text-slate-300">Staged rollouts, wave progress and known issues.</p>
      <LoginForm next={next} initialError={errorMessage(first(params.error))} sso={oidcEnabled()} />
    </main>
  );
}
