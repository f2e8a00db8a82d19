// A fixed-rate HTTP load on 127.0.0.1 with autocannon, bounded in time; latencies of every response
// are kept so p50/p95/p99 are exact (autocannon's own summary has no p95).
import autocannon from "autocannon";

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

export async function loadAtRate(options: {
  url: string;
  rate: number;
  seconds: number;
  headers?: Record<string, string>;
  connections?: number;
  method?: "GET" | "POST";
  body?: string;
}): Promise<LoadResult> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(options.url)) throw new Error("load tests target 127.0.0.1 only");
  const latencies: number[] = [];
  let non2xx = 0;
  const instance = autocannon({
    url: options.url,
    method: options.method ?? "GET",
    body: options.body,
    headers: options.headers,
    connections: options.connections ?? 10,
    overallRate: options.rate,
    duration: options.seconds,
    timeout: 10,
  });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    if (statusCode < 200 || statusCode >= 300) non2xx++;
  });
  const result = await instance;
  return {
    requests: latencies.length,
    non2xx,
    errors: result.errors + result.timeouts,
    ...summariseLatencies(latencies),
    rps: latencies.length / options.seconds,
  };
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
