// Buy a program: pay in full (card; HSA/FSA cards are cards), pay later through a pay-later
// service at checkout, or the clinic's own installment plan with its schedule shown BEFORE paying.
// The preview is worked out from the clinic's policy (lib/installments.ts, the API's arithmetic);
// POST /v1/packages then answers with the plan the API made, and if that differs from what the
// person saw (a purchase across midnight moves the dates) the new plan is shown and confirmed
// again before the browser goes to Checkout. The package turns active only from the webhook: the
// return page (/packages/{id}?checkout=done) waits for it.
import { useState } from 'react';
import type { ClientSession } from '../app.tsx';
import { useApp } from '../app-context.tsx';
import { ApiError, idempotencyKey, ok } from '../api/client.ts';
import { Alert, Button, ErrorAlert, Loading, PageError, PageTitle, Select } from '../components/ui.tsx';
import { PlanTable, type PlanRow } from '../components/plan-table.tsx';
import { clientRecord } from '../lib/client-data.ts';
import { clinicSetup, type ClinicSetup, type Package, type Program } from '../lib/clinic-data.ts';
import { formatMoney, todayIn, type Money } from '../lib/format.ts';
import { installmentChoices, previewPlan, samePlan, type PlanPreview } from '../lib/installments.ts';
import { useLoad } from '../lib/use-load.ts';
import { Link } from '../router.tsx';
import { ProgramIncludes } from './clinic.tsx';

type Payment = Package['payment'];

export function BuyPage({ session, clinicId, programId }: { session: ClientSession; clinicId: string; programId: string }) {
  const { api } = useApp();
  const data = useLoad(async () => {
    const [client, setup] = await Promise.all([clientRecord(api, session.clientId), clinicSetup(api, clinicId)]);
    return { client, setup };
  }, [api, session.clientId, clinicId]);
  if (data.error) return <PageError title="This program could not load" error={data.error} />;
  if (!data.data) return <Loading />;
  const { client, setup } = data.data;
  const program = setup.programs.find((p) => p.id === programId && !p.retired);
  if (!program)
    return (
      <>
        <PageTitle title="Program not offered">This program is not offered</PageTitle>
        <p>
          The clinic may have changed its programs. <Link href={`/clinics/${encodeURIComponent(clinicId)}`}>See its programs</Link>
        </p>
      </>
    );
  if (client.clinicId !== clinicId)
    return (
      <>
        <PageTitle title="Buy a program">{program.name}</PageTitle>
        <Alert kind="info">
          You are a client of another clinic. Programs are bought from your own clinic:{' '}
          <Link href={`/clinics/${encodeURIComponent(client.clinicId)}`}>see its programs</Link>.
        </Alert>
      </>
    );
  return (
    <Purchase
      clientId={session.clientId}
      setup={setup}
      program={program}
      back={{ href: `/clinics/${encodeURIComponent(clinicId)}`, label: 'Back to the clinic' }}
      onCheckout={(url) => window.location.assign(url)}
    />
  );
}

interface Changed {
  plan: NonNullable<Package['schedule']>;
  checkoutUrl: string;
  packageId: string;
  invoiceId: string | null;
}

/**
 * The purchase of `program` for `clientId`: the way to pay, the plan, and POST /v1/packages.
 * `onCheckout` gets the Checkout page: the client's own app goes there; the front desk's shows it
 * as a link for the client (`forStaff`, which also words the page for the person at the desk).
 */
export function Purchase({
  clientId,
  setup,
  program,
  back,
  onCheckout,
  forStaff = false,
}: {
  clientId: string;
  setup: ClinicSetup;
  program: Program;
  back: { href: string; label: string };
  onCheckout: (checkoutUrl: string, result: { packageId: string; invoiceId: string | null }) => void;
  forStaff?: boolean;
}) {
  const { api } = useApp();
  const { clinic } = setup;
  const price = program.price;
  const choices = installmentChoices(clinic.policy.installments, price);
  const [payment, setPayment] = useState<Payment>('pay_in_full');
  const [count, setCount] = useState(choices.counts[0] ?? 1);
  const [percent, setPercent] = useState(choices.downPaymentPercents[0] ?? 0);
  const [bnplRefused, setBnplRefused] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [changed, setChanged] = useState<Changed>();
  // one key per choice: a second click on the same choice is the same purchase
  const [key, setKey] = useState(idempotencyKey);
  const choose = (update: () => void) => {
    update();
    setKey(idempotencyKey());
    setChanged(undefined);
  };

  const preview =
    payment === 'installments' && choices.offered ? previewPlan(price.amount, percent, count, todayIn(clinic.timezone)) : undefined;
  const dueToday: Money = { ...price, amount: preview ? preview.downPayment : price.amount };

  const buy = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await ok(
        api.POST('/v1/packages', {
          headers: { 'idempotency-key': key },
          body: {
            clientId,
            programId: program.id,
            payment,
            ...(payment === 'installments' ? { installments: { count, downPaymentPercent: percent } } : {}),
          },
        }),
      );
      const plan = result.package.schedule;
      if (preview && plan && !samePlan(preview, plan)) {
        setChanged({ plan, checkoutUrl: result.checkoutUrl, packageId: result.package.id, invoiceId: result.package.invoiceId ?? null });
        setBusy(false);
        return;
      }
      onCheckout(result.checkoutUrl, { packageId: result.package.id, invoiceId: result.package.invoiceId ?? null });
      if (forStaff) setBusy(false);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.rule === 'bnpl_unavailable') {
        setBnplRefused(true);
        setPayment('pay_in_full');
      }
      setBusy(false);
    }
  };

  const option = (value: Payment, title: string, detail: string, disabled = false) => (
    <div className={`choice${disabled ? ' disabled' : ''}`}>
      <input
        type="radio"
        id={`pay-${value}`}
        name="payment"
        value={value}
        checked={payment === value}
        disabled={disabled}
        aria-describedby={`pay-${value}-hint`}
        onChange={() => choose(() => setPayment(value))}
      />
      <label htmlFor={`pay-${value}`}>{title}</label>
      <p className="hint" id={`pay-${value}-hint`}>
        {detail}
      </p>
    </div>
  );

  return (
    <>
      {!forStaff && <PageTitle title="Buy a program">{program.name}</PageTitle>}
      <p className="lead">
        {forStaff && <strong>{program.name} · </strong>}
        {clinic.name} · {formatMoney(price)} · {program.tier === 'extra_support' ? 'extra support' : 'standard support'}
      </p>
      <section className="card" aria-labelledby="included">
        <h2 id="included">What is included</h2>
        <ProgramIncludes program={program} />
        <p className="muted">
          {forStaff
            ? 'Each session is booked when it suits the client, and uses one credit of the program.'
            : 'Each session is booked when it suits you, and uses one credit of the program.'}
        </p>
      </section>

      <fieldset className="choices">
        <legend>{forStaff ? 'How will the client pay?' : 'How would you like to pay?'}</legend>
        {option('pay_in_full', `Pay in full: ${formatMoney(price)}`, 'By card today. HSA and FSA cards are cards too.')}
        {option(
          'bnpl',
          'Pay later',
          bnplRefused
            ? 'Not offered for this clinic’s country and currency.'
            : `Through a pay-later service (such as Affirm or Klarna) at checkout, if it approves ${forStaff ? 'the client' : 'you'}. It sets its own terms; the clinic is paid in full.`,
          bnplRefused,
        )}
        {option(
          'installments',
          'Installments with the clinic, 0 % interest',
          choices.offered
            ? `A down payment today, then ${orList(choices.counts)} monthly payments on the same card. ${forStaff ? 'The client pays' : 'You pay'} the program’s price, nothing more.`
            : (choices.reason ?? 'Not offered for this program.'),
          !choices.offered,
        )}
      </fieldset>

      {preview && (
        <section className="card" aria-labelledby="plan">
          <h2 id="plan">{forStaff ? 'The payment plan' : 'Your payment plan'}</h2>
          <div className="grid-2 tight">
            <Select
              label="Monthly payments"
              value={String(count)}
              onChange={(v) => choose(() => setCount(Number(v)))}
              options={choices.counts.map((c) => ({ value: String(c), label: `${c} monthly payments` }))}
            />
            <Select
              label="Down payment today"
              value={String(percent)}
              onChange={(v) => choose(() => setPercent(Number(v)))}
              options={choices.downPaymentPercents.map((p) => ({
                value: String(p),
                label: `${p} % · ${formatMoney({ ...price, amount: previewPlan(price.amount, p, count, todayIn(clinic.timezone)).downPayment })}`,
              }))}
            />
          </div>
          <PlanTable label="Payment schedule" rows={planRows(preview, price)} total={price} />
          <p className="muted">
            The monthly payments are charged automatically, on the dates shown, to the card {forStaff ? 'the client pays' : 'you pay'} the
            down payment with. If one fails, dosing sessions wait until it is settled.
          </p>
        </section>
      )}

      {changed ? (
        <section className="card" aria-labelledby="changed">
          <Alert kind="warning" title="Your plan was updated">
            The dates moved since this page opened (the date changed at the clinic). This is the plan you will pay:
          </Alert>
          <h2 id="changed" className="visually-hidden">
            Updated payment plan
          </h2>
          <PlanTable label="Updated payment schedule" rows={apiPlanRows(changed.plan)} total={price} />
          <div className="actions">
            <Button onClick={() => onCheckout(changed.checkoutUrl, { packageId: changed.packageId, invoiceId: changed.invoiceId })}>
              Continue to payment
            </Button>
          </div>
        </section>
      ) : (
        <div className="card confirm">
          <p>
            Due today: <strong>{formatMoney(dueToday)}</strong>
            {payment === 'bnpl' && ' (or as the pay-later service arranges)'}
          </p>
          <ErrorAlert error={error} title="The purchase could not start" />
          <div className="actions">
            <Button onClick={() => void buy()} busy={busy}>
              Continue to payment
            </Button>
            <Link className="btn btn-link" href={back.href}>
              {back.label}
            </Link>
          </div>
          <p className="hint">
            {forStaff
              ? 'The client pays on a secure payment page, which you can open here or send them. The program starts as soon as the payment is confirmed; nothing is charged if they leave it.'
              : 'You pay on a secure payment page. Your program starts as soon as the payment is confirmed; nothing is charged if you leave it.'}
          </p>
        </div>
      )}
    </>
  );
}

function planRows(plan: PlanPreview, price: Money): PlanRow[] {
  return [
    { key: 'down', when: { words: 'Today' }, what: 'Down payment', amount: { ...price, amount: plan.downPayment } },
    ...plan.installments.map((i) => ({
      key: `n${i.n}`,
      when: { date: i.dueDate },
      what: `Payment ${i.n} of ${plan.installments.length}`,
      amount: { ...price, amount: i.amount },
    })),
  ];
}

const apiPlanRows = (plan: NonNullable<Package['schedule']>): PlanRow[] =>
  planRows(
    { downPayment: plan.downPayment.amount, installments: plan.installments.map((i) => ({ ...i, amount: i.amount.amount })) },
    plan.downPayment,
  );

/** [3, 6, 12] → "3, 6 or 12" */
const orList = (items: number[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`);
