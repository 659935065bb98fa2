// Profile: the phone the clinic texts, consent to texts, and the ride-home contact a dosing
// session needs (docs/domain.md, "Course of care": no exploration is booked without one).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ClientSession } from '../app.tsx';
import { useApp } from '../app-context.tsx';
import { ok } from '../api/client.ts';
import { fieldError } from '../api/errors.ts';
import { Alert, Button, Checkbox, EmailAddress, ErrorAlert, Field, Loading, PageError, PageTitle } from '../components/ui.tsx';
import { contactChanges, contactOf, phoneProblem, rideHomeProblems, type ContactForm, type Problem } from '../lib/client-contact.ts';
import { clientRecord } from '../lib/client-data.ts';
import type { Client } from '../lib/clinic-data.ts';
import { formatDate } from '../lib/format.ts';
import { useLoad } from '../lib/use-load.ts';

export function ProfilePage({ session }: { session: ClientSession }) {
  const { api } = useApp();
  // read each time the page opens: the front desk may have changed the record meanwhile
  const record = useLoad(() => clientRecord(api, session.clientId), [api, session.clientId]);
  if (record.error) return <PageError title="Your profile could not load" error={record.error} />;
  if (!record.data) return <Loading />;
  return <ProfileForm client={record.data} onSaved={(updated) => record.replace(() => updated)} />;
}

function ProfileForm({ client, onSaved }: { client: Client; onSaved: (client: Client) => void }) {
  const { api } = useApp();
  const [form, setForm] = useState<ContactForm>(() => contactOf(client));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [unchanged, setUnchanged] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  useEffect(() => setForm(contactOf(client)), [client]);
  // a second submission before the first answer sends nothing
  const sending = useRef(false);
  // a refusal moves focus to the first field to correct, or to the message when no field is named
  const formRef = useRef<HTMLFormElement>(null);
  const [refused, setRefused] = useState(0);
  const onField = FIELDS.some((path) => fieldError(error, path));
  useEffect(() => {
    if (refused > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refused]);
  const problem = (path: string) => problems.find((p) => p.path === path)?.message ?? fieldError(error, path);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (sending.current) return;
    setError(undefined);
    setSaved(false);
    setUnchanged(false);
    const found = [phoneProblem(form), ...rideHomeProblems(form)].filter((p) => p !== undefined);
    setProblems(found);
    if (found.length > 0) {
      setRefused((n) => n + 1);
      return;
    }
    // only what the client changed: the rest may have been changed by the clinic since the page opened
    const patch = contactChanges(client, form);
    if (Object.keys(patch).length === 0) {
      setUnchanged(true);
      return;
    }
    sending.current = true;
    setBusy(true);
    try {
      const updated = await ok(api.PATCH('/v1/clients/{clientId}', { params: { path: { clientId: client.id } }, body: patch }));
      onSaved(updated);
      setSaved(true);
    } catch (err) {
      setError(err);
      setRefused((n) => n + 1);
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  const change = <K extends keyof ContactForm>(k: K, value: ContactForm[K]) => {
    setSaved(false);
    setUnchanged(false);
    setForm((f) => ({ ...f, [k]: value }));
    // a ride-home field's change settles the pair's problem (half a contact)
    setProblems((list) => list.filter((p) => p.path !== k && !(k.startsWith('ride') && p.path.startsWith('rideHome'))));
  };
  const set = (k: 'phone' | 'rideName' | 'ridePhone') => (e: { target: { value: string } }) => change(k, e.target.value);

  return (
    <>
      <PageTitle title="Profile">Profile</PageTitle>
      <section className="card" aria-labelledby="about-you">
        <h2 id="about-you">About you</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>
            {client.firstName} {client.lastName}
          </dd>
          <dt>E-mail</dt>
          <dd>
            <EmailAddress value={client.email} />
          </dd>
          <dt>Date of birth</dt>
          <dd>{formatDate(client.dateOfBirth)}</dd>
        </dl>
        <p className="muted">To change these, please contact your clinic.</p>
      </section>

      <form className="card form" onSubmit={(e) => void submit(e)} noValidate ref={formRef}>
        <h2>Contact and ride home</h2>
        {saved && (
          <Alert kind="success" focusKey={saved}>
            Your profile was saved.
          </Alert>
        )}
        {unchanged && <Alert kind="info">Nothing was changed: there is nothing to save.</Alert>}
        <ErrorAlert error={error} title="Your profile was not saved" focus={!onField} />
        {problems.length > 0 && (
          <Alert kind="error" title="Your profile was not saved">
            Please check the fields marked below.
          </Alert>
        )}
        <Field label="Mobile phone" type="tel" autoComplete="tel" value={form.phone} onChange={set('phone')} error={problem('phone')} />
        <Checkbox
          label="Text me confirmations and reminders"
          hint="Texts name the clinic and the time only, never your treatment."
          checked={form.smsConsent}
          onChange={(e) => change('smsConsent', e.target.checked)}
        />
        <fieldset>
          <legend>Ride-home contact</legend>
          <p className="hint">
            Needed before a dosing session: you may not drive for at least 8 hours afterwards, so someone you trust takes you home.
          </p>
          <Field label="Their name" autoComplete="off" value={form.rideName} onChange={set('rideName')} error={problem('rideHome.name')} />
          <Field
            label="Their phone"
            type="tel"
            autoComplete="off"
            value={form.ridePhone}
            onChange={set('ridePhone')}
            error={problem('rideHome.phone')}
          />
        </fieldset>
        <Button type="submit" busy={busy}>
          Save
        </Button>
      </form>
    </>
  );
}

/** The form's fields that a 400 may name (details[].path). */
const FIELDS = ['phone', 'rideHome.name', 'rideHome.phone'];
