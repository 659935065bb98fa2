// One of the client's programs (a package): its credits (used and left per kind of session), its
// installment schedule, its payments. It is also where Checkout returns after buying
// (`?checkout=done` / `?checkout=cancelled`): the return proves nothing, so the page says
// "Payment received — confirming…" and reads the package again until the signed webhook has made
// it active. It never asks the person to "complete" anything after paying.
//
// A past-due plan offers another card (`POST /v1/packages/{packageId}/payment-method`): a Checkout
// page that saves it, after which the missed payment is charged to it. Back from there
// (`?card=saved`), the page says the payment is being confirmed until the package is active again.
import { useState } from 'react';
import type { ClientSession } from '../app.tsx';
import { useApp } from '../app-context.tsx';
import { ok } from '../api/client.ts';
import { Alert, Badge, Button, ErrorAlert, Loading, PageError, PageTitle, TableWrap } from '../components/ui.tsx';
import { PlanTable, type PlanRow } from '../components/plan-table.tsx';
import { storeBookService } from '../lib/book-service.ts';
import { clinicSetup, serviceName, type ClinicSetup, type Package } from '../lib/clinic-data.ts';
import { formatDate, formatDateTime, formatMoney } from '../lib/format.ts';
import { CREDIT_SERVICES, PACKAGE_STATUS, PAYMENT_WORDS, creditsLeft, newCardSettled, nextInstallment } from '../lib/packages.ts';
import { useLoad } from '../lib/use-load.ts';
import { useCheckoutReturn } from '../lib/use-checkout-return.ts';
import { Link, useLocation } from '../router.tsx';

type Installment = NonNullable<Package['schedule']>['installments'][number];

const INSTALLMENT_STATUS: Record<Installment['status'], { label: string; tone: 'neutral' | 'good' | 'warn' | 'bad' }> = {
  scheduled: { label: 'Scheduled', tone: 'neutral' },
  paid: { label: 'Paid', tone: 'good' },
  failed: { label: 'Failed', tone: 'bad' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
};

export function PackagePage({ packageId }: { session: ClientSession; packageId: string }) {
  const { api } = useApp();
  const { query } = useLocation();
  const checkout = query.get('checkout');
  const data = useLoad(async () => {
    const pkg = await ok(api.GET('/v1/packages/{packageId}', { params: { path: { packageId } } }));
    return { pkg, setup: await clinicSetup(api, pkg.clinicId) };
  }, [api, packageId]);

  const settled = data.data ? data.data.pkg.status !== 'pending_payment' : false;
  // came back from Checkout: read it again until the webhook has landed
  const { confirming, waitedTooLong } = useCheckoutReturn(checkout === 'done', settled, data.reload);
  // came back from saving another card: read it again until the missed payment is confirmed
  const cardSaved = query.get('card') === 'saved';
  const cardSettled = data.data ? newCardSettled(data.data.pkg) : false;
  const cardReturn = useCheckoutReturn(cardSaved, cardSettled, data.reload);

  if (data.error && !data.data) return <PageError title="This program could not load" error={data.error} />;
  if (!data.data) return <Loading />;
  const { pkg, setup } = data.data;
  const status = confirming || cardReturn.confirming ? { label: 'Confirming payment', tone: 'warn' as const } : PACKAGE_STATUS[pkg.status];
  const downPaid = pkg.payments.find((p) => p.kind === 'down_payment' && p.status === 'succeeded');
  const bookable = CREDIT_SERVICES.find((s) => creditsLeft(pkg, s) > 0);

  return (
    <>
      <PageTitle title="Your program">
        {pkg.programName} <Badge tone={status.tone}>{status.label}</Badge>
      </PageTitle>
      <p className="lead">
        {setup.clinic.name} · {formatMoney(pkg.price)} · {PAYMENT_WORDS[pkg.payment]}
      </p>

      {checkout === 'done' &&
        (settled ? (
          pkg.status === 'active' && (
            <Alert kind="success" title="Paid">
              {downPaid
                ? `Thank you — your down payment of ${formatMoney(downPaid.amount)} has been received and confirmed. The rest is charged monthly, as shown below.`
                : 'Thank you — your payment has been received and confirmed.'}{' '}
              Your program is active: each session you book with it uses one of its credits.
            </Alert>
          )
        ) : waitedTooLong ? (
          <Alert kind="info" title="Payment received — still confirming">
            Your payment was received; the confirmation is taking longer than usual. This page shows “Active” once it arrives — there is
            nothing more you need to do.
          </Alert>
        ) : (
          <Alert kind="info" title="Payment received — confirming…">
            <span className="spinner" aria-hidden="true" /> We are confirming your payment with the payment processor. This takes a few
            seconds.
          </Alert>
        ))}
      {checkout !== 'done' && pkg.status === 'pending_payment' && (
        <Alert kind="warning" title="Payment not completed">
          {pkg.checkoutUrl ? (
            <>
              Nothing was charged yet. The payment page stays open for a day: go back to it to pay for this program, or choose another one
              from <Link href={`/clinics/${encodeURIComponent(pkg.clinicId)}`}>the clinic’s programs</Link>.
              <span className="actions">
                <a className="btn btn-primary" href={pkg.checkoutUrl}>
                  Continue to payment
                </a>
              </span>
            </>
          ) : (
            <>
              Nothing was charged. You can choose the program again whenever you are ready:{' '}
              <Link href={`/clinics/${encodeURIComponent(pkg.clinicId)}`}>the clinic’s programs</Link>.
            </>
          )}
        </Alert>
      )}

      {cardSaved &&
        (cardSettled ? (
          pkg.status === 'active' && (
            <Alert kind="success" title="Paid">
              Thank you — your new card is saved and the missed payment has been received. Your program is active again; the rest of the
              plan is charged to the new card.
            </Alert>
          )
        ) : cardReturn.waitedTooLong ? (
          <Alert kind="info" title="Card saved — still confirming">
            Your new card was saved; confirming the payment is taking longer than usual. This page shows “Active” once it arrives. If it
            still says a payment did not go through, the new card was declined too.
          </Alert>
        ) : (
          <Alert kind="info" title="Card saved — confirming your payment…">
            <span className="spinner" aria-hidden="true" /> We are charging the missed payment to your new card and confirming it with the
            payment processor. This takes a few seconds.
          </Alert>
        ))}

      {pkg.status === 'past_due' && !cardReturn.confirming && <PastDue setup={setup} pkg={pkg} />}

      <Credits setup={setup} pkg={pkg} />
      {bookable && (
        <p>
          <Link className="btn btn-primary" href="/book" onClick={() => storeBookService(bookable)}>
            Book a session with a credit
          </Link>
        </p>
      )}

      {pkg.schedule && (
        <section aria-labelledby="schedule">
          <h2 id="schedule">Payment plan</h2>
          <PlanTable label="Payment schedule" rows={scheduleRows(pkg, pkg.schedule)} total={pkg.price} />
        </section>
      )}

      {pkg.payments.length > 0 && (
        <section aria-labelledby="payments">
          <h2 id="payments">Payments</h2>
          <ul>
            {pkg.payments.map((p, i) => (
              <li key={`${p.at}-${i}`}>
                {p.kind === 'refund' ? 'Refund of ' : ''}
                {formatMoney(p.amount)} on {formatDateTime(p.at, setup.clinic.timezone)}
                {p.kind === 'down_payment' ? ' (down payment)' : p.installment ? ` (payment ${p.installment})` : ''}
                {p.status === 'failed' ? ' — failed' : p.status === 'pending' ? ' — pending' : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
      <p className="actions">
        <Link href="/care">My care</Link>
        {pkg.invoiceId && <Link href={`/invoices/${encodeURIComponent(pkg.invoiceId)}`}>Invoice and receipt</Link>}
      </p>
    </>
  );
}

/**
 * A payment of the plan did not go through: which one, what happens next (the card is tried again
 * automatically), what it means meanwhile (no dosing session books with the program; the others
 * still do: payment_past_due), and a way to pay now with another card.
 */
function PastDue({ setup, pkg }: { setup: ClinicSetup; pkg: Package }) {
  const failed = nextInstallment(pkg);
  return (
    <Alert kind="warning" title="A payment did not go through">
      <p>
        {failed
          ? `The payment of ${formatMoney(failed.amount)} due ${formatDate(failed.dueDate)} could not be charged to your card.`
          : 'A payment of your plan could not be charged to your card.'}{' '}
        Your card is tried again automatically over the next few days.
      </p>
      <p>
        Until it is paid, {serviceName(setup, 'exploration').toLowerCase()}s can’t be booked with this program; other sessions still can.
        You can pay now with another card: it is saved for the rest of the plan, and the missed payment is charged to it at once.
      </p>
      <NewCardButton packageId={pkg.id} />
    </Alert>
  );
}

/** Goes to the Checkout page that saves another card; the package is paid only when the signed webhook says so. */
function NewCardButton({ packageId }: { packageId: string }) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { checkoutUrl } = await ok(api.POST('/v1/packages/{packageId}/payment-method', { params: { path: { packageId } }, body: {} }));
      window.location.assign(checkoutUrl);
    } catch (err) {
      setBusy(false);
      setError(err);
    }
  };
  return (
    <>
      <p className="actions">
        <Button onClick={() => void start()} busy={busy}>
          Use another card and pay now
        </Button>
      </p>
      <ErrorAlert error={error} title="The card page could not open" focus />
    </>
  );
}

/** Used and left per kind of session. */
export function Credits({ setup, pkg, headingLevel = 2 }: { setup: ClinicSetup; pkg: Package; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const id = `credits-${pkg.id}`;
  return (
    <section aria-labelledby={id}>
      <Heading id={id}>Sessions in this program</Heading>
      <TableWrap label="Sessions included, used and left">
        <table className="credits">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col" className="num">
                Included
              </th>
              <th scope="col" className="num">
                Used
              </th>
              <th scope="col" className="num">
                Left
              </th>
            </tr>
          </thead>
          <tbody>
            {CREDIT_SERVICES.map((s) => (
              <tr key={s}>
                <th scope="row">{serviceName(setup, s)}</th>
                <td className="num">{pkg.credits[s].total}</td>
                <td className="num">{pkg.credits[s].used}</td>
                <td className="num">
                  <strong>{pkg.credits[s].remaining}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}

function scheduleRows(pkg: Package, plan: NonNullable<Package['schedule']>): PlanRow[] {
  const downPaid = pkg.payments.some((p) => p.kind === 'down_payment' && p.status === 'succeeded');
  return [
    {
      key: 'down',
      when: { words: 'At purchase' },
      what: 'Down payment',
      amount: plan.downPayment,
      status: downPaid ? <Badge tone="good">Paid</Badge> : <Badge tone="neutral">Not paid</Badge>,
    },
    ...plan.installments.map((i) => {
      const s = INSTALLMENT_STATUS[i.status];
      return {
        key: `n${i.n}`,
        when: { date: i.dueDate },
        what: `Payment ${i.n} of ${plan.installments.length}`,
        amount: i.amount,
        status: (
          <Badge tone={s.tone}>
            {s.label}
            {i.status === 'failed' && i.attempts > 0 ? ` (${i.attempts} ${i.attempts === 1 ? 'try' : 'tries'})` : ''}
          </Badge>
        ),
      };
    }),
  ];
}
