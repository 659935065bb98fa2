// The clinic's name, the name its text messages use, and its policy (PATCH /v1/clinics/{id} with
// `name`, `smsName` and `policy`). Only the fields
// the admin changed are sent: another admin's change to another field meanwhile is kept. Hours,
// days and minutes are whole numbers; money is typed as "100.00" in the clinic's currency and sent
// as integer minor units; wall-clock times are the clinic's own. The browser checks the shape of
// each value, the API its range and rules (its 400 field errors show under each field).
import { useEffect, useState, type FormEvent } from 'react';
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Alert, Button, Checkbox, Field, Select } from '../../components/ui.tsx';
import type { Clinic } from '../../lib/clinic-data.ts';
import { formatMoney, zoneLabel } from '../../lib/format.ts';
import {
  currencyWords,
  FormProblem,
  moneyProblem,
  moneyText,
  parseMoney,
  parseWhole,
  parseWholeList,
  useSettingsForm,
  useUnsaved,
  WHOLE,
  type LocalErrors,
} from './settings-common.tsx';

type Policy = Clinic['policy'];
type PolicyPatch = Partial<Omit<Policy, 'slotStepMinutes'>> & { slotStepMinutes?: 15 | 30 | 60 };

const WHOLE_FIELDS = [
  'cancellationWindowHours',
  'minimumNoticeHours',
  'bookingWindowDays',
  'explorationSpacingHours',
  'integrationWithinDays',
  'requiredPreparationSessions',
  'checkInLeadMinutes',
] as const;
type WholeField = (typeof WHOLE_FIELDS)[number];

type Form = Record<WholeField, string> & {
  name: string;
  smsName: string;
  slotStepMinutes: string;
  reminderOffsetsHours: string;
  quietStart: string;
  quietEnd: string;
  fee: string;
  forfeits: boolean;
  installmentsMinimumTotal: string;
  installmentsCounts: string;
  installmentsMinimumDown: string;
};

function formOf(clinic: Clinic): Form {
  const p = clinic.policy;
  return {
    name: clinic.name,
    smsName: clinic.smsName ?? '',
    cancellationWindowHours: String(p.cancellationWindowHours),
    minimumNoticeHours: String(p.minimumNoticeHours),
    bookingWindowDays: String(p.bookingWindowDays),
    explorationSpacingHours: String(p.explorationSpacingHours),
    integrationWithinDays: String(p.integrationWithinDays),
    requiredPreparationSessions: String(p.requiredPreparationSessions),
    checkInLeadMinutes: String(p.checkInLeadMinutes),
    slotStepMinutes: String(p.slotStepMinutes),
    reminderOffsetsHours: p.reminderOffsetsHours.join(', '),
    quietStart: p.quietHours.start,
    quietEnd: p.quietHours.end,
    fee: moneyText(p.lateCancellationFee.amount),
    forfeits: p.lateCancellationForfeitsCredit,
    installmentsMinimumTotal: moneyText(p.installments.minimumTotal),
    installmentsCounts: p.installments.allowedCounts.join(', '),
    installmentsMinimumDown: String(p.installments.minimumDownPaymentPercent),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The changed fields as the API's PATCH body, or the problems the browser found first. */
function toPatch(form: Form, clinic: Clinic): { name?: string; smsName?: string | null; policy: PolicyPatch; errors: LocalErrors } {
  const p = clinic.policy;
  const errors: LocalErrors = {};
  const policy: PolicyPatch = {};
  for (const f of WHOLE_FIELDS) {
    const n = parseWhole(form[f]);
    if (n === undefined) errors[`policy.${f}`] = WHOLE;
    else if (n !== p[f]) policy[f] = n;
  }
  const step = Number(form.slotStepMinutes);
  if ((step === 15 || step === 30 || step === 60) && step !== p.slotStepMinutes) policy.slotStepMinutes = step;

  const offsets = parseWholeList(form.reminderOffsetsHours);
  if (!offsets) errors['policy.reminderOffsetsHours'] = 'Enter whole numbers of hours separated by commas, e.g. 48, 2.';
  else if (!same(offsets, p.reminderOffsetsHours)) policy.reminderOffsetsHours = offsets;

  if (!/^\d{2}:\d{2}$/.test(form.quietStart)) errors['policy.quietHours.start'] = 'Enter a time, e.g. 9:00 PM.';
  if (!/^\d{2}:\d{2}$/.test(form.quietEnd)) errors['policy.quietHours.end'] = 'Enter a time, e.g. 8:00 AM.';
  const quiet = { start: form.quietStart, end: form.quietEnd };
  if (!same(quiet, p.quietHours)) policy.quietHours = quiet;

  const fee = parseMoney(form.fee);
  if (fee === undefined) errors['policy.lateCancellationFee'] = moneyProblem(clinic.currency);
  else if (fee !== p.lateCancellationFee.amount) policy.lateCancellationFee = { amount: fee, currency: clinic.currency };
  if (form.forfeits !== p.lateCancellationForfeitsCredit) policy.lateCancellationForfeitsCredit = form.forfeits;

  const minimumTotal = parseMoney(form.installmentsMinimumTotal);
  const allowedCounts = parseWholeList(form.installmentsCounts);
  const minimumDownPaymentPercent = parseWhole(form.installmentsMinimumDown);
  if (minimumTotal === undefined) errors['policy.installments.minimumTotal'] = moneyProblem(clinic.currency);
  if (!allowedCounts || allowedCounts.length === 0)
    errors['policy.installments.allowedCounts'] = 'Enter one or more numbers of monthly payments separated by commas, e.g. 3, 6, 12.';
  if (minimumDownPaymentPercent === undefined)
    errors['policy.installments.minimumDownPaymentPercent'] = 'Enter a whole percentage, e.g. 20.';
  if (minimumTotal !== undefined && allowedCounts && allowedCounts.length > 0 && minimumDownPaymentPercent !== undefined) {
    const installments = { minimumTotal, allowedCounts, minimumDownPaymentPercent };
    if (!same(installments, p.installments)) policy.installments = installments;
  }

  const name = form.name.trim();
  if (name === '') errors.name = 'Enter the clinic’s name.';
  // empty: texts use the clinic's name again (null removes the SMS name)
  // counted as the API counts it: after NFC (an accent typed as two code points is one)
  const smsName = form.smsName.normalize('NFC').trim();
  if (smsName.length > SMS_NAME_MAX) errors.smsName = `At most ${SMS_NAME_MAX} characters.`;
  const smsNameChange = smsName === (clinic.smsName ?? '') ? {} : { smsName: smsName === '' ? null : smsName };
  return { ...(name !== '' && name !== clinic.name ? { name } : {}), ...smsNameChange, policy, errors };
}

/** The longest SMS name the API takes. */
const SMS_NAME_MAX = 40;

/** Where each field's problems go, and what the alert calls it. */
const LABELS: Record<string, string> = {
  name: 'Clinic name',
  smsName: 'Name in text messages',
  'policy.minimumNoticeHours': 'Minimum notice (hours)',
  'policy.bookingWindowDays': 'Booking window (days)',
  'policy.slotStepMinutes': 'Start times every',
  'policy.explorationSpacingHours': 'Time between dosing sessions (hours)',
  'policy.requiredPreparationSessions': 'Preparation sessions needed before the first dosing session',
  'policy.integrationWithinDays': 'Integration session within (days)',
  'policy.checkInLeadMinutes': 'Check-in opens (minutes before)',
  'policy.cancellationWindowHours': 'Free cancellation until (hours before)',
  'policy.lateCancellationFee': 'Late cancellation fee',
  'policy.lateCancellationForfeitsCredit': 'A late cancellation uses up the program credit',
  'policy.reminderOffsetsHours': 'Reminders (hours before the session)',
  'policy.quietHours.start': 'Quiet hours begin',
  'policy.quietHours.end': 'Quiet hours end',
  'policy.installments.minimumTotal': 'Installments from',
  'policy.installments.allowedCounts': 'Numbers of monthly payments offered',
  'policy.installments.minimumDownPaymentPercent': 'Minimum down payment (%)',
};

export function PolicySection({ clinic, onSaved }: { clinic: Clinic; onSaved: () => void }) {
  const { api } = useApp();
  const [form, setForm] = useState(() => formOf(clinic));
  const sending = useSettingsForm(clinic.id);
  const [note, setNote] = useState<'saved' | 'unchanged'>();
  useEffect(() => setForm(formOf(clinic)), [clinic]);
  useUnsaved('policy', !same(form, formOf(clinic)));

  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setNote(undefined);
    setForm((f) => ({ ...f, [k]: v }));
  };
  type TextField = Exclude<keyof Form, 'forfeits'>;
  const text = (k: TextField) => (e: { target: { value: string } }) => set(k, e.target.value);
  const { err } = sending;

  const submit = (e: FormEvent) =>
    sending.submit(
      e,
      () => {
        setNote(undefined);
        const { name, smsName, policy, errors: problems } = toPatch(form, clinic);
        if (Object.keys(problems).length > 0) return { problems };
        if (name === undefined && smsName === undefined && Object.keys(policy).length === 0) {
          setNote('unchanged');
          return { problems };
        }
        return {
          problems,
          send: () =>
            ok(
              api.PATCH('/v1/clinics/{clinicId}', {
                params: { path: { clinicId: clinic.id } },
                body: {
                  ...(name !== undefined ? { name } : {}),
                  ...(smsName !== undefined ? { smsName } : {}),
                  ...(Object.keys(policy).length > 0 ? { policy } : {}),
                },
              }),
            ),
        };
      },
      () => {
        setNote('saved');
        onSaved();
      },
    );

  const whole = (f: WholeField, hint?: string) => (
    <Field
      label={LABELS[`policy.${f}`] ?? f}
      hint={hint}
      inputMode="numeric"
      autoComplete="off"
      value={form[f]}
      onChange={text(f)}
      error={err(`policy.${f}`)}
    />
  );
  const zone = zoneLabel(clinic.timezone);
  const money = currencyWords(clinic.currency);

  return (
    <form className="card form settings-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="policy-title">
      <h2 id="policy-title">Name and policy</h2>
      {note === 'saved' && <Alert kind="success">The policy was saved.</Alert>}
      {note === 'unchanged' && <Alert kind="info">Nothing to save: no field was changed.</Alert>}
      <FormProblem error={sending.error} local={sending.local} title="The policy was not saved" labels={LABELS} />

      <Field label="Clinic name" autoComplete="organization" value={form.name} onChange={text('name')} error={err('name')} />
      <Field
        label="Name in text messages"
        hint={`Optional, at most ${SMS_NAME_MAX} characters. Reminders and confirmations name the clinic but never a treatment: a clinic name that names one is sent as “Your clinic” unless a name is set here. Empty: the clinic’s name.`}
        autoComplete="off"
        value={form.smsName}
        onChange={text('smsName')}
        error={err('smsName')}
      />

      <fieldset>
        <legend>Booking</legend>
        <div className="grid-2 tight">
          {whole('minimumNoticeHours', 'How long before a session a client may still book it online.')}
          {whole('bookingWindowDays', 'How far ahead a client may book online.')}
          <Select
            label="Start times every"
            value={form.slotStepMinutes}
            onChange={(v) => set('slotStepMinutes', v)}
            options={['15', '30', '60'].map((m) => ({ value: m, label: `${m} minutes` }))}
          />
          {whole('explorationSpacingHours', 'At least, start to start.')}
          {whole('requiredPreparationSessions')}
          {whole('integrationWithinDays', 'After a dosing session.')}
          {whole('checkInLeadMinutes', 'On the day of the session, this long before it starts.')}
        </div>
      </fieldset>

      <fieldset>
        <legend>Cancelling</legend>
        <div className="grid-2 tight">
          {whole('cancellationWindowHours', 'Later, the late cancellation fee applies.')}
          <Field
            label="Late cancellation fee"
            hint={`In ${money}, e.g. 100.00. Now ${formatMoney(clinic.policy.lateCancellationFee)}.`}
            inputMode="decimal"
            autoComplete="off"
            value={form.fee}
            onChange={text('fee')}
            error={err('policy.lateCancellationFee')}
          />
        </div>
        <Checkbox
          label="A late cancellation uses up the program credit"
          hint="For a session booked with a program credit (the fee is charged to self-pay sessions)."
          checked={form.forfeits}
          onChange={(e) => set('forfeits', e.target.checked)}
        />
      </fieldset>

      <fieldset>
        <legend>Reminders</legend>
        <Field
          label="Reminders (hours before the session)"
          hint="Up to five, separated by commas, e.g. 48, 2. Leave empty for none."
          autoComplete="off"
          value={form.reminderOffsetsHours}
          onChange={text('reminderOffsetsHours')}
          error={err('policy.reminderOffsetsHours')}
        />
        <p className="hint">
          No reminder is sent in quiet hours: one that would fall in them goes just before they begin. In the clinic’s time: {zone}.
        </p>
        <div className="grid-2 tight">
          <Field
            label="Quiet hours begin"
            type="time"
            value={form.quietStart}
            onChange={text('quietStart')}
            error={err('policy.quietHours.start')}
          />
          <Field
            label="Quiet hours end"
            type="time"
            value={form.quietEnd}
            onChange={text('quietEnd')}
            error={err('policy.quietHours.end')}
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>Installments</legend>
        <div className="grid-2 tight">
          <Field
            label="Installments from"
            hint={`The smallest program price, in ${money}, that may be paid in installments.`}
            inputMode="decimal"
            autoComplete="off"
            value={form.installmentsMinimumTotal}
            onChange={text('installmentsMinimumTotal')}
            error={err('policy.installments.minimumTotal')}
          />
          <Field
            label="Minimum down payment (%)"
            inputMode="numeric"
            autoComplete="off"
            value={form.installmentsMinimumDown}
            onChange={text('installmentsMinimumDown')}
            error={err('policy.installments.minimumDownPaymentPercent')}
          />
        </div>
        <Field
          label="Numbers of monthly payments offered"
          hint="Separated by commas, e.g. 3, 6, 12."
          autoComplete="off"
          value={form.installmentsCounts}
          onChange={text('installmentsCounts')}
          error={err('policy.installments.allowedCounts')}
        />
      </fieldset>

      <Button type="submit" busy={sending.busy}>
        Save name and policy
      </Button>
    </form>
  );
}
