// The front desk adds a client to the clinic (POST /v1/clients): name, e-mail, mobile phone (typed
// as people do, sent as E.164), date of birth, consent to texts (asked of the client, never
// assumed) and an optional ride-home contact. The API's field errors sit under their fields, and a
// refusal puts focus on the first field to correct (else on what went wrong). Before adding, the
// clinic's clients are searched for the same e-mail address, phone number, or name and date of
// birth (client-match-rules.ts): a possible match is shown (focus moves to it) with a link to its
// chart, and the client is added only if the person chooses "Add as a new client anyway" — a
// second record would split the client's chart, invoices and credits. Once added, the page goes
// on to booking for the client (an intake is what a new client needs first).
import { useState, type FormEvent } from 'react';
import { useApp } from '../../app-context.tsx';
import { idempotencyKey, ok } from '../../api/client.ts';
import { describeError, fieldError, sessionEnded } from '../../api/errors.ts';
import { Alert, Button, ErrorAlert, Loading, PageTitle } from '../../components/ui.tsx';
import { birthDateProblem } from '../../lib/birth-date.ts';
import { clinicSetup } from '../../lib/clinic-data.ts';
import { formatDate, todayIn } from '../../lib/format.ts';
import { toE164 } from '../../lib/phone.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link, navigate } from '../../router.tsx';
import { useStaffClinic, withClinic, type StaffSession } from './common.tsx';
import { fullName, staffLinks } from './clients-data.ts';
import { matchQueries, matchWords, possibleMatches, type PossibleMatch } from './client-match-rules.ts';
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

/** What the check before adding found: possible matches, or that the search did not answer. */
type Check = { matches: PossibleMatch[] } | { failed: unknown };

function NewClientForm({ session, clinicId }: { session: StaffSession; clinicId: string }) {
  const { api } = useApp();
  const [form, setForm] = useState<Form>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  // shown until the form changes (a changed form is checked again)
  const [check, setCheck] = useState<Check>();
  // one key per version of the form: a double click adds one client, a corrected form is a new try
  const [key, setKey] = useState(idempotencyKey);
  // a date of birth is judged on the clinic's today, as the API does (the browser's until its zone is in)
  const setup = useLoad(() => clinicSetup(api, clinicId), [api, clinicId]);
  const today = todayIn(setup.data?.clinic.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [bornProblem, setBornProblem] = useState<string>();
  // a refusal: focus to the first field to correct, else to what went wrong
  const focus = useFocusOnRefusal<HTMLDivElement>();
  const links = staffLinks(session, clinicId);

  const change = <K extends keyof Form>(k: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [k]: value }));
    setKey(idempotencyKey());
    setCheck(undefined);
    if (k === 'dateOfBirth') setBornProblem(undefined);
  };
  const text = (k: Exclude<keyof Form, 'smsConsent'>) => (e: { target: { value: string } }) => change(k, e.target.value);

  /** The clinic's clients who may be this one (every search at once; one that fails fails the check). */
  const findMatches = async (): Promise<PossibleMatch[]> => {
    const found = await Promise.all(
      matchQueries(form).map((q) => ok(api.POST('/v1/clinics/{clinicId}/clients/search', { params: { path: { clinicId } }, body: { q } }))),
    );
    return possibleMatches(
      form,
      found.flatMap((r) => r.clients),
    );
  };

  const create = async () => {
    setBusy(true);
    setError(undefined);
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
      navigate(links.book(created.id));
    } catch (err) {
      setError(err);
      setCheck(undefined);
      setBusy(false);
      focus.refused();
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const born = birthDateProblem(form.dateOfBirth, today);
    setBornProblem(born);
    setError(undefined);
    setCheck(undefined);
    if (born) return focus.refused();
    setBusy(true);
    let matches: PossibleMatch[];
    try {
      matches = await findMatches();
    } catch (err) {
      setCheck({ failed: err });
      setBusy(false);
      return;
    }
    if (matches.length === 0) return create();
    setCheck({ matches });
    setBusy(false);
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
        {check && <MatchWarning check={check} links={links} />}
        <div className="actions">
          {/* after the warning, adding is a choice made against it; a changed form is checked again */}
          {check && !('failed' in check && sessionEnded(check.failed)) ? (
            <Button kind="secondary" busy={busy} onClick={() => void create()}>
              Add as a new client anyway
            </Button>
          ) : (
            <Button type="submit" busy={busy}>
              Add client
            </Button>
          )}
          <Link className="btn btn-secondary" href={withClinic('/staff/clients', session, clinicId)}>
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}

/**
 * Before adding: the clients who may be this one, each with what matched and a link to the chart,
 * or that the check could not be made; the form's button below then adds anyway. Takes focus: it
 * answers the button pressed, and is what to read before adding.
 */
function MatchWarning({ check, links }: { check: Check; links: ReturnType<typeof staffLinks> }) {
  if ('failed' in check) {
    // a session that ended: signing in again comes first (adding would be refused the same way)
    if (sessionEnded(check.failed)) return <ErrorAlert error={check.failed} title="The client was not added" focus />;
    return (
      <Alert kind="warning" title="We could not check whether this client already has a record" focusKey={check}>
        {describeError(check.failed)} You can look for them on the Clients page first, or add them now.
      </Alert>
    );
  }
  const one = check.matches.length === 1;
  return (
    <Alert kind="warning" title="This client may already have a record" focusKey={check}>
      <p>
        {one ? 'If this is the same person' : 'If one of them is the same person'}, open their chart: a second record would split their
        sessions, invoices and credits.
      </p>
      <ul className="client-matches">
        {check.matches.map(({ client, reasons }) => (
          <li key={client.id}>
            <Link href={links.chart(client.id)}>{fullName(client)}</Link>: {matchWords(reasons)} (born {formatDate(client.dateOfBirth)})
          </li>
        ))}
      </ul>
    </Alert>
  );
}
