// autocannon ships no types; the benchmark uses its promise API and 'response' events only.
declare module "autocannon" {
  type Instance = Promise<{ errors: number; timeouts: number }> & {
    on(event: "response", listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void): void;
  };
  export default function autocannon(options: Record<string, unknown>): Instance;
}
