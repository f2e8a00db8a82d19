// Stand-in for the "server-only" package outside Next.js (vitest, the CLI).
export {};
