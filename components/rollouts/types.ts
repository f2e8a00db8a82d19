// The shapes the rollout components render (plain data from lib/rollouts; no database imports here).
export type PlanPreviewView = {
  update: { slug: string; title: string; sizeBytes: number; applicableOsNames: string[] };
  build: { id: number; name: string };
  total: number;
  notApplicable: number;
  notApplicableByOs: { osName: string; devices: number }[];
  excluded: number;
  waves: {
    index: number;
    name: string;
    started: boolean;
    devices: number;
    held: number;
    network: number;
    offline: number;
    sites: { siteId: number; name: string; kind: string; devices: number; networkDevices: number; downloadBytes: number; linkKbps: number | null; transferSeconds: number | null; saturates: boolean }[];
    warnings: string[];
  }[];
};
