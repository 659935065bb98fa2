// The front desk adds a client to the clinic (POST /v1/clients): name, e-mail, mobile phone (typed
// as people do, sent as E.164), date of birth, consent to texts (asked of the client, never
// assumed) and an optional ride-home contact. The API's field errors sit under their fields, and a
// refusal puts focus on the first field to correct (else on what went wrong). Once
// added, the page goes on to booking for the client (an intake is what a new client needs first).
import { useState, type FormEvent } from 'react';
import { useApp } from '../../app-context.tsx';
import { idempotencyKey, ok } from '../../api/client.ts';
import { fieldError } from '../../api/errors.ts';
import { Button, ErrorAlert, Loading, PageTitle } from '../../components/ui.tsx';
import { birthDateProblem } from '../../lib/birth-date.ts';
import { clinicSetup } from '../../lib/clinic-data.ts';
import { todayIn } from '../../lib/format.ts';
import { toE164 } from '../../lib/phone.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link, navigate } from '../../router.tsx';
import { useStaffClinic, withClinic, type StaffSession } from './common.tsx';
import { staffLinks } from './clients-data.ts';
import type { DetailsForm as Form } from './client-details.ts';
import { ClientFields } from './client-fields.tsx';
import { useFocusOnRefusal } from './form-focus.ts';
import './clients-pages.css';

const EMPTY: Form = {
  firstName: '',
  lastName: '',
  email: '',
  phone: '',
  dateOfBirth: '',
  smsConsent: false,
  rideName: '',
  ridePhone: '',
};

export function NewClientPage({ session }: { session: StaffSession }) {
  const { clinicId, picker } = useStaffClinic(session);
  return (
    <>
      <PageTitle title="Add a client">Add a new client</PageTitle>
      {picker}
      {clinicId ? <NewClientForm key={clinicId} session={session} clinicId={clinicId} /> : <Loading />}
    </>
  );
}

function NewClientForm({ session, clinicId }: { session: StaffSession; clinicId: string }) {
  const { api } = useApp();
  const [form, setForm] = useState<Form>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  // one key per version of the form: a double click adds one client, a corrected form is a new try
  const [key, setKey] = useState(idempotencyKey);
  // a date of birth is judged on the clinic's today, as the API does (the browser's until its zone is in)
  const setup = useLoad(() => clinicSetup(api, clinicId), [api, clinicId]);
  const today = todayIn(setup.data?.clinic.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [bornProblem, setBornProblem] = useState<string>();
  // a refusal: focus to the first field to correct, else to what went wrong
  const focus = useFocusOnRefusal<HTMLDivElement>();

  const change = <K extends keyof Form>(k: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [k]: value }));
    setKey(idempotencyKey());
    if (k === 'dateOfBirth') setBornProblem(undefined);
  };
  const text = (k: Exclude<keyof Form, 'smsConsent'>) => (e: { target: { value: string } }) => change(k, e.target.value);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const born = birthDateProblem(form.dateOfBirth, today);
    setBornProblem(born);
    setError(undefined);
    if (born) return focus.refused();
    setBusy(true);
    const rideName = form.rideName.trim();
    const ridePhone = form.ridePhone.trim();
    try {
      const created = await ok(
        api.POST('/v1/clients', {
          headers: { 'Idempotency-Key': key },
          body: {
            clinicId,
            firstName: form.firstName.trim(),
            lastName: form.lastName.trim(),
            email: form.email.trim(),
            phone: toE164(form.phone),
            dateOfBirth: form.dateOfBirth,
            smsConsent: form.smsConsent,
            ...(rideName === '' && ridePhone === '' ? {} : { rideHome: { name: rideName, phone: toE164(ridePhone) } }),
          },
        }),
      );
      navigate(staffLinks(session, clinicId).book(created.id));
    } catch (err) {
      setError(err);
      setBusy(false);
      focus.refused();
    }
  };

  return (
    <div ref={focus.ref}>
      <p className="lead">The new client’s record at this clinic. Next you book their first session (usually the intake).</p>
      {error !== undefined && (
        <div data-problem tabIndex={-1} className="form-problem">
          <ErrorAlert error={error} title="The client was not added" />
        </div>
      )}
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate aria-label="New client">
        <ClientFields
          form={form}
          today={today}
          onText={text}
          onConsent={(checked) => change('smsConsent', checked)}
          problem={(path) => (path === 'dateOfBirth' ? (bornProblem ?? fieldError(error, path)) : fieldError(error, path))}
          rideLegend="Ride-home contact (optional)"
          rideHint="Needed before a dosing session: the client may not drive for at least 8 hours afterwards. It can be added later on the client’s chart (Edit details)."
        />
        <div className="actions">
          <Button type="submit" busy={busy}>
            Add client
          </Button>
          <Link className="btn btn-secondary" href={withClinic('/staff/clients', session, clinicId)}>
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}
