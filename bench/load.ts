// A fixed-rate HTTP load on 127.0.0.1, bounded in time. Open loop: request i is sent at
// start + phase + i / rate (or at Poisson arrival times) whether or not earlier ones have answered (each on a free keep-alive
// connection, or a new one), so the arrivals are evenly spaced at the rate asked for and a server that
// falls behind sees its queue grow instead of the load slowing down. Each latency runs from the time
// the request was due, not from when it went out, so a late send on our side counts against us
// (no coordinated omission). Every latency is kept, so p50/p95/p99 are exact.
import http from "node:http";
import { createRng } from "@/db/seed/rng";

export type LoadResult = {
  requests: number;
  non2xx: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  rps: number;
};

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summariseLatencies(latencies: number[]): Pick<LoadResult, "p50" | "p95" | "p99" | "max"> {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

const TIMEOUT_MS = 10_000;

export type Arrivals = "even" | "poisson";

/**
 * The due time of every request, `rate` per second on average, shifted by `phaseMs`: evenly spaced,
 * or as a Poisson process (independent users: exponential gaps from a seeded generator, so bursts
 * happen and two runs see the same ones).
 */
export function schedule(rate: number, seconds: number, phaseMs = 0, arrivals: Arrivals = "even"): number[] {
  if (!(rate > 0) || !(seconds > 0)) throw new Error("rate and seconds must be positive");
  const count = Math.round(rate * seconds);
  if (arrivals === "even") return Array.from({ length: count }, (_, i) => phaseMs + (i * 1000) / rate);
  const rng = createRng(0x5eed ^ count);
  let at = phaseMs;
  return Array.from({ length: count }, () => {
    const due = at;
    at += (-Math.log(1 - rng.next()) * 1000) / rate;
    return due;
  });
}

function send(agent: http.Agent, url: URL, options: { method: string; headers?: Record<string, string>; body?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, method: options.method, headers: options.headers, timeout: TIMEOUT_MS }, (res) => {
      res.on("data", () => {});
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(options.body);
  });
}

export async function loadAtRate(options: {
  url: string;
  rate: number;
  seconds: number;
  headers?: Record<string, string>;
  method?: "GET" | "POST";
  body?: string;
  /** Shifts the schedule, so several loads at once interleave instead of firing together. */
  phaseMs?: number;
  arrivals?: Arrivals;
}): Promise<LoadResult> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(options.url)) throw new Error("load tests target 127.0.0.1 only");
  const url = new URL(options.url);
  // fifo: idle connections take turns, as many users' browsers would, so every server process gets its share.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, scheduling: "fifo" });
  const due = schedule(options.rate, options.seconds, options.phaseMs, options.arrivals);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  try {
    for (const offset of due) {
      const at = start + offset;
      const wait = at - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(
        send(agent, url, { method: options.method ?? "GET", headers: options.headers, body: options.body }).then(
          (status) => {
            latencies.push(performance.now() - at);
            if (status < 200 || status >= 300) non2xx++;
          },
          () => {
            errors++;
          },
        ),
      );
    }
    await Promise.all(inFlight);
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - start) / 1000;
  return { requests: latencies.length, non2xx, errors, ...summariseLatencies(latencies), rps: latencies.length / Math.max(elapsed, options.seconds) };
}

/** Times `fn` `runs` times in sequence (after `warmup` runs): the in-process floor of a page or query. */
export async function timeRuns(fn: () => Promise<unknown>, runs: number, warmup = 5): Promise<LoadResult> {
  for (let i = 0; i < warmup; i++) await fn();
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    latencies.push(performance.now() - t0);
  }
  return { requests: runs, non2xx: 0, errors: 0, ...summariseLatencies(latencies), rps: runs / ((performance.now() - started) / 1000) };
}
