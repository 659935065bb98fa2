// The fields money moved outside Stripe is recorded with, on the staff invoice page: a payment taken
// at the clinic (desk-payment.tsx) and a refund made another way (invoice-actions.tsx). The amount
// (at most `limit`), how (`options`, "Choose one" first: a wrong default would go unnoticed) and the
// reference, each with its problem from the page's checks or the API's 400.
import { Field, Select } from '../../components/ui.tsx';
import { formatMoney, type Money } from '../../lib/format.ts';
import { currencyWords } from '../../lib/money.ts';

export interface MoneyForm {
  amount: string;
  method: string;
  reference: string;
}

export function MoneyFields<F extends MoneyForm>({
  form,
  change,
  problem,
  limit,
  options,
  reference,
}: {
  form: F;
  change: <K extends keyof MoneyForm>(k: K, value: F[K]) => void;
  problem: (path: keyof MoneyForm) => string | undefined;
  limit: Money;
  options: ReadonlyArray<{ value: string; label: string }>;
  reference: { label: string; hint: string };
}) {
  return (
    <>
      <Field
        label="Amount"
        hint={`In ${currencyWords(limit.currency)}, at most ${formatMoney(limit)}.`}
        inputMode="decimal"
        autoComplete="off"
        value={form.amount}
        onChange={(e) => change('amount', e.target.value)}
        error={problem('amount')}
      />
      <Select
        label="How"
        value={form.method}
        onChange={(v) => change('method', v as F['method'])}
        options={[{ value: '', label: 'Choose one' }, ...options]}
        error={problem('method')}
      />
      <Field
        label={reference.label}
        hint={reference.hint}
        autoComplete="off"
        value={form.reference}
        onChange={(e) => change('reference', e.target.value)}
        error={problem('reference')}
      />
    </>
  );
}
