// My invoices, newest first, each with what is still due and a Pay button; a program's invoice
// says what its plan still takes, and offers Pay only once the program is cancelled (payableOnline).
import { useState } from 'react';
import type { ClientSession } from '../app.tsx';
import { useApp } from '../app-context.tsx';
import { ApiError, ok } from '../api/client.ts';
import { Alert, Badge, Button, ErrorAlert, Loading, PageTitle } from '../components/ui.tsx';
import { storeBookService } from '../lib/book-service.ts';
import { formatDate, formatMoney, localDateOf } from '../lib/format.ts';
import { invoiceBadge, invoiceTitle } from '../lib/invoices.ts';
import { payableOnline } from '../lib/payable.ts';
import { clientPackages } from '../lib/packages.ts';
import type { Invoice } from '../lib/clinic-data.ts';
import { useLoad } from '../lib/use-load.ts';
import { Link } from '../router.tsx';

export function InvoicesPage({ session }: { session: ClientSession }) {
  const { api } = useApp();
  const invoices = useLoad(
    () => ok(api.GET('/v1/clients/{clientId}/invoices', { params: { path: { clientId: session.clientId } } })),
    [api, session.clientId],
  );
  // the programs' states: a program's invoice is paid through its plan until it is cancelled
  const packages = useLoad(() => clientPackages(api, session.clientId), [api, session.clientId]);
  const packageStatus = new Map((packages.data ?? []).map((p) => [p.id, p.status]));
  // an invoice whose Pay found nothing due (paid elsewhere meanwhile): read again, and said on it
  const [stale, setStale] = useState<{ id: string }>();
  return (
    <>
      <PageTitle title="Invoices">Invoices</PageTitle>
      <p>
        For your insurer: <Link href="/superbill">a superbill or receipt for any dates</Link>.
      </p>
      <ErrorAlert error={invoices.error} title="Your invoices could not load" />
      {!invoices.data && invoices.loading && <Loading />}
      {invoices.data?.length === 0 && (
        <p>
          No invoices yet. Booking a session creates its invoice.{' '}
          <Link href="/book" onClick={() => storeBookService(undefined)}>
            Book a session
          </Link>
        </p>
      )}
      <ul className="card-list">
        {invoices.data?.map((inv) => (
          <InvoiceItem
            key={inv.id}
            invoice={inv}
            packageStatus={inv.packageId ? packageStatus.get(inv.packageId) : undefined}
            stale={stale?.id === inv.id ? stale : undefined}
            onNothingDue={() => void invoices.reload().then(() => setStale({ id: inv.id }))}
          />
        ))}
      </ul>
    </>
  );
}

function InvoiceItem({
  invoice: inv,
  packageStatus,
  stale,
  onNothingDue,
}: {
  invoice: Invoice;
  packageStatus: string | undefined;
  /** Set (a new object each time) when Pay found nothing due and the list was read again. */
  stale: object | undefined;
  onNothingDue: () => void;
}) {
  const status = invoiceBadge(inv, 'client');
  const byPlan = inv.packageId !== undefined && packageStatus !== undefined && packageStatus !== 'cancelled';
  return (
    <li className="card invoice-item">
      <div>
        <h2 className="h3">
          <Link href={`/invoices/${encodeURIComponent(inv.id)}`}>Invoice {inv.number}</Link>{' '}
          <Badge tone={status.tone}>{status.label}</Badge>
        </h2>
        <p>{invoiceTitle(inv)}</p>
        <p className="muted">Issued {formatDate(localDateOf(inv.issuedAt))}</p>
      </div>
      <div className="invoice-amounts">
        <p>
          Total <strong>{formatMoney(inv.total)}</strong>
        </p>
        {inv.balance.amount > 0 &&
          (byPlan && inv.packageId ? (
            <p>
              Still to pay <strong>{formatMoney(inv.balance)}</strong>,{' '}
              <Link href={`/packages/${encodeURIComponent(inv.packageId)}`}>through the program’s payments</Link>
            </p>
          ) : (
            <p>
              Due <strong>{formatMoney(inv.balance)}</strong>
            </p>
          ))}
        {stale && (
          <Alert kind="info" focusKey={stale}>
            {nothingDueMeanwhile(inv)}
          </Alert>
        )}
        {payableOnline(inv, packageStatus) && <PayButton invoice={inv} onNothingDue={onNothingDue} />}
      </div>
    </li>
  );
}

/** After Pay found nothing due (409): what the invoice, read again, is now. */
export const nothingDueMeanwhile = (inv: Invoice): string =>
  inv.status === 'paid' ? 'This invoice has been paid meanwhile.' : 'Nothing is due on this invoice any more.';

/**
 * Starts Stripe Checkout for the balance and goes there; the invoice turns paid only when the
 * signed webhook lands (the return page waits for it). Nothing due any more (409: paid elsewhere
 * meanwhile): `onNothingDue`, for the page to read the invoice again and say so.
 */
export function PayButton({ invoice, onNothingDue }: { invoice: Invoice; onNothingDue: () => void }) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const pay = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { checkoutUrl } = await ok(
        api.POST('/v1/invoices/{invoiceId}/checkout', { params: { path: { invoiceId: invoice.id } }, body: {} }),
      );
      window.location.assign(checkoutUrl);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === 'conflict') onNothingDue();
      else setError(err);
    }
  };
  return (
    <>
      <Button onClick={() => void pay()} busy={busy} aria-label={`Pay ${formatMoney(invoice.balance)} for invoice ${invoice.number}`}>
        Pay {formatMoney(invoice.balance)}
      </Button>
      <ErrorAlert error={error} title="Payment could not start" focus />
    </>
  );
}
