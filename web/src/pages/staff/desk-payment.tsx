// "Record a payment taken at the clinic" on the staff invoice page (front desk, finance, admin):
// cash, the clinic's card terminal, a cheque or a transfer, for a session's invoice with a balance
// (POST /v1/invoices/{id}/payments; the checks before sending are lib/desk-payment-rules.ts). The
// page then shows the invoice the API answered. A program's invoice is paid through its package,
// so the form is offered there only once the program is cancelled (what it still owes).
import { useState } from 'react';
import { ApiError, ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Alert, Button, ErrorAlert } from '../../components/ui.tsx';
import type { Invoice } from '../../lib/clinic-data.ts';
import { formatMoney } from '../../lib/format.ts';
import {
  checkDeskPayment,
  deskPaidWords,
  DESK_METHOD_WORDS,
  DESK_METHODS,
  deskPaymentFormFor,
  type DeskPaymentForm,
  type DeskPaymentRecord,
} from '../../lib/desk-payment-rules.ts';
import type { StaffSession } from './common.tsx';
import { MoneyFields } from './money-fields.tsx';
import { useMoneyForm } from './use-money-form.ts';

/** Who may record a payment taken at the clinic (the API's grants). */
export const mayRecordDeskPayment = (s: StaffSession) => s.role === 'frontdesk' || s.role === 'finance' || s.role === 'admin';

const METHOD_OPTIONS = DESK_METHODS.map((m) => ({ value: m, label: DESK_METHOD_WORDS[m] }));

/**
 * The form, while the invoice is payable (lib/payable.ts); what was recorded stays said
 * once nothing is due. `onAnswer` takes the invoice the API answered; `onStale` reads it again
 * after a 409 (paid meanwhile, online or at another desk).
 */
export function DeskPayment({
  invoice,
  payable,
  onAnswer,
  onStale,
}: {
  invoice: Invoice;
  /** A balance due, and not a program's invoice while its package pays it (lib/payable.ts). */
  payable: boolean;
  onAnswer: (invoice: Invoice) => void;
  onStale: () => void;
}) {
  const { api } = useApp();
  const balance = invoice.balance;
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string>();
  const { form, change, problem, submit, busy, error, formRef } = useMoneyForm({
    untouched: deskPaymentFormFor(balance),
    check: (f: DeskPaymentForm) =>
      checkDeskPayment(
        f,
        balance,
        invoice.payments.map((p) => p.reference),
      ),
    send: async (sent: DeskPaymentRecord, key) => {
      const after = await ok(
        api.POST('/v1/invoices/{invoiceId}/payments', {
          params: { path: { invoiceId: invoice.id }, header: { 'Idempotency-Key': key } },
          body: sent,
        }),
      );
      // the reference the API made for cash is the newest payment's
      const reference = sent.reference ?? after.payments.at(-1)?.reference ?? '';
      setDone(deskPaidWords({ ...sent, reference }, after.balance));
      setOpen(false);
      onAnswer(after);
    },
    onStart: () => setDone(undefined),
    onRefused: (err) => {
      if (err instanceof ApiError && err.code === 'conflict') onStale();
    },
  });
  const due = payable;
  if (!due && !done) return null;

  return (
    <section className="card" aria-labelledby="desk-payment">
      <h2 id="desk-payment">Payment at the clinic</h2>
      {done && (
        <Alert kind="success" title="Payment recorded" focusKey={done}>
          {done}
        </Alert>
      )}
      {due && !open && (
        <>
          <p>If the client paid {formatMoney(balance)} or part of it here (cash, the card terminal, a cheque or a transfer), record it.</p>
          <Button kind="secondary" onClick={() => setOpen(true)}>
            Record a payment…
          </Button>
        </>
      )}
      {due && open && (
        <form ref={formRef} className="refund-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="record-desk-payment">
          <h3 id="record-desk-payment">Record a payment taken at the clinic</h3>
          <MoneyFields
            form={form}
            change={change}
            problem={problem}
            limit={balance}
            options={METHOD_OPTIONS}
            reference={
              form.method === 'cash'
                ? { label: 'Reference (optional)', hint: 'Your receipt number, if you gave one; left empty, the invoice makes one.' }
                : {
                    label: 'Reference',
                    hint: 'The cheque number, the terminal slip’s number or the transfer’s id, without spaces: not a name.',
                  }
            }
          />
          {error !== undefined && (
            <div data-problem tabIndex={-1} className="form-problem">
              <ErrorAlert error={error} title="The payment was not recorded" />
            </div>
          )}
          <div className="actions">
            <Button type="submit" busy={busy}>
              Record payment
            </Button>
            <Button kind="secondary" onClick={() => setOpen(false)} disabled={busy}>
              Not now
            </Button>
          </div>
        </form>
      )}
      {/* refused because it was paid meanwhile: the form has gone, what happened is said here */}
      {!due && <ErrorAlert error={error} title="The payment was not recorded" focus />}
    </section>
  );
}
