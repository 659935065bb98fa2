// What the clinic's staff can do about an invoice's money, on its page:
// - take a payment: the front desk (and admin) open Stripe Checkout for the balance, to hand the
//   screen to the client or send the link (copied with "Copy link"); the page watches the invoice
//   and shows the payment once the signed webhook has landed (POST /v1/invoices/{id}/checkout);
// - a program's invoice: the package that pays it (status, sessions used and left), and for the
//   front desk, finance and admin "Cancel program and refund" (POST /v1/packages/{id}/cancel), after
//   a confirmation that says what the cancel will refund, from the API's preview
//   (GET /v1/packages/{id}/cancel-preview: lib/program-cancel.ts);
// - a refund the refund job gave up on: finance and admin have it tried again
//   (POST /v1/invoices/{id}/refunds/retry) or record one made another way (POST
//   /v1/invoices/{id}/refunds; the checks before sending are lib/refund-rules.ts). The page then
//   shows the invoice each answers, as it is right after: read again, the job may already be at it.
import { useEffect, useRef, useState } from 'react';
import { ApiError, ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Alert, Badge, Button, ErrorAlert, Loading } from '../../components/ui.tsx';
import type { ClinicSetup, Invoice, Package } from '../../lib/clinic-data.ts';
import { formatMoney, type Money } from '../../lib/format.ts';
import { PACKAGE_STATUS, PAYMENT_WORDS } from '../../lib/packages.ts';
import { cancelTerms } from '../../lib/program-cancel.ts';
import { useLoad, type Loaded } from '../../lib/use-load.ts';
import {
  checkRefund,
  OUTSIDE_METHODS,
  recordedWords,
  REFUND_METHOD_WORDS,
  refundFormFor,
  type RefundForm,
  type RefundRecord,
} from '../../lib/refund-rules.ts';
import { usePoll } from '../../lib/use-poll.ts';
import { Credits } from '../package.tsx';
import type { StaffSession } from './common.tsx';
import { creditsWords } from './chart-programs.tsx';
import { CopyLink } from './copy-link.tsx';
import { invoicePaidSince, WATCH_FOR_MS, WATCH_PACE } from './payment-link-rules.ts';
import { MoneyFields } from './money-fields.tsx';
import { useMoneyForm } from './use-money-form.ts';

/** Who may start a payment for a client (the API's grants for the invoice checkout). */
export const mayTakePayment = (s: StaffSession) => s.role === 'frontdesk' || s.role === 'admin';
/** Who may settle a refund the refund job gave up on (the API's grants for its retry and record). */
export const maySettleRefunds = (s: StaffSession) => s.role === 'finance' || s.role === 'admin';
/** Who may cancel a program and refund it (the API's grants for the package cancel). */
const mayCancelProgram = (s: StaffSession) => s.role === 'frontdesk' || s.role === 'finance' || s.role === 'admin';

/**
 * "Take payment": makes a Checkout page for the balance and offers it as a link (a new tab) with
 * "Copy link", then reads the invoice again (`onCheck`, WATCH_PACE: often at first, then further
 * apart; not while the tab is hidden) until the payment lands, for a few minutes; "Check for the
 * payment" reads it at once. Asking twice for the same balance gives
 * the same page (the API keys the Checkout Session by the invoice's version). Once paid, the card
 * says so where the link was (the rest of the page shows the invoice as it is now).
 */
export function TakePayment({ invoice, payable, onCheck }: { invoice: Invoice; payable: boolean; onCheck: () => Promise<void> }) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  // the page made, what it asks for, and what the invoice had been paid then
  const [started, setStarted] = useState<{ url: string; amount: Money; before: Pick<Invoice, 'paid'> }>();
  const paid = started !== undefined && invoicePaidSince(started.before, invoice);
  const { timedOut } = usePoll(started !== undefined && !paid, onCheck, { ...WATCH_PACE, forMs: WATCH_FOR_MS });
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<unknown>();
  if (!payable && !started) return null;

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { checkoutUrl } = await ok(
        api.POST('/v1/invoices/{invoiceId}/checkout', {
          params: { path: { invoiceId: invoice.id } },
          body: {},
        }),
      );
      setStarted({ url: checkoutUrl, amount: invoice.balance, before: invoice });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const check = async () => {
    setChecking(true);
    setCheckError(undefined);
    try {
      await onCheck();
    } catch (err) {
      setCheckError(err);
    } finally {
      setChecking(false);
    }
  };
  return (
    <section className="card" aria-labelledby="take-payment">
      <h2 id="take-payment">Take a payment</h2>
      {started && paid ? (
        <Alert kind="success" title="Payment received">
          The client paid {formatMoney(started.amount)} on the payment page.
          {invoice.balance.amount > 0 ? ` ${formatMoney(invoice.balance)} is still due.` : ' Nothing more is due on this invoice.'}
        </Alert>
      ) : started ? (
        // not a live region: Copy link and the watch say their news themselves; focus comes here, the pressed button gone
        <Alert kind="info" title="The payment page is ready" live={false} focusKey={started.url}>
          <p>
            <a href={started.url} target="_blank" rel="noopener noreferrer">
              Open the payment page for {formatMoney(started.amount)}
            </a>{' '}
            (a new tab) and let the client pay by card, or send them the link. It stops working after about an hour.
          </p>
          <CopyLink url={started.url} />
          <p role="status">
            {timedOut
              ? 'No payment has been confirmed yet. Once the client has paid, check again.'
              : 'This page shows the payment as soon as the card processor confirms it.'}
          </p>
          <Button kind="secondary" onClick={() => void check()} busy={checking}>
            Check for the payment
          </Button>
        </Alert>
      ) : (
        <>
          <p>The client pays the {formatMoney(invoice.balance)} due by card on a secure payment page.</p>
          <Button onClick={() => void start()} busy={busy}>
            Take payment of {formatMoney(invoice.balance)}
          </Button>
        </>
      )}
      <ErrorAlert error={checkError} title="The invoice could not be read again" />
      <ErrorAlert error={error} title="The payment page could not be made" />
    </section>
  );
}

/**
 * What the cancel will do, as figures from the API's preview; while it loads, or if it cannot, the
 * rules in words (the cancel itself still says what it refunded).
 */
function CancelTermsList({ pkg, terms }: { pkg: Package; terms: Loaded<ReturnType<typeof cancelTerms> | undefined> }) {
  if (terms.data) {
    return (
      <ul aria-live="polite">
        {terms.data.points.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    );
  }
  return (
    <>
      <ul aria-live="polite">
        <li>
          Its booked sessions still to come are cancelled free of charge
          {pkg.payment === 'installments' ? ', and no more installments are taken' : ''}.
        </li>
        <li>
          The client gets back what was paid less the list price of the sessions used or missed; if more was used than paid, the rest stays
          due on this invoice.
        </li>
        <li>Sessions that have started must be marked completed or no-show first.</li>
      </ul>
      {terms.loading ? (
        <Loading label="Working out the refund…" />
      ) : (
        <ErrorAlert error={terms.error} title="The refund could not be worked out" />
      )}
    </>
  );
}

/** The package a program's invoice bills, and the cancel with its refund. */
export function ProgramPanel({
  session,
  setup,
  pkg,
  onChanged,
}: {
  session: StaffSession;
  setup: ClinicSetup;
  pkg: Package;
  onChanged: () => void;
}) {
  const { api } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [refund, setRefund] = useState<Package['price']>();
  // a 409: it was cancelled elsewhere meanwhile (another tab, a colleague); the page reads it again
  const [already, setAlready] = useState(false);
  // a refusal takes focus: it answers the button pressed, and is what to read next
  const refusal = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) refusal.current?.focus();
  }, [error]);
  const status = PACKAGE_STATUS[pkg.status];
  const cancellable = pkg.status !== 'cancelled' && pkg.status !== 'completed' && mayCancelProgram(session);
  // what the cancel will refund, read when the confirmation opens (and again each time it does)
  const terms = useLoad(
    async () =>
      confirming
        ? cancelTerms(
            await ok(api.GET('/v1/packages/{packageId}/cancel-preview', { params: { path: { packageId: pkg.id } } })),
            pkg.payment === 'installments',
          )
        : undefined,
    [api, pkg.id, pkg.payment, confirming],
  );
  const cancel = async () => {
    setBusy(true);
    setError(undefined);
    setAlready(false);
    try {
      const res = await ok(api.POST('/v1/packages/{packageId}/cancel', { params: { path: { packageId: pkg.id } }, body: {} }));
      setRefund(res.refund);
      setConfirming(false);
      onChanged();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'conflict') {
        // not in a state to cancel any more: show the program and the invoice as they are now
        setConfirming(false);
        setAlready(true);
        onChanged();
      }
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="program">
      <h2 id="program">
        Program <Badge tone={status.tone}>{status.label}</Badge>
      </h2>
      <p>
        {PAYMENT_WORDS[pkg.payment]} · price {formatMoney(pkg.price)}
      </p>
      {refund && (
        <Alert kind="success" title="Program cancelled">
          {refund.amount > 0
            ? `${formatMoney(refund)} is refunded to the client's card.`
            : 'Nothing is refunded: the sessions used are worth what was paid, or more.'}{' '}
          Its future sessions were cancelled free of charge and no more installments are taken.
        </Alert>
      )}
      {pkg.status === 'cancelled' ? <p>{creditsWords(setup, pkg)}</p> : <Credits setup={setup} pkg={pkg} headingLevel={3} />}
      {cancellable && !confirming && (
        <Button kind="secondary" onClick={() => setConfirming(true)}>
          Cancel program and refund…
        </Button>
      )}
      {cancellable && confirming && (
        <div role="group" aria-labelledby="cancel-program" className="confirm">
          <h3 id="cancel-program">Cancel this program?</h3>
          <CancelTermsList pkg={pkg} terms={terms} />
          <div className="actions">
            <Button kind="danger" onClick={() => void cancel()} busy={busy} disabled={terms.data?.blocked}>
              Cancel program and refund
            </Button>
            <Button kind="secondary" onClick={() => setConfirming(false)} disabled={busy}>
              Keep the program
            </Button>
          </div>
        </div>
      )}
      <div ref={refusal} tabIndex={-1}>
        {already ? (
          <Alert kind="warning" title="The program was not cancelled">
            It was already cancelled elsewhere (on another screen, or by someone else): nothing more was cancelled or refunded. The program
            and the invoice are shown as they are now.
          </Alert>
        ) : (
          <ErrorAlert error={error} title="The program was not cancelled" />
        )}
      </div>
    </section>
  );
}

const METHOD_OPTIONS = OUTSIDE_METHODS.map((m) => ({ value: m, label: REFUND_METHOD_WORDS[m] }));

/**
 * "Money owed back to the client", while the refund job has given up on the refund: "Try the
 * refund again", and "Record a refund made another way". `onAnswer` takes the invoice a change
 * answered; `onStale` reads it again after a 409 (a colleague settled it, or the job is at it).
 * What was done stays said once nothing is owed back any more.
 */
export function OwedRefund({
  invoice,
  onAnswer,
  onStale,
}: {
  invoice: Invoice;
  onAnswer: (invoice: Invoice) => void;
  onStale: () => void;
}) {
  const { api } = useApp();
  const due = invoice.refundDue;
  const [done, setDone] = useState<{ title: string; words: string }>();
  const [retrying, setRetrying] = useState(false);
  const [retryError, setRetryError] = useState<unknown>();
  const stale = (err: unknown) => {
    if (err instanceof ApiError && err.code === 'conflict') onStale();
  };
  const {
    form,
    change,
    problem,
    submit: record,
    busy: recording,
    error: recordError,
    formRef,
  } = useMoneyForm({
    untouched: refundFormFor(due),
    check: (f: RefundForm) =>
      checkRefund(
        f,
        due,
        invoice.refunds.map((r) => r.reference),
      ),
    send: async (sent: RefundRecord, key) => {
      const after = await ok(
        api.POST('/v1/invoices/{invoiceId}/refunds', {
          params: { path: { invoiceId: invoice.id }, header: { 'Idempotency-Key': key } },
          body: sent,
        }),
      );
      setDone({ title: 'Refund recorded', words: recordedWords(sent, after.refundDue) });
      onAnswer(after);
    },
    onStart: () => {
      setRetryError(undefined);
      setDone(undefined);
    },
    onRefused: stale,
  });
  const givenUp = invoice.refundState === 'dead_lettered';
  if (!givenUp && !done && !retryError && !recordError) return null;

  const retry = async () => {
    setRetrying(true);
    setRetryError(undefined);
    setDone(undefined);
    try {
      const after = await ok(api.POST('/v1/invoices/{invoiceId}/refunds/retry', { params: { path: { invoiceId: invoice.id } }, body: {} }));
      setDone({
        title: 'The refund will be tried again',
        words: `The automatic refund tries again to give back ${formatMoney(after.refundDue)} within minutes. The invoice shows it under Refunds once it is made.`,
      });
      onAnswer(after);
    } catch (err) {
      setRetryError(err);
      stale(err);
    } finally {
      setRetrying(false);
    }
  };

  return (
    <section className="card" aria-labelledby="owed-refund">
      <h2 id="owed-refund">Money owed back to the client</h2>
      {done && (
        <Alert kind="success" title={done.title} focusKey={done}>
          {done.words}
        </Alert>
      )}
      {givenUp && (
        <>
          <p>
            <strong>{formatMoney(due)}</strong> is still owed back: the automatic refund has given up on it.
          </p>
          <p>Once the cause is fixed (the client has a new card, say), the automatic refund tries again within minutes.</p>
          <Button onClick={() => void retry()} busy={retrying} disabled={recording}>
            Try the refund again
          </Button>
        </>
      )}
      <ErrorAlert error={retryError} title="The refund was not tried again" focus />
      {givenUp && (
        <form ref={formRef} className="refund-form" onSubmit={(e) => void record(e)} noValidate aria-labelledby="record-refund">
          <h3 id="record-refund">Record a refund made another way</h3>
          <p className="hint">If the clinic gave the money back itself, record it here so that the invoice and the ledger agree.</p>
          <MoneyFields
            form={form}
            change={change}
            problem={problem}
            limit={due}
            options={METHOD_OPTIONS}
            reference={{
              label: 'Reference',
              hint: 'The cheque number, the transfer’s id or the Stripe refund id, without spaces: not a name.',
            }}
          />
          {recordError !== undefined && (
            <div data-problem tabIndex={-1} className="form-problem">
              <ErrorAlert error={recordError} title="The refund was not recorded" />
            </div>
          )}
          <Button type="submit" kind="secondary" busy={recording} disabled={retrying}>
            Record refund
          </Button>
        </form>
      )}
      {/* refused because it was settled meanwhile: the form has gone, what happened is said here */}
      {!givenUp && <ErrorAlert error={recordError} title="The refund was not recorded" focus />}
    </section>
  );
}
