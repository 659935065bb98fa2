// The clinic's billing profile: what its receipts and superbills print (PATCH /v1/clinics/{id}
// with `billing`, the whole profile each time). The words follow the clinic's country: a US clinic
// has an EIN (12-3456789), a state, a ZIP code and an organisation NPI; a Canadian one a business
// number for GST/HST (123456789RT0001), a province and a postal code, and no NPI.
import { useEffect, useState, type FormEvent } from 'react';
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Alert, Button, Field } from '../../components/ui.tsx';
import type { Clinic } from '../../lib/clinic-data.ts';
import { formatPhone, toE164 } from '../../lib/phone.ts';
import { FormProblem, npiProblem, TextArea, useSettingsForm, useUnsaved, type LocalErrors } from './settings-common.tsx';

type Billing = NonNullable<Clinic['billing']>;

interface Form {
  legalName: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  phone: string;
  taxId: string;
  npi: string;
  taxNote: string;
}

function formOf(b: Billing | undefined): Form {
  return {
    legalName: b?.legalName ?? '',
    line1: b?.address.line1 ?? '',
    line2: b?.address.line2 ?? '',
    city: b?.address.city ?? '',
    region: b?.address.region ?? '',
    postalCode: b?.address.postalCode ?? '',
    phone: b ? formatPhone(b.phone) : '',
    taxId: b?.taxId ?? '',
    npi: b?.npi ?? '',
    taxNote: b?.taxNote ?? '',
  };
}

const WORDS = {
  US: {
    region: 'State',
    regionHint: 'Two letters, e.g. NY.',
    postalCode: 'ZIP code',
    postalHint: 'e.g. 10014 or 10014-1234.',
    taxId: 'EIN (employer identification number)',
    taxHint: 'As 12-3456789.',
    country: 'United States',
  },
  CA: {
    region: 'Province or territory',
    regionHint: 'Two letters, e.g. ON.',
    postalCode: 'Postal code',
    postalHint: 'e.g. M5V 2T6.',
    taxId: 'Business number (GST/HST account)',
    taxHint: 'As 123456789RT0001.',
    country: 'Canada',
  },
} as const;

const LABELS = (country: 'US' | 'CA'): Record<string, string> => ({
  'billing.legalName': 'Legal name',
  'billing.address.line1': 'Street address',
  'billing.address.line2': 'Suite, floor (optional)',
  'billing.address.city': 'City',
  'billing.address.region': WORDS[country].region,
  'billing.address.postalCode': WORDS[country].postalCode,
  'billing.phone': 'Phone',
  'billing.taxId': WORDS[country].taxId,
  'billing.npi': 'Organisation NPI',
  'billing.taxNote': 'Tax note (optional)',
});

export function BillingSection({ clinic, onSaved }: { clinic: Clinic; onSaved: () => void }) {
  const { api } = useApp();
  const country = clinic.country;
  const words = WORDS[country];
  const [form, setForm] = useState(() => formOf(clinic.billing));
  const sending = useSettingsForm(clinic.id);
  const [note, setNote] = useState<'saved' | 'unchanged'>();
  useEffect(() => setForm(formOf(clinic.billing)), [clinic.billing]);
  useUnsaved('billing', JSON.stringify(form) !== JSON.stringify(formOf(clinic.billing)));

  const set = (k: keyof Form) => (e: { target: { value: string } }) => {
    setNote(undefined);
    setForm((f) => ({ ...f, [k]: e.target.value }));
  };
  const { err } = sending;

  const submit = (e: FormEvent) =>
    sending.submit(
      e,
      () => {
        setNote(undefined);
        const problems: LocalErrors = {};
        const required: [keyof Form, string][] = [
          ['legalName', 'billing.legalName'],
          ['line1', 'billing.address.line1'],
          ['city', 'billing.address.city'],
          ['region', 'billing.address.region'],
          ['postalCode', 'billing.address.postalCode'],
          ['phone', 'billing.phone'],
          ['taxId', 'billing.taxId'],
        ];
        for (const [k, path] of required) if (form[k].trim() === '') problems[path] = 'This is needed on receipts.';
        const npi = country === 'US' ? form.npi.replace(/\s/g, '') : '';
        const npiWrong = npi === '' ? undefined : npiProblem(npi);
        if (npiWrong) problems['billing.npi'] = npiWrong;
        if (Object.keys(problems).length > 0) return { problems };
        if (clinic.billing && JSON.stringify(form) === JSON.stringify(formOf(clinic.billing))) {
          setNote('unchanged');
          return { problems };
        }
        const line2 = form.line2.trim();
        const taxNote = form.taxNote.trim();
        return {
          problems,
          send: () =>
            ok(
              api.PATCH('/v1/clinics/{clinicId}', {
                params: { path: { clinicId: clinic.id } },
                body: {
                  billing: {
                    legalName: form.legalName.trim(),
                    address: {
                      line1: form.line1.trim(),
                      ...(line2 ? { line2 } : {}),
                      city: form.city.trim(),
                      region: form.region.trim().toUpperCase(),
                      postalCode: form.postalCode.trim().toUpperCase(),
                      country,
                    },
                    phone: toE164(form.phone),
                    taxId: form.taxId.trim().toUpperCase(),
                    ...(npi ? { npi } : {}),
                    ...(taxNote ? { taxNote } : {}),
                  },
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

  return (
    <form className="card form settings-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="billing-title">
      <h2 id="billing-title">Billing profile</h2>
      <p className="muted">
        {country === 'US'
          ? 'What the clinic’s receipts and superbills print.'
          : 'What the clinic’s receipts print, receipts for insurance too.'}
      </p>
      {!clinic.billing && <Alert kind="warning">Not set up yet: receipts for insurance cannot be made until it is.</Alert>}
      {note === 'saved' && <Alert kind="success">The billing profile was saved.</Alert>}
      {note === 'unchanged' && <Alert kind="info">Nothing to save: no field was changed.</Alert>}
      <FormProblem error={sending.error} local={sending.local} title="The billing profile was not saved" labels={LABELS(country)} />

      <Field
        label="Legal name"
        autoComplete="organization"
        value={form.legalName}
        onChange={set('legalName')}
        error={err('billing.legalName')}
      />
      <fieldset>
        <legend>Address ({words.country})</legend>
        <Field
          label="Street address"
          autoComplete="address-line1"
          value={form.line1}
          onChange={set('line1')}
          error={err('billing.address.line1')}
        />
        <Field
          label="Suite, floor (optional)"
          autoComplete="address-line2"
          value={form.line2}
          onChange={set('line2')}
          error={err('billing.address.line2')}
        />
        <div className="grid-3">
          <Field label="City" autoComplete="address-level2" value={form.city} onChange={set('city')} error={err('billing.address.city')} />
          <Field
            label={words.region}
            hint={words.regionHint}
            autoComplete="address-level1"
            maxLength={2}
            value={form.region}
            onChange={set('region')}
            error={err('billing.address.region')}
          />
          <Field
            label={words.postalCode}
            hint={words.postalHint}
            autoComplete="postal-code"
            value={form.postalCode}
            onChange={set('postalCode')}
            error={err('billing.address.postalCode')}
          />
        </div>
      </fieldset>
      <div className="grid-2 tight">
        <Field label="Phone" type="tel" autoComplete="tel" value={form.phone} onChange={set('phone')} error={err('billing.phone')} />
        <Field
          label={words.taxId}
          hint={words.taxHint}
          autoComplete="off"
          value={form.taxId}
          onChange={set('taxId')}
          // the API names both countries' forms; the clinic's own is the one that helps
          error={
            err('billing.taxId') &&
            `Enter the clinic's ${country === 'US' ? 'EIN, as 12-3456789' : 'GST/HST business number, as 123456789RT0001'}.`
          }
        />
        {country === 'US' && (
          <Field
            label="Organisation NPI"
            hint="The clinic’s own (type 2) NPI: 10 digits. Optional."
            inputMode="numeric"
            autoComplete="off"
            value={form.npi}
            onChange={set('npi')}
            error={err('billing.npi')}
          />
        )}
      </div>
      <TextArea
        label="Tax note (optional)"
        hint={
          country === 'CA'
            ? 'Printed on receipts, e.g. “Psychotherapy services are exempt from GST/HST.”'
            : 'Printed on receipts, e.g. a note on sales tax.'
        }
        rows={2}
        value={form.taxNote}
        onChange={set('taxNote')}
        error={err('billing.taxNote')}
      />
      <Button type="submit" busy={sending.busy}>
        Save billing profile
      </Button>
    </form>
  );
}
