// A small deterministic PRNG for the seeds: the same seed gives the same demo, run after run.
// mulberry32 (public domain): 32-bit state, fast, good enough for picking demo data.

export type Rng = {
  /** A float in [0, 1). */
  next: () => number;
  /** An integer in [min, max], both included. */
  int: (min: number, max: number) => number;
  /** True with probability p. */
  chance: (p: number) => boolean;
  pick: <T>(items: readonly T[]) => T;
  /** Picks by weight: `[["a", 3], ["b", 1]]` gives "a" three times as often as "b". */
  weighted: <T>(choices: readonly (readonly [T, number])[]) => T;
  /** A new array in random order (Fisher–Yates); the input is left alone. */
  shuffle: <T>(items: readonly T[]) => T[];
  /** `count` distinct items (or all of them when there are fewer). */
  sample: <T>(items: readonly T[], count: number) => T[];
};

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) throw new RangeError(`bad range [${min}, ${max}]`);
    return min + Math.floor(next() * (max - min + 1));
  };
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError("pick from an empty list");
      return items[Math.floor(next() * items.length)];
    },
    weighted: (choices) => {
      const total = choices.reduce((sum, [, weight]) => sum + Math.max(0, weight), 0);
      if (!(total > 0)) throw new RangeError("weighted pick needs a positive total weight");
      let roll = next() * total;
      let last = choices[0][0];
      for (const [value, weight] of choices) {
        if (weight <= 0) continue;
        last = value;
        roll -= weight;
        if (roll < 0) return value;
      }
      // Only reached through floating-point rounding: the last choice that has any weight.
      return last;
    },
    shuffle,
    sample: (items, count) => shuffle(items).slice(0, Math.max(0, count)),
  };
}
