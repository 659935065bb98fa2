// One invoice as the clinic's staff read it (front desk, finance, admin): its lines (a voided one
// struck through), payments, refunds with their state (a failed refund said plainly), the totals
// and balance, the receipt PDF (fetched with the bearer token as a blob, as the client's page
// does), for finance and admin a link to the client's superbill (a receipt for insurance in Canada,
// where the lines have no CPT column either), and what staff can do about the
// money (invoice-actions.tsx: take a payment; a program's package and its cancel with the refund;
// a refund the refund job gave up on, tried again or recorded as made another way;
// desk-payment.tsx: a payment taken at the clinic, recorded).
// The clinic is the invoice's own (its zone and currency); the client's name comes from one read
// of the client's record.
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Alert, Badge, ErrorAlert, Loading, PageTitle, TableWrap } from '../../components/ui.tsx';
import { clinicSetup } from '../../lib/clinic-data.ts';
import { formatDate, formatDateTime, formatMoney, localDateOf } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { PHONE, useMedia } from '../../lib/use-media.ts';
import { Link } from '../../router.tsx';
import { ReceiptButton } from '../../components/receipt-button.tsx';
import { withClinic, type StaffSession } from './common.tsx';
import { ClinicLine } from './finance-common.tsx';
import { invoiceBadge } from '../../lib/invoices.ts';
import { payableOnline } from '../../lib/payable.ts';
import { mayTakePayment, maySettleRefunds, OwedRefund, ProgramPanel, TakePayment } from './invoice-actions.tsx';
import { REFUND_METHOD_WORDS } from '../../lib/refund-rules.ts';
import { paymentMethodWords } from '../../lib/desk-payment-rules.ts';
import { DeskPayment, mayRecordDeskPayment } from './desk-payment.tsx';
import { insuranceDocument } from './superbill.tsx';
import { sessionOf, type SessionWords } from './invoice-rules.ts';
import { staffNav } from './nav.ts';
import './finance.css';

const REFUND_STATUS = {
  pending: { label: 'On its way', tone: 'warn' },
  succeeded: { label: 'Refunded', tone: 'good' },
  failed: { label: 'Failed', tone: 'bad' },
} as const;

/** "90791" or "90791 95": the code and its modifiers. */
const cptOf = (l: { cptCode: string | null; modifiers: readonly string[] }) => [l.cptCode, ...l.modifiers].join(' ');

export function StaffInvoicePage({ session, invoiceId }: { session: StaffSession; invoiceId: string }) {
  const { api } = useApp();
  const phone = useMedia(PHONE);
  const data = useLoad(async () => {
    const invoice = await ok(api.GET('/v1/invoices/{invoiceId}', { params: { path: { invoiceId } } }));
    const { packageId, appointmentId } = invoice;
    const [setup, client, pkg, appointment] = await Promise.all([
      clinicSetup(api, invoice.clinicId),
      // the name is a nicety: the invoice still shows without it
      ok(api.GET('/v1/clients/{clientId}', { params: { path: { clientId: invoice.clientId } } })).catch(() => undefined),
      packageId ? ok(api.GET('/v1/packages/{packageId}', { params: { path: { packageId } } })) : undefined,
      // which session it bills (its time and practitioner); without it, the lines say what they can
      appointmentId
        ? ok(api.GET('/v1/appointments/{appointmentId}', { params: { path: { appointmentId } } })).catch(() => undefined)
        : undefined,
    ]);
    return { invoice, setup, client, pkg, appointment };
  }, [api, invoiceId]);
  // the invoice alone, while a payment is awaited: not the client's record and the rest each time
  const readInvoice = async () => {
    const invoice = await ok(api.GET('/v1/invoices/{invoiceId}', { params: { path: { invoiceId } } }));
    data.replace((d) => ({ ...d, invoice }));
  };

  if (!data.data)
    return (
      <>
        <PageTitle title="Invoice">Invoice</PageTitle>
        {data.error ? <ErrorAlert error={data.error} title="This invoice could not load" /> : <Loading />}
        <p>
          <Link href="/staff/invoices">All invoices</Link>
        </p>
      </>
    );

  const { invoice: inv, setup, client, pkg, appointment } = data.data;
  const payable = payableOnline(inv, pkg?.status);
  const zone = setup.clinic.timezone;
  const status = invoiceBadge(inv, 'staff');
  const clinicOf = (href: string) => withClinic(href, session, inv.clinicId);
  const mayBill = session.role === 'finance' || session.role === 'admin';
  const failedRefunds = inv.refunds.filter((r) => r.status === 'failed');
  // CPT codes are the US superbill's; a Canadian clinic's receipt for insurance has none
  const us = setup.clinic.country === 'US';
  // a phone has no room for a column of its own (the date of service stays on one line): the code goes under the item
  const cptColumn = us && !phone;
  const span = cptColumn ? 3 : 2;
  const forSession = sessionOf(inv, appointment, setup);
  const seesDay = staffNav(session.role).some((n) => n.href === '/staff/day');

  return (
    <>
      <PageTitle title={`Invoice ${inv.number}`}>
        Invoice {inv.number} <Badge tone={status.tone}>{status.label}</Badge>
      </PageTitle>
      <ClinicLine setup={setup} />
      <dl className="facts card">
        <dt>Client</dt>
        <dd>
          <Link href={clinicOf(`/staff/clients/${encodeURIComponent(inv.clientId)}`)}>
            {client ? `${client.firstName} ${client.lastName}` : 'Client’s chart'}
          </Link>{' '}
          <span className="fin-id">({inv.clientId})</span>
        </dd>
        <dt>Issued</dt>
        <dd>{formatDate(localDateOf(inv.issuedAt))}</dd>
        <dt>For</dt>
        <dd>
          {forSession ? (
            <SessionFacts
              words={forSession}
              href={
                seesDay && forSession.date
                  ? clinicOf(`/staff/day?date=${forSession.date}`)
                  : clinicOf(`/staff/clients/${encodeURIComponent(inv.clientId)}`)
              }
              linkText={seesDay && forSession.date ? 'See that day' : 'The client’s appointments'}
            />
          ) : inv.packageId ? (
            `${pkg ? pkg.programName : 'A program'} (paid through its package)`
          ) : (
            'Charges below'
          )}
        </dd>
        <dt>Invoice ID</dt>
        <dd className="fin-id">{inv.id}</dd>
      </dl>

      {inv.refundState === 'dead_lettered' && (
        <Alert kind="error" title="A refund could not be made">
          {formatMoney(inv.refundDue)} is owed back to the client and the automatic refund has given up.{' '}
          {maySettleRefunds(session)
            ? 'Try it again once the cause is fixed, or record a refund made another way (below).'
            : 'Finance can try it again, or record a refund made another way (by hand in Stripe, a bank transfer, a cheque).'}
        </Alert>
      )}
      {inv.refundState === 'retrying' && (
        <Alert kind="warning" title="A refund failed and is being made again">
          {formatMoney(inv.refundDue)} is still owed back to the client; the refund is tried again automatically.
        </Alert>
      )}
      {inv.refundState === 'scheduled' && (
        <Alert kind="info" title="A refund is scheduled">
          {formatMoney(inv.refundDue)} will be refunded to the client shortly.
        </Alert>
      )}
      {failedRefunds.length > 0 && inv.refundState !== 'dead_lettered' && inv.refundState !== 'retrying' && (
        <Alert kind="warning" title={failedRefunds.length === 1 ? 'A refund failed' : 'Refunds failed'}>
          The card processor gave nothing back for the failed refund{failedRefunds.length === 1 ? '' : 's'} listed below; it is not counted
          as refunded.
        </Alert>
      )}

      <section className="card" aria-labelledby="lines">
        <h2 id="lines">Lines</h2>
        <TableWrap label="Invoice lines">
          {/* invoice-lines: the client's invoice's tighter cells on a phone (styles.css) */}
          <table className="fin-table invoice-lines">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Date of service</th>
                {cptColumn && <th scope="col">CPT</th>}
                <th scope="col" className="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {inv.lines.map((l) => (
                <tr key={l.id} className={l.voided ? 'voided' : undefined}>
                  <th scope="row">
                    {l.voided ? <s>{l.description}</s> : l.description}
                    {l.voided && <span className="row-detail">Voided: not charged</span>}
                    {!l.billable && !l.voided && <span className="row-detail">Not billable to insurance</span>}
                    {us && !cptColumn && l.cptCode && <span className="row-detail">CPT {cptOf(l)}</span>}
                  </th>
                  <td className="nowrap">{l.serviceDate ? formatDate(l.serviceDate) : '—'}</td>
                  {cptColumn && <td>{l.cptCode ? cptOf(l) : '—'}</td>}
                  <td className="num">{l.voided ? <s>{formatMoney(l.amount)}</s> : formatMoney(l.amount)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={span}>
                  Total
                </th>
                <td className="num">{formatMoney(inv.total)}</td>
              </tr>
              <tr>
                <th scope="row" colSpan={span}>
                  Paid
                </th>
                <td className="num">{formatMoney(inv.paid)}</td>
              </tr>
              <tr>
                <th scope="row" colSpan={span}>
                  Refunded
                </th>
                <td className="num">{formatMoney(inv.refunded)}</td>
              </tr>
              <tr className="balance">
                <th scope="row" colSpan={span}>
                  {inv.balance.amount < 0 ? 'Owed back to the client' : 'Balance due'}
                </th>
                <td className="num">{formatMoney({ ...inv.balance, amount: Math.abs(inv.balance.amount) })}</td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
      </section>

      {maySettleRefunds(session) && (
        <OwedRefund invoice={inv} onAnswer={(invoice) => data.replace((d) => ({ ...d, invoice }))} onStale={() => void data.reload()} />
      )}
      {mayTakePayment(session) && <TakePayment invoice={inv} payable={payable} onCheck={readInvoice} />}
      {mayRecordDeskPayment(session) && (
        <DeskPayment
          invoice={inv}
          payable={payable}
          onAnswer={(invoice) => data.replace((d) => ({ ...d, invoice }))}
          onStale={() => void data.reload()}
        />
      )}
      {pkg && <ProgramPanel session={session} setup={setup} pkg={pkg} onChanged={() => void data.reload()} />}

      <section className="card" aria-labelledby="payments">
        <h2 id="payments">Payments</h2>
        {inv.payments.length === 0 ? (
          <p className="muted">No payment received yet.</p>
        ) : (
          <TableWrap label="Payments received">
            <table className="fin-table">
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">Method</th>
                  <th scope="col">Reference</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {inv.payments.map((p) => (
                  <tr key={p.reference}>
                    <th scope="row">{formatDateTime(p.at, zone)}</th>
                    <td>{paymentMethodWords(p.method)}</td>
                    <td className="fin-id">{p.reference}</td>
                    <td className="num">{formatMoney(p.amount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>

      {inv.refunds.length > 0 && (
        <section className="card" aria-labelledby="refunds">
          <h2 id="refunds">Refunds</h2>
          <TableWrap label="Refunds made">
            <table className="fin-table">
              <thead>
                <tr>
                  <th scope="col">Made</th>
                  <th scope="col">How</th>
                  <th scope="col">Status</th>
                  <th scope="col">Reference</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {inv.refunds.map((r) => {
                  const st = REFUND_STATUS[r.status];
                  return (
                    <tr key={r.reference}>
                      <th scope="row">{formatDateTime(r.at, zone)}</th>
                      <td>{REFUND_METHOD_WORDS[r.method]}</td>
                      <td>
                        <Badge tone={st.tone}>{st.label}</Badge>
                        {r.status === 'failed' && <span className="row-detail">Nothing was given back; it is made again.</span>}
                      </td>
                      <td className="fin-id">{r.reference}</td>
                      <td className="num">{formatMoney(r.amount)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableWrap>
        </section>
      )}

      <div className="actions">
        {inv.paid.amount > 0 ? (
          <ReceiptButton invoiceId={inv.id} number={inv.number} />
        ) : (
          <p className="muted">A receipt can be downloaded once a payment is received.</p>
        )}
        {mayBill && (
          <Link className="btn btn-secondary" href={clinicOf(`/staff/clients/${encodeURIComponent(inv.clientId)}/superbill`)}>
            Client’s {insuranceDocument(setup).toLowerCase()}
          </Link>
        )}
      </div>
      <p className="fin-back">
        <Link href={clinicOf('/staff/invoices')}>All invoices</Link>
      </p>
    </>
  );
}

/** The session an invoice bills: "Intake assessment on Thu, Dec 3, 2026, 10:00 AM with Avery Stone (cancelled late)", and where to see it. */
function SessionFacts({ words, href, linkText }: { words: SessionWords; href: string; linkText: string }) {
  return (
    <>
      <strong>{words.service}</strong>
      {words.when && ` on ${words.when}`}
      {words.practitioner && ` with ${words.practitioner}`}
      {words.outcome && ` (${words.outcome})`} · <Link href={href}>{linkText}</Link>
    </>
  );
}
