// One wrapper for route handlers: times each call into rollcall_http_request_duration_seconds
// under the route's pattern (e.g. /api/v1/devices/{hostname}), never its URL, so label values stay bounded.
import { metrics } from "./registry";

/** Where `measured` records the pattern a handler was registered with (test/metrics checks each route's). */
export const MEASURED_ROUTE = Symbol.for("rollcall.measuredRoute");

type Handler = (request: Request, ...rest: never[]) => Promise<Response>;

export function measured<H extends Handler>(route: string, handler: H): H {
  // A handler that takes no arguments (GET /api/health) may be called without a request in tests.
  const wrapped = async (request?: Request, ...rest: never[]): Promise<Response> => {
    const stop = metrics().httpRequestDuration.startTimer({ method: request?.method ?? "GET", route });
    let status = 500;
    try {
      const response = await handler(request as Request, ...rest);
      status = response.status;
      return response;
    } finally {
      stop({ status: String(status) });
    }
  };
  return Object.assign(wrapped, { [MEASURED_ROUTE]: route }) as unknown as H;
}
