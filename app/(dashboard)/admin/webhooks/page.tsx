import { AdminNav } from "@/components/admin/admin-nav";
import { CreateWebhookForm } from "@/components/admin/create-webhook-form";
import { DeleteWebhookButton, RedeliverButton } from "@/components/admin/webhook-row-actions";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
import { requirePageAction } from "@/lib/auth/session";
import { formatDateTime, formatNumber } from "@/lib/format";
import { listWebhookDeliveries, listWebhooks, type DeliverySummary } from "@/lib/outbox/webhooks";
import { createWebhookAction, deleteWebhookAction, redeliverAction } from "./actions";

export const metadata = { title: "Webhooks" };

const LOG_ROWS = 20;

const TONES = { delivered: "good", pending: "warn", dead: "bad" } as const;

function attemptLine(d: DeliverySummary): string {
  const answer = d.lastStatusCode === null ? "no answer" : `HTTP ${d.lastStatusCode}`;
  return d.attempts === 0 ? "not sent yet" : `${answer} after ${formatNumber(d.lastLatencyMs ?? 0)} ms`;
}

export default async function AdminWebhooksPage() {
  const actor = await requirePageAction("webhook.manage");
  const hooks = await listWebhooks(actor);
  const logs = await Promise.all(hooks.map((hook) => listWebhookDeliveries(actor, hook.id, LOG_ROWS)));
  return (
    <div>
      <AdminNav current="/admin/webhooks" />
      <div className="space-y-6">
        <Card>
          <CreateWebhookForm action={createWebhookAction} />
          <p className="mt-3 text-sm text-slate-600 dark:text-slate-300">
            Each delivery is a POST with <code>Rollcall-Event</code>, <code>Rollcall-Delivery</code> (the event id, to de-duplicate) and{" "}
            <code>Rollcall-Signature: t=…,v1=…</code> (HMAC-SHA256 of <code>t.body</code> with the secret). Anything but a 2xx is retried with growing
            delays for 24 hours.
          </p>
        </Card>
        {hooks.length === 0 ? (
          <Card>
            <p className="text-sm">No webhooks yet: add one above to hear of halted waves, gate results and known issues as they happen.</p>
          </Card>
        ) : null}
        {hooks.map((hook, i) => (
          <Card key={hook.id}>
            <div className="mb-3 flex flex-wrap items-start justify-between gap-3">
              <div className="min-w-0">
                <h2 className="break-all text-base font-semibold">{hook.url}</h2>
                <p className="text-sm text-slate-700 dark:text-slate-300">
                  {hook.format} · {hook.events.includes("*") ? "every event" : hook.events.join(", ")} · added {formatDateTime(hook.createdAt)} ·{" "}
                  {formatNumber(hook.delivered)} delivered, {formatNumber(hook.pending)} pending, {formatNumber(hook.dead)} dead
                </p>
              </div>
              <DeleteWebhookButton webhookId={hook.id} url={hook.url} action={deleteWebhookAction} />
            </div>
            <Table caption={`Delivery log of ${hook.url}, newest first`} showCaption>
              <thead>
                <tr>
                  <Th>Event</Th>
                  <Th>Status</Th>
                  <Th numeric>Attempts</Th>
                  <Th>Last attempt</Th>
                  <Th>Answer</Th>
                  <Th>Response</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {logs[i].map((d) => (
                  <tr key={d.id} className="align-top" data-testid="delivery-row">
                    <th scope="row" className="font-mono text-xs">
                      {d.eventType} #{d.eventId}
                    </th>
                    <Td>
                      <Badge tone={TONES[d.status]}>{d.status}</Badge>
                      {d.nextAttemptAt ? <span className="block text-xs">next {formatDateTime(d.nextAttemptAt)}</span> : null}
                    </Td>
                    <Td numeric>{formatNumber(d.attempts)}</Td>
                    <Td className="whitespace-nowrap">{formatDateTime(d.lastAttemptAt, "never")}</Td>
                    <Td>{attemptLine(d)}</Td>
                    <Td className="max-w-xs break-words text-xs">{d.lastResponse ?? ""}</Td>
                    <Td>{d.status === "pending" && d.attempts === 0 ? null : <RedeliverButton webhookId={hook.id} deliveryId={d.id} eventType={d.eventType} action={redeliverAction} />}</Td>
                  </tr>
                ))}
                {logs[i].length === 0 ? <EmptyRow columns={7}>Nothing sent yet.</EmptyRow> : null}
              </tbody>
            </Table>
          </Card>
        ))}
      </div>
    </div>
  );
}
