import Link from "next/link";
import { DeviceImport } from "@/components/devices/device-import";
import { requirePageAction } from "@/lib/auth/session";

export const metadata = { title: "Import devices" };

export default async function ImportDevicesPage() {
  await requirePageAction("inventory.write");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Import devices from CSV</h1>
      <p className="max-w-3xl text-sm">
        Devices are matched by hostname (case does not matter): known ones are updated, new ones created. Check the file first; rows with problems are listed and skipped, the
        good rows are stored when you apply. Open rollouts are re-evaluated afterwards. Missing a site? <Link href="/devices/sites">Add it first</Link>.
      </p>
      <DeviceImport />
    </div>
  );
}
