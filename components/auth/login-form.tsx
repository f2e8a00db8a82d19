"use client";

import { useRef, useState } from "react";
import { postAuth } from "./auth-client";

type Props = { next: string; initialError: string | null; sso: { name: string } | null };

const GENERIC_ERROR = "Email or password is wrong.";

export function LoginForm({ next, initialError, sso }: Props) {
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);
  const errorRef = useRef<HTMLParagraphElement>(null);

  function show(message: string) {
    setError(message);
    setPending(false);
    // Move focus to the message so screen readers announce it and keyboard users start over there.
    requestAnimationFrame(() => errorRef.current?.focus());
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await postAuth("/api/auth/callback/credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        callbackUrl: next,
      });
      if (result.kind === "throttled") {
        show(`Too many failed attempts. Try again in ${Math.ceil(result.retryAfterSeconds / 60)} minute(s).`);
      } else if (result.kind === "error") {
        show(GENERIC_ERROR);
      } else {
        window.location.assign(next);
      }
    } catch {
      show("Sign-in is not available right now. Try again in a moment.");
    }
  }

  async function onSso() {
    setPending(true);
    setError(null);
    try {
      const result = await postAuth("/api/auth/signin/oidc", { callbackUrl: next });
      if (result.kind === "ok") window.location.assign(result.url);
      else show("Single sign-on is not available right now.");
    } catch {
      show("Single sign-on is not available right now.");
    }
  }

  return (
    <div className="space-y-6">
      <p
        ref={errorRef}
        tabIndex={-1}
        role="alert"
        className={error ? "rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100" : "sr-only"}
      >
        {error ?? ""}
      </p>
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <div>
          <label htmlFor="email" className="block text-sm font-medium">
            Email
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            maxLength={320}
            className="mt-1 block w-full rounded border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
          />
        </div>
        <div>
          <label htmlFor="password" className="block text-sm font-medium">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={1024}
            className="mt-1 block w-full rounded border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
          />
        </div>
        <button
          type="submit"
          disabled={pending}
          className="w-full rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60"
        >
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {sso ? (
        <div className="border-t border-slate-200 pt-6 dark:border-slate-800">
          <button
            type="button"
            onClick={onSso}
            disabled={pending}
            className="w-full rounded border border-slate-300 px-4 py-2 font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Continue with {sso.name}
          </button>
        </div>
      ) : null}
    </div>
  );
}
