import "server-only";
// Offline media (CD-ROMs posted to home workers, or a technician's visit): record what was shipped
// per wave, and show per wave how many offline devices were shipped to, installed, and overdue
// (no report OVERDUE_DAYS after the media went out).
import { desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { mediaShipments, waves } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { mutation } from "@/lib/dal/mutation";
import { HttpError } from "@/lib/http/problem";
import { readRolloutSignals, readRolloutWaves } from "./shared-reads";
import { txRows } from "@/db/tx";

export const OVERDUE_DAYS = 14;

export const ShipmentInput = z.object({
  waveId: z.coerce.number().int().positive(),
  batch: z.string().trim().min(1, "Name the batch (e.g. CD-2004-08-A).").max(100, "At most 100 characters."),
  shippedAt: z.coerce.date({ message: "Enter the date the media went out." }),
  deviceCount: z.coerce.number({ message: "Enter how many devices the media is for." }).int("A whole number.").min(1, "At least 1.").max(1_000_000),
  note: z.string().trim().max(2000).default(""),
});

export const recordShipment = mutation({
  action: "rollout.write",
  input: ShipmentInput,
  invalid: "The shipment has invalid fields; nothing was saved.",
  run: async (tx, _actor, data) => {
    if (data.shippedAt.getTime() > Date.now() + 86_400_000) {
      throw new HttpError(422, "The shipping date is in the future.", { errors: [{ path: "shippedAt", message: "The media cannot have shipped in the future." }] });
    }
    const [wave] = await tx.select({ id: waves.id }).from(waves).where(eq(waves.id, data.waveId));
    if (!wave) throw new HttpError(404, "No such wave.");
    const [shipment] = await tx.insert(mediaShipments).values(data).returning();
    return shipment;
  },
  audit: (data) => ({ action: "media.ship", targetType: "wave", targetId: data.waveId, after: { ...data, shippedAt: data.shippedAt.toISOString() } }),
});

export type WaveMediaStatus = {
  waveId: number;
  offlineDevices: number;
  shipped: number;
  installed: number;
  overdue: number;
  shipments: { id: number; batch: string; shippedAt: Date; deviceCount: number; note: string }[];
};

export async function mediaStatusForRollout(actor: Actor | null, rolloutId: number, now = new Date()): Promise<WaveMediaStatus[]> {
  assertCan(actor, "rollout.read");
  const db = await getDb();
  const [waveRows, shipments, signals] = await Promise.all([
    readRolloutWaves(actor, rolloutId),
    db
      .select()
      .from(mediaShipments)
      .where(sql`${mediaShipments.waveId} in (select ${waves.id} from ${waves} where ${waves.rolloutId} = ${rolloutId})`)
      .orderBy(desc(mediaShipments.shippedAt)),
    // Offline and installed counts come from the summary table; only overdue (which depends on when
    // each device last reported) reads deployments, and only for waves whose media went out before the cutoff.
    readRolloutSignals(actor, rolloutId),
  ]);
  const ids = waveRows.map((w) => w.id);
  if (!ids.length) return [];
  const cutoff = new Date(now.getTime() - OVERDUE_DAYS * 86_400_000);
  // Overdue: shipped to before the cutoff, and no report since the shipment that reached them.
  const dueSince = new Map<number, Date>();
  for (const s of shipments) if (s.shippedAt <= cutoff && !dueSince.has(s.waveId)) dueSince.set(s.waveId, s.shippedAt);
  const result: WaveMediaStatus[] = [];
  for (const id of ids) {
    const offline = signals.offline.get(id);
    const since = dueSince.get(id);
    let overdue = 0;
    if (since) {
      const [r] = await txRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from deployments d
            where d.wave_id = ${id} and d.channel in ('offline_media', 'technician')
              and d.state not in ('installed', 'not_applicable', 'excluded')
              and (d.last_reported_at is null or d.last_reported_at < ${since.toISOString()}::timestamptz)`,
      );
      overdue = r.n;
    }
    const waveShipments = shipments.filter((s) => s.waveId === id);
    result.push({
      waveId: id,
      offlineDevices: offline?.devices ?? 0,
      shipped: waveShipments.reduce((n, s) => n + s.deviceCount, 0),
      installed: offline?.installed ?? 0,
      overdue,
      shipments: waveShipments.map((s) => ({ id: s.id, batch: s.batch, shippedAt: s.shippedAt, deviceCount: s.deviceCount, note: s.note })),
    });
  }
  return result;
}

