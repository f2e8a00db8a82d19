import { Card } from "@/components/ui/card";
import { requirePageAction } from "@/lib/auth/session";
import { CSV_TEMPLATE_HEADER } from "@/lib/deployments/ingest-csv";
import { MAX_BATCH_BYTES } from "@/lib/deployments/ingest-model";
import { DEPLOYMENT_STATES } from "@/lib/deployments/states";
import { importStatusEventsAction } from "./actions";
import { ImportForm } from "./import-form";

export const metadata = { title: "Import status events" };

const SAMPLE = `${CSV_TEMPLATE_HEADER}
HOME-PC-0042,windows-xp-sp2,installed,2004-08-25T18:40:00Z,Final,,,Installed from CD-ROM,
HOME-PC-0043,windows-xp-sp2,failed,2004-08-25T19:05:00Z,,0x80070070,disk_full,Setup stopped: disk full,`;

export default async function ImportStatusEventsPage() {
  await requirePageAction("events.ingest");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Import status events</h1>
      <p className="max-w-3xl">
        For machines that do not report over the network — home workers who installed from a CD-ROM, or a technician&apos;s
        list from a site visit. The rows go through the same checks as the distribution tool&apos;s reports: the newest report
        per machine wins, older ones are kept in the history, and a file imported twice changes nothing the second time.
      </p>
      <Card>
        <ImportForm action={importStatusEventsAction} maxBytes={MAX_BATCH_BYTES} />
      </Card>
      <Card title="File format">
        <div id="csv-help" className="space-y-2 text-sm">
          <p>
            A header row naming the columns, in any order: <code className="break-all">{CSV_TEMPLATE_HEADER}</code>. The first four are required.
          </p>
          <ul className="list-disc pl-5">
            <li>
              <code>device</code> is the hostname (any case), <code>update</code> the update&apos;s short name (e.g. <code>windows-xp-sp2</code>).
            </li>
            <li>
              <code>state</code> is one of {DEPLOYMENT_STATES.map((s, i) => (
                <span key={s}>
                  {i ? ", " : ""}
                  <code>{s}</code>
                </span>
              ))}
              .
            </li>
            <li>
              <code>occurredAt</code> is when it happened on the machine, with a time zone: <code>2004-08-25T18:40:00Z</code> or{" "}
              <code>2004-08-25T20:40:00+02:00</code>.
            </li>
            <li>
              <code>build</code> (optional) is the build installed, by name or version (<code>RC2</code>, <code>5.1.2600.2180</code>); left
              empty, the row is about the build the machine&apos;s wave targets.
            </li>
            <li>Rows without an <code>eventId</code> get one from their content, so re-importing a file is safe.</li>
          </ul>
          <pre tabIndex={0} aria-label="Sample CSV" className="overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
            {SAMPLE}
          </pre>
          <p>
            Larger files: <code>npx rollcall events import FILE.csv</code> on the server.
          </p>
        </div>
      </Card>
    </div>
  );
}
