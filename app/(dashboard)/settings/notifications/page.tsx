// /settings/notifications — every signed-in user picks which events (by type and update) they are
// emailed, and the weekly adoption digest; admins also subscribe list addresses and read the email
// delivery log. Without SMTP_URL the page says email is off (choices are still saved).
import { AddListAddressForm, RedeliverEmailButton, RemoveListAddressButton } from "@/components/notifications/list-address-forms";
import { MySubscriptionForm } from "@/components/notifications/my-subscription-form";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Banner } from "@/components/ui/feedback";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { requirePageAction } from "@/lib/auth/session";
import { formatDateTime, formatNumber } from "@/lib/format";
import { emailEnabled } from "@/lib/notifications/mail-config";
import { getMySubscription, listEmailDeliveries, listListSubscriptions, subscribableUpdates } from "@/lib/notifications/subscriptions";
import { addListAddressAction, redeliverEmailAction, removeListAddressAction, saveMySubscriptionAction } from "./actions";

export const metadata = { title: "Notifications" };
export const dynamic = "force-dynamic";

const TONES = { delivered: "good", pending: "warn", dead: "bad" } as const;

const describe = (s: { events: string[]; updates: string[]; weeklyDigest: boolean }) =>
  [
    s.events.length === 0 ? "no events" : s.events.includes("*") ? "every event" : s.events.join(", "),
    s.updates.length === 0 ? "every update" : s.updates.join(", "),
    s.weeklyDigest ? "weekly digest" : null,
  ]
    .filter(Boolean)
    .join(" · ");

export default async function NotificationSettingsPage() {
  const actor = await requirePageAction("dashboard.read");
  const isAdmin = can(actor, "webhook.manage");
  const [mine, updates, lists, log] = await Promise.all([
    getMySubscription(actor),
    subscribableUpdates(actor),
    isAdmin ? listListSubscriptions(actor) : Promise.resolve([]),
    isAdmin ? listEmailDeliveries(actor, 50) : Promise.resolve([]),
  ]);
  const enabled = emailEnabled();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Notifications</h1>
      {enabled ? null : (
        <Banner tone="warning">
          <p data-testid="email-off">
            <strong>Email is off</strong> on this server (no <code>SMTP_URL</code> is set). You can still choose what you want; mails start once an
            administrator sets <code>SMTP_URL</code> and <code>MAIL_FROM</code>.
          </p>
        </Banner>
      )}
      <Card>
        <MySubscriptionForm action={saveMySubscriptionAction} email={actor.email} saved={mine} updates={updates} />
      </Card>
      {isAdmin ? (
        <>
          <Card title="List addresses">
            <Table caption="List addresses and what they get">
              <thead>
                <tr>
                  <Th>Address</Th>
                  <Th>Gets</Th>
                  <Th>Added</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {lists.map((l) => (
                  <tr key={l.id} className="align-top">
                    <th scope="row" className="break-all text-left font-normal">
                      {l.address}
                    </th>
                    <Td className="text-xs">{describe(l)}</Td>
                    <Td className="whitespace-nowrap">{formatDateTime(l.createdAt)}</Td>
                    <Td>
                      <RemoveListAddressButton id={l.id} address={l.address} action={removeListAddressAction} />
                    </Td>
                  </tr>
                ))}
                {lists.length === 0 ? <EmptyRow columns={4}>No list addresses yet.</EmptyRow> : null}
              </tbody>
            </Table>
            <div className="mt-4">
              <AddListAddressForm action={addListAddressAction} updates={updates} />
            </div>
          </Card>
          <Card title="Email delivery log">
            <Table caption="The newest 50 mails, newest first" showCaption>
              <thead>
                <tr>
                  <Th>Mail</Th>
                  <Th>To</Th>
                  <Th>Status</Th>
                  <Th numeric>Attempts</Th>
                  <Th>Last attempt</Th>
                  <Th>Answer</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {log.map((d) => (
                  <tr key={d.id} className="align-top" data-testid="email-delivery-row">
                    <th scope="row" className="text-left font-mono text-xs">
                      {d.kind === "event" ? d.eventType : d.kind} #{d.id}
                    </th>
                    <Td className="break-all">{d.toAddress}</Td>
                    <Td>
                      <Badge tone={TONES[d.status]}>{d.status}</Badge>
                    </Td>
                    <Td numeric>{formatNumber(d.attempts)}</Td>
                    <Td className="whitespace-nowrap">{formatDateTime(d.lastAttemptAt, "never")}</Td>
                    <Td className="max-w-xs break-words text-xs">{d.lastResponse ?? ""}</Td>
                    <Td>{d.status === "pending" ? null : <RedeliverEmailButton id={d.id} label={`mail ${d.id} to ${d.toAddress}`} action={redeliverEmailAction} />}</Td>
                  </tr>
                ))}
                {log.length === 0 ? <EmptyRow columns={7}>No mail made yet.</EmptyRow> : null}
              </tbody>
            </Table>
          </Card>
        </>
      ) : null}
    </div>
  );
}
