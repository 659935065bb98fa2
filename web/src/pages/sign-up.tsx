// A new client signs up: a sign-in without a client record (on AWS: Cognito sign-up with a
// verified e-mail), then POST /v1/clients creates its record for the chosen clinic, then a fresh
// token carries its clientId (the API links the record to the sign-in).
import { useState, type FormEvent } from 'react';
import { useApp } from '../app-context.tsx';
import { idempotencyKey, ok } from '../api/client.ts';
import { fieldError } from '../api/errors.ts';
import { Button, Checkbox, ErrorAlert, Field, Loading, PageTitle, Select } from '../components/ui.tsx';
import { toE164 } from '../lib/phone.ts';
import { useLoad } from '../lib/use-load.ts';
import { navigate, useLocation } from '../router.tsx';
import { safeNext } from './sign-in.tsx';

export function SignUpPage() {
  const { api, auth, signedIn } = useApp();
  const { query } = useLocation();
  const clinics = useLoad(() => ok(api.GET('/v1/clinics')), [api]);
  const [form, setForm] = useState({
    clinicId: query.get('clinic') ?? '',
    firstName: '',
    lastName: '',
    email: '',
    phone: '',
    dateOfBirth: '',
    smsConsent: true,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const clinicId = form.clinicId || clinics.data?.[0]?.id || '';
      const first = await auth.signIn({ kind: 'new-client', email: form.email.trim() });
      const created = await ok(
        api.POST('/v1/clients', {
          headers: { authorization: `Bearer ${first}`, 'idempotency-key': idempotencyKey() },
          body: { ...form, clinicId, email: form.email.trim(), phone: toE164(form.phone) },
        }),
      );
      signedIn(await auth.refresh(first, created.id));
      navigate(safeNext(query.get('next'), '/book'), { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  if (clinics.error) return <ErrorAlert error={clinics.error} />;
  if (!clinics.data) return <Loading />;
  return (
    <>
      <PageTitle title="Create your account">Create your client account</PageTitle>
      <p className="lead">Tell us who you are so the clinic can book your sessions. Only you and your clinic see this.</p>
      <ErrorAlert error={error} title="Your account was not created" />
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate>
        <Select
          label="Clinic"
          value={form.clinicId || clinics.data[0]?.id || ''}
          onChange={(v) => setForm((f) => ({ ...f, clinicId: v }))}
          options={clinics.data.map((c) => ({ value: c.id, label: c.name }))}
        />
        <div className="grid-2 tight">
          <Field
            label="First name"
            autoComplete="given-name"
            required
            value={form.firstName}
            onChange={set('firstName')}
            error={fieldError(error, 'firstName')}
          />
          <Field
            label="Last name"
            autoComplete="family-name"
            required
            value={form.lastName}
            onChange={set('lastName')}
            error={fieldError(error, 'lastName')}
          />
        </div>
        <Field
          label="E-mail"
          type="email"
          autoComplete="email"
          required
          value={form.email}
          onChange={set('email')}
          error={fieldError(error, 'email')}
        />
        <Field
          label="Mobile phone"
          type="tel"
          autoComplete="tel"
          required
          hint="A US or Canadian number, e.g. (212) 555-0123"
          value={form.phone}
          onChange={set('phone')}
          error={fieldError(error, 'phone')}
        />
        <Field
          label="Date of birth"
          type="date"
          autoComplete="bday"
          required
          value={form.dateOfBirth}
          onChange={set('dateOfBirth')}
          error={fieldError(error, 'dateOfBirth')}
        />
        <Checkbox
          label="Text me confirmations and reminders"
          hint="Texts name the clinic and the time only, never your treatment. Reply STOP to end them."
          checked={form.smsConsent}
          onChange={(e) => setForm((f) => ({ ...f, smsConsent: e.target.checked }))}
        />
        <Button type="submit" busy={busy}>
          Create account
        </Button>
      </form>
    </>
  );
}
