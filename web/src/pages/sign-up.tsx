// A new client signs up: a sign-in without a client record (on AWS: Cognito sign-up with a
// verified e-mail), then POST /v1/clients creates its record for the chosen clinic, then a fresh
// token carries its clientId (the API links the record to the sign-in).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useApp } from '../app-context.tsx';
import { ApiError, idempotencyKey, ok } from '../api/client.ts';
import { fieldError } from '../api/errors.ts';
import type { AccountFlows } from '../auth/provider.ts';
import { Alert, Button, Checkbox, ErrorAlert, Field, Loading, PageError, PageTitle, Select } from '../components/ui.tsx';
import { birthDateProblem, EARLIEST_BIRTH_DATE, latestBirthDate } from '../lib/birth-date.ts';
import { todayIn } from '../lib/format.ts';
import { toE164 } from '../lib/phone.ts';
import { useLoad } from '../lib/use-load.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { safeNext } from './sign-in.tsx';

export function SignUpPage() {
  const { api, auth, signedIn, session } = useApp();
  const { query } = useLocation();
  // on AWS: the Cognito account first (e-mail, password, the e-mailed code), then the record; a
  // client who signed in without a record yet (password-sign-in.tsx) starts at the record
  const [account, setAccount] = useState<{ token: string; email: string } | null>(() =>
    auth.kind === 'cognito' && session?.role === 'client' && !session.clientId
      ? { token: session.token, email: session.email ?? '' }
      : null,
  );
  const clinics = useLoad(() => ok(api.GET('/v1/clinics')), [api]);
  const [form, setForm] = useState({
    clinicId: query.get('clinic') ?? '',
    firstName: '',
    lastName: '',
    // the address the sign-in verified, when there is one: the record must use it (and it is shown read-only)
    email: account?.email ?? '',
    phone: '',
    dateOfBirth: '',
    // consent to texts is given, never assumed (opt-in, as the front desk's form has it)
    smsConsent: false,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  // fields left empty when sent, each cleared as it is filled in
  const [missing, setMissing] = useState<{ path: string; message: string }[]>([]);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => {
    setMissing((m) => m.filter((d) => d.path !== k));
    setForm((f) => ({ ...f, [k]: e.target.value }));
  };
  // the chosen clinic's today (the API judges a date of birth by it); the browser's until the list is in
  const clinicId = form.clinicId || clinics.data?.[0]?.id || '';
  const zone = clinics.data?.find((c) => c.id === clinicId)?.timezone;
  const today = todayIn(zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const shown =
    error ??
    (missing.length > 0 ? new ApiError(400, 'validation_failed', 'Some fields need your attention', undefined, missing) : undefined);
  // a refusal moves focus to the first field to correct, or to the message when no field is named
  const formRef = useRef<HTMLFormElement>(null);
  const [refused, setRefused] = useState(0);
  const onField = FIELDS.some((path) => fieldError(shown, path));
  useEffect(() => {
    if (refused > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refused]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // the account is made before the record is sent (the API checks the rest): what is missing is
    // said field by field first, not as a failed sign-in
    const empty = missingFields(form, today);
    setMissing(empty);
    setError(undefined);
    if (empty.length > 0) {
      setRefused((n) => n + 1);
      return;
    }
    setBusy(true);
    try {
      const first = account?.token ?? (await auth.signIn({ kind: 'new-client', email: form.email.trim() }));
      const created = await ok(
        api.POST('/v1/clients', {
          headers: { authorization: `Bearer ${first}`, 'idempotency-key': idempotencyKey() },
          body: { ...form, clinicId, email: form.email.trim(), phone: toE164(form.phone) },
        }),
      );
      signedIn(await auth.refresh(first, created.id), created.id);
      navigate(safeNext(query.get('next'), '/book'), { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
      setRefused((n) => n + 1);
    }
  };

  if (auth.kind === 'cognito' && !account) {
    return (
      <CognitoAccountStep
        onReady={(token, email) => {
          setAccount({ token, email });
          setForm((f) => ({ ...f, email }));
        }}
      />
    );
  }
  if (clinics.error) return <PageError title="Sign-up could not load" error={clinics.error} />;
  if (!clinics.data) return <Loading />;
  return (
    <>
      <PageTitle title="Create your account">Create your client account</PageTitle>
      <p className="lead">Tell us who you are so the clinic can book your sessions. Only you and your clinic see this.</p>
      <ErrorAlert error={shown} title="Your account was not created" focus={!onField} />
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate ref={formRef}>
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
            error={fieldError(shown, 'firstName')}
          />
          <Field
            label="Last name"
            autoComplete="family-name"
            required
            value={form.lastName}
            onChange={set('lastName')}
            error={fieldError(shown, 'lastName')}
          />
        </div>
        <Field
          label="E-mail"
          type="email"
          autoComplete="email"
          required
          readOnly={Boolean(account?.email)}
          value={form.email}
          onChange={set('email')}
          error={fieldError(shown, 'email')}
        />
        <Field
          label="Mobile phone"
          type="tel"
          autoComplete="tel"
          required
          hint="A US or Canadian mobile or landline number, e.g. (212) 555-0123"
          value={form.phone}
          onChange={set('phone')}
          error={fieldError(shown, 'phone')}
        />
        <Field
          label="Date of birth"
          type="date"
          autoComplete="bday"
          required
          min={EARLIEST_BIRTH_DATE}
          max={latestBirthDate(today)}
          value={form.dateOfBirth}
          onChange={set('dateOfBirth')}
          error={fieldError(shown, 'dateOfBirth')}
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

/**
 * The Cognito account of a new client: e-mail and password (SignUp), then the code we e-mailed
 * (ConfirmSignUp; a new code on request), then a sign-in with the same password.
 */
function CognitoAccountStep({ onReady }: { onReady: (token: string, email: string) => void }) {
  const { auth } = useApp();
  const flows = auth.account as AccountFlows;
  const [step, setStep] = useState<'account' | 'code'>('account');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const run = async (e: FormEvent, action: () => Promise<void>) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const sentTo = (d: { destination?: string }) => `We e-mailed a code to ${d.destination ?? email}. It may take a minute to arrive.`;

  return (
    <>
      <PageTitle title="Create your account">Create your client account</PageTitle>
      {notice && <Alert kind="info">{notice}</Alert>}
      <ErrorAlert error={error} title={step === 'account' ? 'Your account was not created' : 'Your e-mail address is not confirmed yet'} />
      {step === 'account' ? (
        <form
          className="card form"
          onSubmit={(e) =>
            void run(e, async () => {
              const sent = await flows.signUp(email.trim(), password);
              setNotice(sentTo(sent));
              setStep('code');
            })
          }
        >
          <Field label="E-mail" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <Field
            label="Password"
            type="password"
            autoComplete="new-password"
            hint="At least 12 characters, with an upper-case letter, a lower-case letter, a digit and a symbol."
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Button type="submit" busy={busy}>
            Continue
          </Button>
          <p className="or">
            Already have an account? <Link href="/sign-in">Sign in</Link>
          </p>
        </form>
      ) : (
        <form
          className="card form"
          onSubmit={(e) =>
            void run(e, async () => {
              await flows.confirmSignUp(email.trim(), code);
              onReady(await auth.signIn({ kind: 'password', email: email.trim(), password }), email.trim());
            })
          }
        >
          <Field
            label="Code from the e-mail"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <div className="actions">
            <Button type="submit" busy={busy}>
              Confirm
            </Button>
            <Button
              kind="secondary"
              onClick={(e) =>
                void run(e, async () => {
                  setNotice(sentTo(await flows.resendCode(email.trim())));
                })
              }
            >
              Send a new code
            </Button>
          </div>
        </form>
      )}
    </>
  );
}

/** The record form's fields, in their order on the page (a 400's details[].path). */
const FIELDS = ['firstName', 'lastName', 'email', 'phone', 'dateOfBirth'];

/**
 * Required fields left empty, an e-mail address that cannot be one, and a date of birth that is
 * not in the past on the clinic's `today`, as the API's 400 details.
 */
function missingFields(form: { firstName: string; lastName: string; email: string; phone: string; dateOfBirth: string }, today: string) {
  const out: { path: string; message: string }[] = [];
  if (form.firstName.trim() === '') out.push({ path: 'firstName', message: 'Enter your first name.' });
  if (form.lastName.trim() === '') out.push({ path: 'lastName', message: 'Enter your last name.' });
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim()))
    out.push({ path: 'email', message: 'Enter your e-mail address, e.g. name@example.com.' });
  if (form.phone.trim() === '') out.push({ path: 'phone', message: 'Enter your mobile phone number.' });
  const born = form.dateOfBirth === '' ? 'Enter your date of birth.' : birthDateProblem(form.dateOfBirth, today);
  if (born) out.push({ path: 'dateOfBirth', message: born });
  return out;
}
