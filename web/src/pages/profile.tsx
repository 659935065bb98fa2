// Profile: the phone the clinic texts, consent to texts, and the ride-home contact a dosing
// session needs (docs/domain.md, "Course of care": no exploration is booked without one).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ClientSession } from '../app.tsx';
import { useApp } from '../app-context.tsx';
import { ok } from '../api/client.ts';
import { fieldError } from '../api/errors.ts';
import { Alert, Button, Checkbox, ErrorAlert, Field, Loading, PageError, PageTitle } from '../components/ui.tsx';
import { clientRecord, rememberClient } from '../lib/client-data.ts';
import type { Client } from '../lib/clinic-data.ts';
import { formatDate } from '../lib/format.ts';
import { formatPhone, toE164 } from '../lib/phone.ts';
import { useLoad } from '../lib/use-load.ts';

export function ProfilePage({ session }: { session: ClientSession }) {
  const { api } = useApp();
  const record = useLoad(() => clientRecord(api, session.clientId), [api, session.clientId]);
  if (record.error) return <PageError title="Your profile could not load" error={record.error} />;
  if (!record.data) return <Loading />;
  return <ProfileForm client={record.data} />;
}

function ProfileForm({ client }: { client: Client }) {
  const { api } = useApp();
  const [form, setForm] = useState(() => formOf(client));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  useEffect(() => setForm(formOf(client)), [client]);
  // a refusal moves focus to the first field to correct, or to the message when no field is named
  // (the Save button was disabled while it ran; focus would fall to the page's start)
  const formRef = useRef<HTMLFormElement>(null);
  const onField = FIELDS.some((path) => fieldError(error, path));
  useEffect(() => {
    if (error && onField) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error, onField]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setSaved(false);
    const rideName = form.rideName.trim();
    const ridePhone = form.ridePhone.trim();
    try {
      const updated = await ok(
        api.PATCH('/v1/clients/{clientId}', {
          params: { path: { clientId: client.id } },
          body: {
            phone: toE164(form.phone),
            smsConsent: form.smsConsent,
            rideHome: rideName === '' && ridePhone === '' ? null : { name: rideName, phone: toE164(ridePhone) },
          },
        }),
      );
      rememberClient(updated);
      setForm(formOf(updated));
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const set = (k: 'phone' | 'rideName' | 'ridePhone') => (e: { target: { value: string } }) => {
    setSaved(false);
    setForm((f) => ({ ...f, [k]: e.target.value }));
  };

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
          <dd>{client.email}</dd>
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
        <ErrorAlert error={error} title="Your profile was not saved" focus={!onField} />
        <Field
          label="Mobile phone"
          type="tel"
          autoComplete="tel"
          value={form.phone}
          onChange={set('phone')}
          error={fieldError(error, 'phone')}
        />
        <Checkbox
          label="Text me confirmations and reminders"
          hint="Texts name the clinic and the time only, never your treatment."
          checked={form.smsConsent}
          onChange={(e) => {
            setSaved(false);
            setForm((f) => ({ ...f, smsConsent: e.target.checked }));
          }}
        />
        <fieldset>
          <legend>Ride-home contact</legend>
          <p className="hint">
            Needed before a dosing session: you may not drive for at least 8 hours afterwards, so someone you trust takes you home.
          </p>
          <Field
            label="Their name"
            autoComplete="off"
            value={form.rideName}
            onChange={set('rideName')}
            error={fieldError(error, 'rideHome.name')}
          />
          <Field
            label="Their phone"
            type="tel"
            autoComplete="off"
            value={form.ridePhone}
            onChange={set('ridePhone')}
            error={fieldError(error, 'rideHome.phone')}
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

function formOf(client: Client) {
  return {
    phone: formatPhone(client.phone),
    smsConsent: client.smsConsent,
    rideName: client.rideHome?.name ?? '',
    ridePhone: client.rideHome ? formatPhone(client.rideHome.phone) : '',
  };
}
