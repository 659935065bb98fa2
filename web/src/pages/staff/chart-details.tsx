// The client's details on the chart (name, date of birth, contact, consent to texts, the ride-home
// contact), and "Edit details" for the roles that may change them (PATCH /v1/clients/{id}: the
// front desk and admin; the API decides). The form sends only what changed; a ride-home contact
// is added, changed, or removed by clearing both its fields (sent as null). Problems it can see
// (an empty name, a date of birth in the future, half a contact) are said before sending, the
// API's 400 under the field it names. Once saved the chart shows the answer at once and focus
// goes to the part's heading; Cancel puts it back on "Edit details". Opened with `?edit=details`
// (the day panel's link when a dosing session has no ride home on file), the form is open at once.
import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { ok } from '../../api/client.ts';
import { fieldError } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { Alert, Button, EmailAddress, ErrorAlert } from '../../components/ui.tsx';
import type { Problem } from '../../lib/client-contact.ts';
import type { Client } from '../../lib/clinic-data.ts';
import { formatDate, todayIn } from '../../lib/format.ts';
import { formatPhone } from '../../lib/phone.ts';
import { changesOf, detailsOf, detailsProblems, type DetailsForm } from './client-details.ts';
import { ClientFields } from './client-fields.tsx';

export function DetailsPart({
  client,
  timezone,
  editable,
  startEditing = false,
  onSaved,
}: {
  client: Client;
  timezone: string;
  /** PATCH /v1/clients/{id} is the role's (the front desk, admin). */
  editable: boolean;
  /** Opened from a link that is there to change them (`?edit=details`: a dosing session with no ride home on file). */
  startEditing?: boolean;
  onSaved: (client: Client) => void;
}) {
  const [editing, setEditing] = useState(() => editable && startEditing);
  const [notice, setNotice] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  const edit = useRef<HTMLButtonElement>(null);

  const close = (to: RefObject<HTMLElement | null>) => {
    setEditing(false);
    setTimeout(() => to.current?.focus()); // after the re-render that brings it back
  };

  return (
    <section className="card" aria-labelledby="contact">
      <div className="card-head">
        <h2 id="contact" ref={heading} tabIndex={-1}>
          Client details
        </h2>
        {editable && !editing && (
          <Button
            ref={edit}
            kind="secondary"
            onClick={() => {
              setNotice(undefined);
              setEditing(true);
            }}
          >
            Edit details
          </Button>
        )}
      </div>
      {notice && <Alert kind="success">{notice}</Alert>}
      {editing ? (
        <EditDetails
          client={client}
          timezone={timezone}
          onCancel={() => close(edit)}
          onSaved={(updated) => {
            onSaved(updated);
            setNotice('Client details saved.');
            close(heading);
          }}
        />
      ) : (
        <ContactFacts client={client} timezone={timezone} />
      )}
    </section>
  );
}

function ContactFacts({ client, timezone }: { client: Client; timezone: string }) {
  const age = ageOn(client.dateOfBirth, todayIn(timezone));
  return (
    <dl className="facts">
      <dt>Date of birth</dt>
      <dd>
        {formatDate(client.dateOfBirth)} <span className="muted">(age {age})</span>
      </dd>
      <dt>Phone</dt>
      <dd>{formatPhone(client.phone)}</dd>
      <dt>E-mail</dt>
      <dd>
        <EmailAddress value={client.email} />
      </dd>
      <dt>Text messages</dt>
      <dd>{client.smsConsent ? 'Consented to reminders by text' : 'No consent: no texts are sent'}</dd>
      <dt>Ride home</dt>
      <dd>
        {client.rideHome ? (
          <>
            {client.rideHome.name}, {formatPhone(client.rideHome.phone)}
          </>
        ) : (
          <span className="muted">No ride-home contact on file</span>
        )}
      </dd>
    </dl>
  );
}

/** Whole years from a date of birth to a date (both YYYY-MM-DD). */
function ageOn(dateOfBirth: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return today.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}

function EditDetails({
  client,
  timezone,
  onCancel,
  onSaved,
}: {
  client: Client;
  timezone: string;
  onCancel: () => void;
  onSaved: (client: Client) => void;
}) {
  const { api } = useApp();
  const [form, setForm] = useState<DetailsForm>(() => detailsOf(client));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [unchanged, setUnchanged] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  // a second click before the first answer sends nothing (the button ignores clicks a render later)
  const sending = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  // after a refusal, focus goes to the first field to correct (else to Save)
  const [refused, setRefused] = useState(0);
  useEffect(() => {
    if (refused === 0) return;
    const form = formRef.current;
    (form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('button[type="submit"]'))?.focus();
  }, [refused]);
  const today = todayIn(timezone);

  const change = <K extends keyof DetailsForm>(k: K, value: DetailsForm[K]) => {
    setForm((f) => ({ ...f, [k]: value }));
    setProblems((list) => list.filter((p) => p.path !== k && !(k.startsWith('ride') && p.path.startsWith('rideHome'))));
    setUnchanged(false);
  };
  const text = (k: Exclude<keyof DetailsForm, 'smsConsent'>) => (e: { target: { value: string } }) => change(k, e.target.value);
  const problem = (path: string) => problems.find((p) => p.path === path)?.message ?? fieldError(error, path);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (sending.current) return;
    const found = detailsProblems(form, today);
    setProblems(found);
    setError(undefined);
    if (found.length > 0) {
      setRefused((n) => n + 1);
      return;
    }
    const patch = changesOf(client, form);
    if (Object.keys(patch).length === 0) {
      setUnchanged(true);
      return;
    }
    sending.current = true;
    setBusy(true);
    try {
      const updated = await ok(api.PATCH('/v1/clients/{clientId}', { params: { path: { clientId: client.id } }, body: patch }));
      onSaved(updated);
    } catch (err) {
      setError(err);
      setBusy(false);
      setRefused((n) => n + 1);
    } finally {
      sending.current = false;
    }
  };

  return (
    <form ref={formRef} className="form details-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Edit client details">
      {unchanged && <Alert kind="info">Nothing was changed: there is nothing to save.</Alert>}
      <ErrorAlert error={error} title="The details were not saved" />
      {problems.length > 0 && (
        <Alert kind="error" title="The details were not saved">
          Please check the fields marked below.
        </Alert>
      )}
      <ClientFields
        form={form}
        today={today}
        onText={text}
        onConsent={(checked) => change('smsConsent', checked)}
        problem={problem}
        autoFocus
        rideLegend="Ride-home contact"
        rideHint="Needed before a dosing session. To remove the contact, clear both fields."
      />
      <div className="actions">
        <Button type="submit" busy={busy}>
          Save details
        </Button>
        <Button kind="secondary" disabled={busy} onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
