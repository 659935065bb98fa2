// Local sign-in: "choose who you are" (the local server mints the token). A client picks one of
// the demo clients of a clinic, or signs up as a new client; staff pick a role at a clinic. On
// AWS this page becomes Cognito's e-mail + password sign-in (auth/provider.ts).
import { useState, type FormEvent } from 'react';
import { useApp } from '../app-context.tsx';
import { ok } from '../api/client.ts';
import type { Role } from '../auth/session.ts';
import { Alert, Button, ErrorAlert, Loading, PageError, PageTitle, Select } from '../components/ui.tsx';
import { useLoad } from '../lib/use-load.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { PasswordSignInPage } from './password-sign-in.tsx';

type StaffRole = Exclude<Role, 'client'>;
const STAFF_ROLES: { value: StaffRole; label: string }[] = [
  { value: 'frontdesk', label: 'Front desk' },
  { value: 'clinician', label: 'Clinician' },
  { value: 'finance', label: 'Finance' },
  { value: 'admin', label: 'Admin (all clinics)' },
];

/** Only a path inside the app: `next` must not send the person to another site, nor back to signing in. */
export function safeNext(next: string | null, fallback: string): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && !/^\/sign-(in|up)(?:[/?#]|$)/.test(next)
    ? next
    : fallback;
}

/** Cognito's e-mail + password on AWS; the local demo's "choose who you are" under `npm start`. */
export function SignInPage() {
  return useApp().auth.kind === 'cognito' ? <PasswordSignInPage /> : <LocalSignInPage />;
}

function LocalSignInPage() {
  const { api, auth, signedIn } = useApp();
  const { query } = useLocation();
  const next = query.get('next');
  const wantedClinic = query.get('clinic');
  const people = useLoad(async () => {
    const [clinics, clients] = await Promise.all([ok(api.GET('/v1/clinics')), auth.demoClients()]);
    return { clinics, clients };
  }, [api, auth]);

  const [clientId, setClientId] = useState('');
  const [role, setRole] = useState<StaffRole>('frontdesk');
  const [staffClinic, setStaffClinic] = useState('');
  const [busy, setBusy] = useState<'client' | 'staff' | null>(null);
  const [error, setError] = useState<unknown>();

  const signIn = async (kind: 'client' | 'staff', e: FormEvent) => {
    e.preventDefault();
    setBusy(kind);
    setError(undefined);
    try {
      const clinics = people.data?.clinics ?? [];
      const chosenClient = clientId || people.data?.clients.find((c) => !wantedClinic || c.clinicId === wantedClinic)?.id || '';
      const token =
        kind === 'client'
          ? await auth.signIn({ kind: 'client', clientId: chosenClient })
          : await auth.signIn({ kind: 'staff', role, clinicId: role === 'admin' ? undefined : staffClinic || clinics[0]?.id });
      const session = signedIn(token);
      navigate(safeNext(next, session.role === 'client' ? '/care' : '/staff'), { replace: true });
    } catch (err) {
      setError(err);
      setBusy(null);
    }
  };

  if (people.error) return <PageError title="The sign-in page could not load" error={people.error} />;
  if (!people.data) return <Loading />;
  const { clinics, clients } = people.data;
  const clinicName = (id: string) => clinics.find((c) => c.id === id)?.name ?? id;
  const offered = wantedClinic ? clients.filter((c) => c.clinicId === wantedClinic) : clients;
  const signUpHref = `/sign-up${wantedClinic ? `?clinic=${encodeURIComponent(wantedClinic)}` : ''}${
    next ? `${wantedClinic ? '&' : '?'}next=${encodeURIComponent(next)}` : ''
  }`;

  return (
    <>
      <PageTitle title="Sign in">Who are you?</PageTitle>
      <Alert kind="info">
        This is the local demo: choose a person to act as. No password is needed here; on the real service clients and staff sign in with
        their e-mail and password.
      </Alert>
      <ErrorAlert error={error} title="Could not sign in" />

      <div className="grid-2">
        <section className="card" aria-labelledby="as-client">
          <h2 id="as-client">I am a client</h2>
          <form onSubmit={(e) => void signIn('client', e)}>
            <Select
              label="Demo client"
              value={clientId || offered[0]?.id || ''}
              onChange={setClientId}
              options={offered.map((c) => ({ value: c.id, label: `${c.name} — ${clinicName(c.clinicId)}` }))}
            />
            <Button type="submit" busy={busy === 'client'} disabled={offered.length === 0}>
              Continue as this client
            </Button>
          </form>
          <p className="or">
            New here? <Link href={signUpHref}>Create your client account</Link>
          </p>
        </section>

        <section className="card" aria-labelledby="as-staff">
          <h2 id="as-staff">I work at a clinic</h2>
          <form onSubmit={(e) => void signIn('staff', e)}>
            <Select label="Role" value={role} onChange={(v) => setRole(v as StaffRole)} options={STAFF_ROLES} />
            {role !== 'admin' && (
              <Select
                label="Clinic"
                value={staffClinic || clinics[0]?.id || ''}
                onChange={setStaffClinic}
                options={clinics.map((c) => ({ value: c.id, label: c.name }))}
              />
            )}
            <Button type="submit" kind="secondary" busy={busy === 'staff'}>
              Continue as staff
            </Button>
          </form>
        </section>
      </div>
    </>
  );
}
