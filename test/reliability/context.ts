// What every scenario gets from the runner: the profile, where the build and logs are, the checks
// it reports into, and a place to register cleanup that runs even when the scenario fails.
import type { Checks } from "./checks";

export type Profile = {
  name: "small" | "full";
  /** Events sent, duplicates included. */
  sends: number;
  batchSize: number;
  seed: number;
};

export const PROFILES: Record<Profile["name"], Omit<Profile, "seed">> = {
  small: { name: "small", sends: 24_000, batchSize: 400 },
  full: { name: "full", sends: 200_000, batchSize: 1_000 },
};

export type Context = {
  profile: Profile;
  distDir: string;
  /** Server logs and data directories of this run. */
  workDir: string;
  checks: Checks;
  log: (line: string) => void;
  /** Runs at the end of the run (last registered first), whatever happened. */
  defer: (cleanup: () => Promise<void> | void) => void;
};

/** Ports of this suite (3520–3529). */
export const PORTS = { postgresA: 3520, postgresB: 3521, pglite: 3522 } as const;
