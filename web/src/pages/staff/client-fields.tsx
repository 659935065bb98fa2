// The fields of a client's record as the front desk fills them in: names, e-mail, mobile phone,
// date of birth (at most the last day the API takes), consent to texts and the ride-home contact.
// One set for adding a client (client-new.tsx) and editing one (chart-details.tsx); each form
// keeps its own state, checks and submit, and says under each field what is wrong with it.
import type { ChangeEvent, ReactNode } from 'react';
import { Checkbox, Field } from '../../components/ui.tsx';
import { latestBirthDate } from '../../lib/birth-date.ts';
import type { DetailsForm } from './client-details.ts';

type TextField = Exclude<keyof DetailsForm, 'smsConsent'>;

export function ClientFields({
  form,
  today,
  onText,
  onConsent,
  problem,
  autoFocus = false,
  rideLegend,
  rideHint,
}: {
  form: DetailsForm;
  /** The clinic's today (YYYY-MM-DD): the date of birth's latest day is the one before. */
  today: string;
  onText: (field: TextField) => (e: ChangeEvent<HTMLInputElement>) => void;
  onConsent: (checked: boolean) => void;
  /** What is wrong with the field the API's 400 would name by `path` (undefined: nothing). */
  problem: (path: string) => string | undefined;
  autoFocus?: boolean;
  rideLegend: string;
  rideHint: ReactNode;
}) {
  return (
    <>
      <div className="grid-2 tight">
        <Field
          label="First name"
          autoComplete="off"
          required
          autoFocus={autoFocus}
          value={form.firstName}
          onChange={onText('firstName')}
          error={problem('firstName')}
        />
        <Field
          label="Last name"
          autoComplete="off"
          required
          value={form.lastName}
          onChange={onText('lastName')}
          error={problem('lastName')}
        />
      </div>
      <Field
        label="E-mail"
        type="email"
        autoComplete="off"
        required
        value={form.email}
        onChange={onText('email')}
        error={problem('email')}
      />
      <Field
        label="Mobile phone"
        type="tel"
        autoComplete="off"
        required
        hint="A US or Canadian number, e.g. (212) 555-0123"
        value={form.phone}
        onChange={onText('phone')}
        error={problem('phone')}
      />
      <Field
        label="Date of birth"
        type="date"
        autoComplete="off"
        required
        max={latestBirthDate(today)}
        value={form.dateOfBirth}
        onChange={onText('dateOfBirth')}
        error={problem('dateOfBirth')}
      />
      <Checkbox
        label="The client agrees to confirmations and reminders by text"
        hint="Ask the client first. Texts name the clinic and the time only, never the treatment; the client can reply STOP at any time."
        checked={form.smsConsent}
        onChange={(e) => onConsent(e.target.checked)}
      />
      <fieldset>
        <legend>{rideLegend}</legend>
        <p className="hint">{rideHint}</p>
        <div className="grid-2 tight">
          <Field
            label="Their name"
            autoComplete="off"
            value={form.rideName}
            onChange={onText('rideName')}
            error={problem('rideHome.name')}
          />
          <Field
            label="Their phone"
            type="tel"
            autoComplete="off"
            value={form.ridePhone}
            onChange={onText('ridePhone')}
            error={problem('rideHome.phone')}
          />
        </div>
      </fieldset>
    </>
  );
}
