// "Record a payment taken at the clinic" on the staff invoice page (front desk, finance, admin):
// cash, the clinic's card terminal, a cheque or a transfer, for a session's invoice with a balance
// (POST /v1/invoices/{id}/payments; the checks before sending are lib/desk-payment-rules.ts). The
// page then shows the invoice the API answered. A program's invoice is paid through its package,
// so the form is not offered there.
import { useState, type FormEvent } from 'react';
import { ApiError, idempotencyKey, ok } from '../../api/client.ts';
import { fieldError } from '../../api/errors.ts';
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
} from '../../lib/desk-payment-rules.ts';
import type { StaffSession } from './common.tsx';
import { useFocusOnRefusal } from './form-focus.ts';
import { MoneyFields } from './money-fields.tsx';

/** Who may record a payment taken at the clinic (the API's grants). */
export const mayRecordDeskPayment = (s: StaffSession) => s.role === 'frontdesk' || s.role === 'finance' || s.role === 'admin';

const METHOD_OPTIONS = DESK_METHODS.map((m) => ({ value: m, label: DESK_METHOD_WORDS[m] }));

/**
 * The form, while the invoice has a balance and is not a program's; what was recorded stays said
 * once nothing is due. `onAnswer` takes the invoice the API answered; `onStale` reads it again
 * after a 409 (paid meanwhile, online or at another desk).
 */
export function DeskPayment({
  invoice,
  onAnswer,
  onStale,
}: {
  invoice: Invoice;
  onAnswer: (invoice: Invoice) => void;
  onStale: () => void;
}) {
  const { api } = useApp();
  const balance = invoice.balance;
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string>();
  // untouched, the form offers the balance as the invoice says it now
  const [typed, setTyped] = useState<DeskPaymentForm>();
  const form = typed ?? deskPaymentFormFor(balance);
  const [problems, setProblems] = useState<Partial<Record<keyof DeskPaymentForm, string>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  // one key per version of the form: a second click, or the same payment sent again after a
  // failure, is recorded once; a changed form is a new payment
  const [key, setKey] = useState(idempotencyKey);
  const focus = useFocusOnRefusal<HTMLFormElement>();
  const due = balance.amount > 0 && !invoice.packageId;
  if (!due && !done) return null;

  const change = <K extends keyof DeskPaymentForm>(k: K, value: DeskPaymentForm[K]) => {
    setTyped({ ...form, [k]: value });
    setProblems((p) => ({ ...p, [k]: undefined }));
    setKey(idempotencyKey());
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setError(undefined);
    setDone(undefined);
    const checked = checkDeskPayment(
      form,
      balance,
      invoice.payments.map((p) => p.reference),
    );
    setProblems(checked.problems);
    if (!checked.record) return focus.refused();
    const sent = checked.record;
    setBusy(true);
    try {
      const after = await ok(
        api.POST('/v1/invoices/{invoiceId}/payments', {
          params: { path: { invoiceId: invoice.id }, header: { 'Idempotency-Key': key } },
          body: sent,
        }),
      );
      // the reference the API made for cash is the newest payment's
      const reference = sent.reference ?? after.payments.at(-1)?.reference ?? '';
      setDone(deskPaidWords({ ...sent, reference }, after.balance));
      setTyped(undefined);
      setOpen(false);
      setKey(idempotencyKey());
      onAnswer(after);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === 'conflict') onStale();
      focus.refused();
    } finally {
      setBusy(false);
    }
  };

  const problem = (path: keyof DeskPaymentForm) => problems[path] ?? fieldError(error, path);
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
        <form ref={focus.ref} className="refund-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="record-desk-payment">
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
