// An in-memory model of status ingest: applies events one at a time with the product's rules from
// lib/deployments/ingest-model.ts (last writer wins by occurredAt, then the event key; an event id a
// source already sent changes nothing; outcomes count as attempts even when stale) and says what the
// deployments and both summary tables must hold afterwards. The final state does not depend on the
// order events arrive in, so it also judges a replay with concurrent batches, retries and faults.
// Builds: an event names its build, or is about the build its deployment's wave targets (its
// rollout's when the wave names none; none outside a rollout); the deployment takes the winning
// event's build, and both summary tables are keyed by it (0 = none).
import { dayOf, eventKey, isNewer, OUTCOME_STATES, type Version } from "@/lib/deployments/ingest-model";
import type { DeploymentState } from "@/lib/deployments/states";

export type OracleEvent = {
  deviceId: number;
  updateId: number;
  state: DeploymentState;
  occurredAtMs: number;
  eventId: string;
  errorCode: string | null;
  /** The build the event names (resolved to its id); undefined: the build its deployment's wave targets. */
  buildId?: number | null;
};

export type OracleDeployment = {
  state: DeploymentState;
  version: Version | null;
  attempts: number;
  errorCode: string | null;
  rolloutId: number | null;
  waveId: number | null;
  buildId?: number | null;
};

export type OracleRow = {
  device_id: number;
  update_id: number;
  state: DeploymentState;
  rollout_id: number | null;
  wave_id: number | null;
  build_id: number | null;
  attempts: number;
  error_code: string | null;
  occurred_ms: number | null;
  state_event_key: string | null;
};

/** What deployment_counts groups a device by; departmentId 0 = none. */
export type DeviceGroup = { siteId: number; osName: string; departmentId: number };

/** The build a deployment's wave targets (else its rollout's); null outside a rollout. */
export type TargetBuild = (deployment: { rolloutId: number | null; waveId: number | null }) => number | null;

export class IngestOracle {
  /** `source \0 eventId` of every stored event. */
  readonly stored = new Set<string>();
  readonly deployments = new Map<string, OracleDeployment>();

  /** Starts from the deployments already in the database (keyed `deviceId:updateId`). */
  constructor(
    initial: Iterable<[deviceId: number, updateId: number, deployment: OracleDeployment]> = [],
    private readonly targetBuild: TargetBuild = () => null,
  ) {
    for (const [deviceId, updateId, d] of initial) this.deployments.set(`${deviceId}:${updateId}`, { ...d });
  }

  apply(source: string, e: OracleEvent): "accepted" | "duplicate" | "stale" {
    const id = `${source}\u0000${e.eventId}`;
    if (this.stored.has(id)) return "duplicate";
    this.stored.add(id);
    const key = `${e.deviceId}:${e.updateId}`;
    const current = this.deployments.get(key);
    const version: Version = { occurredAtMs: e.occurredAtMs, key: eventKey(source, e.eventId, "") };
    const outcome = OUTCOME_STATES.includes(e.state) ? 1 : 0;
    const buildId = e.buildId !== undefined ? e.buildId : current ? this.targetBuild(current) : null;
    if (!current || isNewer(version, current.version)) {
      this.deployments.set(key, {
        state: e.state,
        version,
        attempts: (current?.attempts ?? 0) + outcome,
        errorCode: e.errorCode,
        rolloutId: current?.rolloutId ?? null,
        waveId: current?.waveId ?? null,
        buildId,
      });
      return "accepted";
    }
    current.attempts += outcome;
    return "stale";
  }

  /** The deployments table as the database must hold it, ordered by (device, update). */
  rows(): OracleRow[] {
    return [...this.deployments.entries()]
      .map(([key, d]) => {
        const [deviceId, updateId] = key.split(":").map(Number);
        return {
          device_id: deviceId,
          update_id: updateId,
          state: d.state,
          rollout_id: d.rolloutId,
          wave_id: d.waveId,
          build_id: d.buildId ?? null,
          attempts: d.attempts,
          error_code: d.errorCode,
          occurred_ms: d.version ? d.version.occurredAtMs : null,
          state_event_key: d.version ? d.version.key : null,
        };
      })
      .sort((a, b) => a.device_id - b.device_id || a.update_id - b.update_id);
  }

  /** deployment_counts without its zero rows: `update|rollout|wave|site|os|department|state|build` → count. */
  counts(deviceOf: (deviceId: number) => DeviceGroup): Record<string, number> {
    const counts = new Map<string, number>();
    for (const row of this.rows()) {
      const device = deviceOf(row.device_id);
      const id = [row.update_id, row.rollout_id ?? 0, row.wave_id ?? 0, device.siteId, device.osName, device.departmentId, row.state, row.build_id ?? 0].join("|");
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return Object.fromEntries([...counts.entries()].sort());
  }

  /** adoption_daily without its zero rows: `update|day|build` → installs whose installed state occurred that (UTC) day. */
  adoption(): Record<string, number> {
    const days = new Map<string, number>();
    for (const row of this.rows()) {
      if (row.state !== "installed" || row.occurred_ms === null) continue;
      const id = `${row.update_id}|${dayOf(row.occurred_ms)}|${row.build_id ?? 0}`;
      days.set(id, (days.get(id) ?? 0) + 1);
    }
    return Object.fromEntries([...days.entries()].sort());
  }
}
