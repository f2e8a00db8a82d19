"use client";

import { useState } from "react";
import { postAuth } from "./auth-client";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  async function signOut() {
    setPending(true);
    try {
      await postAuth("/api/auth/signout", { callbackUrl: "/login" });
    } finally {
      window.location.assign("/login");
    }
  }
  return (
    <button type="button" onClick={signOut} disabled={pending} className="rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
