// One invoice: its lines, payments and refunds, the Pay button, and the receipt PDF. It is also
// where Stripe Checkout returns (`?checkout=done` / `?checkout=cancelled`): the return proves
// nothing, so the page says "Payment received — confirming…" and reads the invoice again until
// the signed webhook has marked it paid; only then does it say "Paid".
import { useState } from 'react';
import type { ClientSession } from '../app.tsx';
import { useApp } from '../app-context.tsx';
import { ok } from '../api/client.ts';
import { Alert, Badge, Loading, PageError, PageTitle, TableWrap } from '../components/ui.tsx';
import { clinicSetup } from '../lib/clinic-data.ts';
import { formatDate, formatDateTime, formatMoney, localDateOf } from '../lib/format.ts';
import { invoiceBadge } from '../lib/invoices.ts';
import { payableOnline } from '../lib/payable.ts';
import { useLoad } from '../lib/use-load.ts';
import { useCheckoutReturn } from '../lib/use-checkout-return.ts';
import { Link, useLocation } from '../router.tsx';
import { ReceiptButton } from '../components/receipt-button.tsx';
import { nothingDueMeanwhile, PayButton } from './invoices.tsx';
import { paymentMethodWords } from '../lib/desk-payment-rules.ts';

export function InvoicePage({ invoiceId }: { session: ClientSession; invoiceId: string }) {
  const { api } = useApp();
  const { query } = useLocation();
  const checkout = query.get('checkout');
  const data = useLoad(async () => {
    const invoice = await ok(api.GET('/v1/invoices/{invoiceId}', { params: { path: { invoiceId } } }));
    // a program's invoice is paid through its package until the package is cancelled
    const packageId = invoice.balance.amount > 0 ? invoice.packageId : undefined;
    const [pkg, setup] = await Promise.all([
      packageId ? ok(api.GET('/v1/packages/{packageId}', { params: { path: { packageId } } })) : undefined,
      clinicSetup(api, invoice.clinicId),
    ]);
    return { invoice, packageStatus: pkg?.status, setup };
  }, [api, invoiceId]);

  const settled = data.data ? data.data.invoice.balance.amount <= 0 : false;
  // Pay found nothing due (paid elsewhere meanwhile): the invoice read again, and said (a new object each time)
  const [stale, setStale] = useState<object>();
  // came back from Checkout: read it again until the webhook has landed
  const { confirming, waitedTooLong } = useCheckoutReturn(checkout === 'done', settled, data.reload);

  if (data.error && !data.data) return <PageError title="This invoice could not load" error={data.error} />;
  if (!data.data) return <Loading />;
  const { invoice: inv, packageStatus, setup } = data.data;
  const payable = payableOnline(inv, packageStatus);
  const zone = setup.clinic.timezone;
  const status = confirming ? { label: 'Confirming payment', tone: 'warn' as const } : invoiceBadge(inv, 'client');

  return (
    <>
      <PageTitle title={`Invoice ${inv.number}`}>
        Invoice {inv.number} <Badge tone={status.tone}>{status.label}</Badge>
      </PageTitle>
      <p className="lead">
        {setup.clinic.name} · issued {formatDate(localDateOf(inv.issuedAt))}
      </p>

      {checkout === 'done' &&
        (settled ? (
          <Alert kind="success" title="Paid">
            Thank you — your payment of {formatMoney(inv.paid)} has been received and confirmed.
          </Alert>
        ) : waitedTooLong ? (
          <Alert kind="info" title="Payment received — still confirming">
            Your card payment was received; the confirmation is taking longer than usual. This page shows “Paid” once it arrives — there is
            nothing more you need to do.
          </Alert>
        ) : (
          <Alert kind="info" title="Payment received — confirming…">
            <span className="spinner" aria-hidden="true" /> We are confirming your payment with the card processor. This takes a few
            seconds.
          </Alert>
        ))}
      {stale && (
        <Alert kind="info" focusKey={stale}>
          {nothingDueMeanwhile(inv)}
        </Alert>
      )}
      {checkout === 'cancelled' && !settled && (
        <Alert kind="warning" title="Payment not completed">
          Nothing was charged. You can pay whenever you are ready.
        </Alert>
      )}

      <section className="card" aria-labelledby="lines">
        <h2 id="lines">What it is for</h2>
        <TableWrap label="Invoice lines">
          <table className="invoice-lines">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Date</th>
                <th scope="col" className="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {inv.lines.map((l) => (
                <tr key={l.id} className={l.voided ? 'voided' : undefined}>
                  <th scope="row">
                    {l.description}
                    {l.voided && <span className="muted"> (cancelled, not charged)</span>}
                  </th>
                  <td className="nowrap">{l.serviceDate ? formatDate(l.serviceDate) : '—'}</td>
                  <td className="num">{l.voided ? <s>{formatMoney(l.amount)}</s> : formatMoney(l.amount)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  Total
                </th>
                <td className="num">{formatMoney(inv.total)}</td>
              </tr>
              <tr>
                <th scope="row" colSpan={2}>
                  Paid
                </th>
                <td className="num">{formatMoney(inv.paid)}</td>
              </tr>
              {inv.refunded.amount > 0 && (
                <tr>
                  <th scope="row" colSpan={2}>
                    Refunded
                  </th>
                  <td className="num">{formatMoney(inv.refunded)}</td>
                </tr>
              )}
              <tr className="balance">
                <th scope="row" colSpan={2}>
                  {inv.balance.amount < 0 ? 'To be refunded to you' : 'Balance due'}
                </th>
                <td className="num">{formatMoney({ ...inv.balance, amount: Math.abs(inv.balance.amount) })}</td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
        <div className="actions">
          {payable && !confirming && <PayButton invoice={inv} onNothingDue={() => void data.reload().then(() => setStale({}))} />}
          {inv.packageId && !payable && inv.balance.amount > 0 && (
            <p className="muted">This program is paid through its own checkout or installment plan.</p>
          )}
          {inv.paid.amount > 0 && <ReceiptButton invoiceId={inv.id} number={inv.number} />}
        </div>
      </section>

      {inv.payments.length > 0 && (
        <section aria-labelledby="payments">
          <h2 id="payments">Payments</h2>
          <ul>
            {inv.payments.map((p) => (
              <li key={p.reference}>
                {formatMoney(p.amount)} on {formatDateTime(p.at, zone)} ({paymentMethodWords(p.method)})
              </li>
            ))}
            {inv.refunds.map((r) => (
              <li key={r.reference}>
                Refund of {formatMoney(r.amount)} on {formatDateTime(r.at, zone)}
                {r.status === 'failed' ? ' — failed, the clinic is sending it again' : r.status === 'pending' ? ' — on its way' : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
      <p>
        <Link href="/invoices">All invoices</Link>
      </p>
    </>
  );
}
