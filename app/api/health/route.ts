import { databaseHealth, replicaHealth } from "@/lib/server/health";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/health", async function GET(): Promise<Response> {
  try {
    const db = await databaseHealth();
    // With DATABASE_REPLICA_URL: whether reads go to the replica ("ok") or to the primary ("behind", "unreachable", "not_a_standby").
    const replica = await replicaHealth();
    return Response.json({ status: "ok", db, ...(replica ? { replica } : {}) }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    console.error(`[health] database unavailable: ${error instanceof Error ? error.message : String(error)}`);
    return Response.json(
      { status: "unavailable" },
      { status: 503, headers: { "cache-control": "no-store", "retry-after": "5" } },
    );
  }
});
