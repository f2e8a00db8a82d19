import Link from "next/link";

export const metadata = { title: "Not allowed" };

// Rendered with status 403 when a signed-in user opens a page their role may not see.
export default function Forbidden() {
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-16">
      <h1 className="text-2xl font-semibold">Not allowed</h1>
      <p className="mt-4">Your role does not give access to this page. Ask an administrator if you need it.</p>
      <p className="mt-4">
        <Link href="/">Back to the overview</Link>
      </p>
    </main>
  );
}
