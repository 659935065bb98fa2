// Time off (front desk, clinicians, admin; docs/api.md, "Time off (extension)"): the clinic's
// practitioners' time off from today for the next 31 days (GET …/time-off, the most one read
// covers; `?from=` and "Next 31 days" show later ones, as does adding one that starts later), and
// for the front desk and admin "Add time off" (POST …/providers/{id}/time-off, with an
// Idempotency-Key: a second click is the same entry) and Remove after a confirmation. Clinicians
// read it. The form's clinic-local dates and times become instants of the clinic's zone and are
// checked before sending (lib/time-off-rules.ts: the API's own rules); a 400's field errors sit
// under their fields. Adding time off moves no session: the answer's `held` sessions are listed,
// each with its move page and its day, for the desk to move or cancel.
import './time-off.css';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { paths } from '../../api/openapi';
import { ApiError, ok } from '../../api/client.ts';
import { fieldError } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { ConfirmPanel } from '../../components/confirm-panel.tsx';
import { Alert, Badge, Button, ErrorAlert, Field, Loading, PageTitle, Select, TableWrap } from '../../components/ui.tsx';
import { clinicSetup, type ClinicSetup } from '../../lib/clinic-data.ts';
import { addDays, formatDate, localDateOf, todayIn, zoneCity } from '../../lib/format.ts';
import {
  checkTimeOff,
  emptyTimeOffForm,
  EVERY_PRACTITIONER,
  periodZoneText,
  spanText,
  TIME_OFF_LABEL_MAX,
  timeOffWords,
  withFromDate,
  type TimeOffField,
  type TimeOffForm,
  type TimeOffPart,
} from '../../lib/time-off-rules.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { useStaffClinic, withClinic, type StaffSession } from './common.tsx';
import { isDate } from './finance-common.tsx';
import { FormProblem, useSettingsForm } from './settings-common.tsx';

export type TimeOff = paths['/v1/clinics/{clinicId}/time-off']['get']['responses'][200]['content']['application/json']['timeOff'][number];
type Added = paths['/v1/clinics/{clinicId}/providers/{providerId}/time-off']['post']['responses'][201]['content']['application/json'];

/** The days the page lists, today included: the most one read of the API covers. */
const DAYS = 31;

const LABELS: Record<TimeOffField, string> = { providerId: 'Practitioner', startsAt: 'From', endsAt: 'To', label: 'Label' };

const maxDate = (a: string, b: string) => (a > b ? a : b);

const providerNameOf = (setup: ClinicSetup, id: string) => setup.providers.find((p) => p.id === id)?.name ?? 'Practitioner';

const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Whose time off an entry is: a practitioner's, or the whole clinic's (providerId null: a closure). */
const whoseOf = (setup: ClinicSetup, providerId: string | null) =>
  providerId === null ? 'The whole clinic' : providerNameOf(setup, providerId);

export function TimeOffPage({ session }: { session: StaffSession }) {
  const { api } = useApp();
  const { clinicId, picker } = useStaffClinic(session);
  const setup = useLoad(async () => (clinicId ? { clinicId, setup: await clinicSetup(api, clinicId) } : undefined), [api, clinicId]);
  const ready = setup.data && setup.data.clinicId === clinicId ? setup.data.setup : undefined;
  const tz = ready?.clinic.timezone;
  const today = tz ? todayIn(tz) : undefined;
  const { path, query } = useLocation();
  const asked = query.get('from');
  // the period shown: from today, or a later date the address names
  const first = today && isDate(asked) && asked > today ? asked : today;
  const last = first ? addDays(first, DAYS - 1) : undefined;
  const list = useLoad(async () => {
    if (!clinicId || !first || !last) return undefined;
    const answer = await ok(
      api.GET('/v1/clinics/{clinicId}/time-off', { params: { path: { clinicId }, query: { from: first, to: last } } }),
    );
    return { clinicId, first, timeOff: answer.timeOff };
  }, [api, clinicId, first, last]);
  const entries = list.data && list.data.clinicId === clinicId && list.data.first === first ? list.data.timeOff : undefined;
  const showFrom = (date: string) => {
    const next = new URLSearchParams(query);
    if (date === today) next.delete('from');
    else next.set('from', date);
    const search = next.toString();
    navigate(search ? `${path}?${search}` : path);
  };
  const desk = session.role === 'frontdesk' || session.role === 'admin';
  const [note, setNote] = useState<{ text: string; at: number }>();

  if (setup.error) return <Page picker={picker} body={<ErrorAlert error={setup.error} title="Time off could not load" />} />;
  if (!ready || !tz || !today || !first || !last || !clinicId) return <Page picker={picker} body={<Loading />} />;

  return (
    <Page
      picker={picker}
      lead={
        <p className="lead">
          {ready.clinic.name}. Times are in {periodZoneText(tz, first, last)}. Nobody can book a practitioner in their time off, the front
          desk included.
          {!desk && ' Time off is entered by the front desk or an administrator.'}
        </p>
      }
      body={
        <>
          <section className="card" aria-labelledby="time-off-list">
            <h2 id="time-off-list">Coming up</h2>
            <p className="hint">
              {first === today ? `From today to ${formatDate(last)}` : `From ${formatDate(first)} to ${formatDate(last)}`}.{' '}
              <Link href={withClinic('/staff/day', session, clinicId)}>The day</Link> shows each practitioner’s time off in their column.
            </p>
            {note && (
              <Alert kind="success" focusKey={note.at}>
                {note.text}
              </Alert>
            )}
            {list.error ? (
              <ErrorAlert error={list.error} title="The time off could not load" />
            ) : !entries ? (
              <Loading />
            ) : entries.length === 0 ? (
              <p className="empty">No time off in these {DAYS} days.</p>
            ) : (
              <TimeOffTable
                entries={entries}
                setup={ready}
                clinicId={clinicId}
                desk={desk}
                onRemoved={(text) => {
                  setNote({ text, at: Date.now() });
                  void list.reload();
                }}
              />
            )}
            <div className="actions" role="group" aria-label="Period shown">
              {first > today && (
                <Button kind="secondary" onClick={() => showFrom(maxDate(today, addDays(first, -DAYS)))}>
                  Previous {DAYS} days
                </Button>
              )}
              <Button kind="secondary" onClick={() => showFrom(addDays(first, DAYS))}>
                Next {DAYS} days
              </Button>
            </div>
          </section>
          {desk && (
            <AddTimeOff
              key={clinicId}
              session={session}
              clinicId={clinicId}
              setup={ready}
              today={today}
              onAdded={(added) => {
                setNote(undefined);
                // new time off outside the period shown: the period it starts in, so that it is listed
                const starts = localDateOf(added.timeOff.startsAt);
                // wall clocks as the API writes them (the clinic's offset) compare as text
                const listed = starts <= last && added.timeOff.endsAt.slice(0, 16) > `${first}T00:00`;
                if (listed) void list.reload();
                else showFrom(maxDate(today, starts));
              }}
            />
          )}
        </>
      }
    />
  );
}

function Page({ picker, lead, body }: { picker: ReactNode; lead?: ReactNode; body: ReactNode }) {
  return (
    <div className="time-off-page">
      <PageTitle title="Time off">Time off</PageTitle>
      {picker}
      {lead}
      {body}
    </div>
  );
}

// --- the list, and Remove after a confirmation ------------------------------------------------

function TimeOffTable({
  entries,
  setup,
  clinicId,
  desk,
  onRemoved,
}: {
  entries: TimeOff[];
  setup: ClinicSetup;
  clinicId: string;
  desk: boolean;
  onRemoved: (note: string) => void;
}) {
  const { api } = useApp();
  const tz = setup.clinic.timezone;
  const [confirming, setConfirming] = useState<TimeOff>();
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<unknown>();
  const now = Date.now();
  const describe = (t: TimeOff) =>
    t.providerId === null
      ? `the clinic’s closure, ${spanText(t, tz)}`
      : `${providerNameOf(setup, t.providerId)}’s time off, ${spanText(t, tz)}`;

  const remove = async (t: TimeOff) => {
    if (removing) return;
    setRemoving(true);
    setError(undefined);
    try {
      await ok(
        api.POST('/v1/clinics/{clinicId}/time-off/{timeOffId}/remove', {
          params: { path: { clinicId, timeOffId: t.id } },
          body: {},
        }),
      );
      setConfirming(undefined);
      onRemoved(`${upperFirst(describe(t))}, was removed. That time can be booked again, within their weekly hours.`);
    } catch (caught) {
      // removed meanwhile (another desk): the list as it is now says so
      if (caught instanceof ApiError && caught.status === 404) {
        setConfirming(undefined);
        onRemoved(`${upperFirst(describe(t))}, had already been removed.`);
      } else setError(caught);
    } finally {
      setRemoving(false);
    }
  };

  return (
    <>
      <TableWrap label="Time off by start">
        <table className="stack-on-phone time-off-table">
          <caption className="visually-hidden">Time off from today, by start</caption>
          <thead>
            <tr>
              <th scope="col">Practitioner</th>
              <th scope="col">When</th>
              <th scope="col">Label</th>
              {desk && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {entries.map((t) => {
              const started = Date.parse(t.startsAt) <= now;
              const over = Date.parse(t.endsAt) <= now;
              return (
                <tr key={t.id}>
                  <th scope="row">{t.providerId === null ? 'The whole clinic (closed)' : providerNameOf(setup, t.providerId)}</th>
                  <td>
                    {spanText(t, tz)}
                    {(started || over) && (
                      <>
                        {' '}
                        <Badge tone={over ? 'neutral' : 'warn'}>{over ? 'Over' : 'Now'}</Badge>
                      </>
                    )}
                  </td>
                  <td>{t.label ?? <span className="muted">—</span>}</td>
                  {desk && (
                    <td className="time-off-action">
                      <Button
                        kind="secondary"
                        className="btn-small"
                        aria-expanded={confirming?.id === t.id}
                        onClick={() => {
                          setError(undefined);
                          setConfirming(t);
                        }}
                      >
                        Remove<span className="visually-hidden"> {describe(t)}</span>
                      </Button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {confirming && (
        <ConfirmPanel
          subject={confirming}
          question={`Remove ${describe(confirming)}?`}
          hint={
            confirming.providerId === null
              ? 'Clients can then book every practitioner in that time again, within their hours.'
              : `Clients can then book ${providerNameOf(setup, confirming.providerId)} in that time again, within their hours.`
          }
          error={error}
          errorTitle="The time off was not removed"
          yes="Yes, remove it"
          no="Keep it"
          busy={removing}
          onYes={() => void remove(confirming)}
          onNo={() => setConfirming(undefined)}
        />
      )}
    </>
  );
}

// --- Add time off ---------------------------------------------------------------------------

function AddTimeOff({
  session,
  clinicId,
  setup,
  today,
  onAdded,
}: {
  session: StaffSession;
  clinicId: string;
  setup: ClinicSetup;
  today: string;
  onAdded: (added: Added) => void;
}) {
  const { api } = useApp();
  const tz = setup.clinic.timezone;
  const [form, setForm] = useState<TimeOffForm>(emptyTimeOffForm);
  const [added, setAdded] = useState<{ answer: Added; at: number }>();
  const [parts, setParts] = useState<Partial<Record<'startsAt' | 'endsAt', TimeOffPart>>>({});
  // one key per form as filled in: a second click is the same entry, a changed form a new one
  const sending = useSettingsForm(clinicId);
  const { local, error } = sending;
  const change = (update: (f: TimeOffForm) => TimeOffForm) => {
    setForm(update);
    sending.renewKey();
  };
  /** The browser's check first, else the API's 400 for the field, in the same words. */
  const err = (field: TimeOffField) => {
    const api400 = fieldError(error, field);
    return local[field] ?? (api400 ? timeOffWords(api400) : undefined);
  };

  const submit = (e: FormEvent) =>
    sending.submit(
      e,
      () => {
        const { problems, parts: wrong, request } = checkTimeOff(form, tz, Date.now());
        setParts(wrong);
        return {
          problems,
          ...(request && {
            // a closure is one entry for the whole clinic, those practitioners added later included
            send: (key: string) =>
              request.providerId === null
                ? ok(
                    api.POST('/v1/clinics/{clinicId}/time-off', {
                      params: { path: { clinicId } },
                      headers: { 'idempotency-key': key },
                      body: request.body,
                    }),
                  )
                : ok(
                    api.POST('/v1/clinics/{clinicId}/providers/{providerId}/time-off', {
                      params: { path: { clinicId, providerId: request.providerId } },
                      headers: { 'idempotency-key': key },
                      body: request.body,
                    }),
                  ),
          }),
        };
      },
      (answer) => {
        setAdded({ answer, at: Date.now() });
        setForm(emptyTimeOffForm());
        onAdded(answer);
      },
    );

  return (
    <section className="card" aria-labelledby="add-time-off">
      <h2 id="add-time-off">Add time off</h2>
      {added && <AddedNote added={added} setup={setup} session={session} clinicId={clinicId} />}
      <form className="form time-off-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="add-time-off">
        <p className="hint">
          A holiday, a conference, an afternoon away. Sessions already booked in it stay booked: this page lists them for you to move or
          cancel.
        </p>
        <FormProblem error={error} local={local} title="The time off was not added" labels={LABELS} />
        <Select
          label="Practitioner"
          value={form.providerId}
          onChange={(providerId) => change((f) => ({ ...f, providerId }))}
          options={[
            { value: '', label: 'Choose…' },
            ...setup.providers.map((p) => ({ value: p.id, label: p.name })),
            { value: EVERY_PRACTITIONER, label: 'The whole clinic (closed: every practitioner)' },
          ]}
          error={err('providerId')}
        />
        <WhenFields
          legend="From"
          hint={`In the clinic’s time: ${zoneCity(tz)} time.`}
          date={form.fromDate}
          time={form.fromTime}
          min={today}
          onDate={(date) => change((f) => withFromDate(f, date))}
          onTime={(time) => change((f) => ({ ...f, fromTime: time }))}
          error={err('startsAt')}
          part={parts.startsAt}
        />
        <WhenFields
          legend="To"
          hint="When they can be booked again: 1:00 PM for a morning off, 12:00 AM of the next day for a whole day."
          date={form.toDate}
          time={form.toTime}
          min={form.fromDate || today}
          onDate={(date) => change((f) => ({ ...f, toDate: date }))}
          onTime={(time) => change((f) => ({ ...f, toTime: time }))}
          error={err('endsAt')}
          part={parts.endsAt}
        />
        <Field
          label="Label"
          hint={`Optional, for staff only (clients never see it), e.g. Conference. At most ${TIME_OFF_LABEL_MAX} characters.`}
          autoComplete="off"
          value={form.label}
          onChange={(e) => {
            const label = e.target.value;
            change((f) => ({ ...f, label }));
          }}
          error={err('label')}
        />
        <Button type="submit" busy={sending.busy}>
          Add time off
        </Button>
      </form>
    </section>
  );
}

/**
 * A clinic-local date and a time of day, with one message for both (the API's field is the
 * instant); `part`: the one of the two to correct, when it is one alone.
 */
function WhenFields({
  legend,
  hint,
  date,
  time,
  min,
  onDate,
  onTime,
  error,
  part,
}: {
  legend: string;
  hint: string;
  date: string;
  time: string;
  min: string;
  onDate: (date: string) => void;
  onTime: (time: string) => void;
  error: string | undefined;
  part: TimeOffPart | undefined;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = error ? `${hintId} ${errorId}` : hintId;
  return (
    <fieldset className="time-off-when">
      <legend>{legend}</legend>
      <p className="hint" id={hintId}>
        {hint}
      </p>
      <div className="time-off-when-fields">
        <div className="field">
          <label htmlFor={`${id}-date`}>
            <span className="visually-hidden">{legend} </span>Date
          </label>
          <input
            id={`${id}-date`}
            type="date"
            value={date}
            min={min}
            max="2100-12-31"
            aria-invalid={error && part !== 'time' ? true : undefined}
            aria-describedby={describedBy}
            onChange={(e) => onDate(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-time`}>
            <span className="visually-hidden">{legend} </span>Time
          </label>
          <input
            id={`${id}-time`}
            type="time"
            step={900}
            value={time}
            aria-invalid={error && part !== 'date' ? true : undefined}
            aria-describedby={describedBy}
            onChange={(e) => onTime(e.target.value)}
          />
        </div>
      </div>
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

/**
 * What was added (one practitioner's time off, or every practitioner's when the clinic closes),
 * and the sessions still booked in it, by start, each with whose it is, where to move it and its day.
 */
function AddedNote({
  added,
  setup,
  session,
  clinicId,
}: {
  added: { answer: Added; at: number };
  setup: ClinicSetup;
  session: StaffSession;
  clinicId: string;
}) {
  const tz = setup.clinic.timezone;
  const { timeOff, held } = added.answer;
  const closed = timeOff.providerId === null;
  return (
    <>
      <Alert kind="success" title="Time off added" focusKey={added.at}>
        {whoseOf(setup, timeOff.providerId)}
        {closed ? ' (closed)' : ''}: {spanText(timeOff, tz)}
        {timeOff.label ? ` (${timeOff.label})` : ''}.{' '}
        {held.length === 0 ? (closed ? 'No session is booked in it.' : 'No session of theirs is booked in it.') : ''}
      </Alert>
      {held.length > 0 && (
        <Alert kind="warning" live={false} title="These sessions are still booked in this time off: move or cancel each">
          <p>
            Nothing was moved or cancelled. Call each client first, then move the session to another time or practitioner, or cancel it.
          </p>
          <ul className="time-off-held">
            {held.map((h) => (
              <li key={h.id}>
                <strong>{spanText(h, tz)}</strong>
                {closed ? ` with ${providerNameOf(setup, h.providerId)}` : ''}{' '}
                <span className="time-off-held-links">
                  <Link href={withClinic(`/staff/appointments/${h.id}/reschedule`, session, clinicId)}>
                    Move<span className="visually-hidden"> the session of {spanText(h, tz)}</span>
                  </Link>{' '}
                  ·{' '}
                  <Link href={withClinic(`/staff/day?date=${localDateOf(h.startsAt)}`, session, clinicId)}>
                    Day view<span className="visually-hidden"> of {formatDate(localDateOf(h.startsAt))}</span>
                  </Link>
                </span>
              </li>
            ))}
          </ul>
        </Alert>
      )}
    </>
  );
}
