// The clinic's practitioners: the list (GET …/providers) and a new one (POST …/providers): name,
// role, credentials, NPI (checked in the browser first: 10 digits and the CMS check digit), licence,
// telehealth, and weekly hours (one window a weekday, the clinic's wall-clock time). Each create
// carries an Idempotency-Key: a second click, or a retry of the same form, is the same practitioner.
// Each practitioner's video room link (PUT …/providers/{providerId}/video-room): saved or cleared
// on its own, checked first in lib/video-room-rules.ts.
import { useState, type FormEvent } from 'react';
import { ok } from '../../api/client.ts';
import { fieldError } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { Alert, Badge, Button, Checkbox, ErrorAlert, Field, Loading, Select, TableWrap } from '../../components/ui.tsx';
import type { Clinic, Provider } from '../../lib/clinic-data.ts';
import { zoneLabel, zoneShort } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { checkVideoRoomUrl } from '../../lib/video-room-rules.ts';
import {
  DAY_NAMES,
  errorFor,
  FormProblem,
  npiProblem,
  useSettingsForm,
  useUnsaved,
  wallTime,
  WEEKDAYS,
  type Checked,
  type LocalErrors,
  type Weekday,
} from './settings-common.tsx';

const ROLE_NAMES = { therapist: 'Therapist', prescriber: 'Prescriber' } as const;

export function ProvidersSection({ clinic }: { clinic: Clinic }) {
  const { api } = useApp();
  const list = useLoad(
    () => ok(api.GET('/v1/clinics/{clinicId}/providers', { params: { path: { clinicId: clinic.id } } })),
    [api, clinic.id],
  );
  const [added, setAdded] = useState<string>();
  return (
    <>
      <section className="card" aria-labelledby="providers-title">
        <h2 id="providers-title">Practitioners</h2>
        {added && <Alert kind="success">{added} was added.</Alert>}
        {list.error ? (
          <ErrorAlert error={list.error} title="The practitioners could not load" />
        ) : !list.data ? (
          <Loading />
        ) : list.data.length === 0 ? (
          <p className="empty">No practitioners yet.</p>
        ) : (
          <ProviderTable providers={list.data} clinic={clinic} />
        )}
      </section>
      {list.data && list.data.length > 0 && (
        <section className="card" aria-labelledby="video-rooms-title">
          <h2 id="video-rooms-title">Video room links</h2>
          <p className="hint">
            Each practitioner’s own video room, such as a Doxy.me or Zoom personal room. Clients see it on their video sessions only, from
            15 minutes before the start. It is never sent by text message.
          </p>
          <ul className="video-rooms">
            {list.data.map((p) => (
              <li key={p.id}>
                <VideoRoomForm clinic={clinic} provider={p} onSaved={() => void list.reload()} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <NewProvider
        clinic={clinic}
        onAdded={(p) => {
          setAdded(p.name);
          void list.reload();
        }}
      />
    </>
  );
}

function ProviderTable({ providers, clinic }: { providers: Provider[]; clinic: Clinic }) {
  return (
    <TableWrap label={`Practitioners of ${clinic.name}`}>
      <table>
        <caption className="visually-hidden">Practitioners of {clinic.name}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">NPI and licence</th>
            <th scope="col">Weekly hours ({zoneShort(clinic.timezone)})</th>
          </tr>
        </thead>
        <tbody>
          {providers.map((p) => (
            <tr key={p.id}>
              <th scope="row">
                {p.name}
                <span className="row-detail">{p.credentials}</span>
              </th>
              <td>
                {ROLE_NAMES[p.role]}
                {p.telehealth && (
                  <span className="row-detail">
                    <Badge tone="good">Video</Badge>
                  </span>
                )}
              </td>
              <td>
                {p.npi ? `NPI ${p.npi}` : <span className="muted">No NPI</span>}
                {p.licence && (
                  <span className="row-detail">
                    Licence {p.licence.number} ({p.licence.jurisdiction})
                  </span>
                )}
              </td>
              <td>{hoursText(p.weeklyHours)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** One practitioner's link: Save sends what is typed (checked first), Clear removes it. */
function VideoRoomForm({ clinic, provider, onSaved }: { clinic: Clinic; provider: Provider; onSaved: () => void }) {
  const { api } = useApp();
  const saved = provider.videoRoomUrl ?? '';
  const [typed, setTyped] = useState(saved);
  const [done, setDone] = useState<string>();
  const sending = useSettingsForm(clinic.id);
  useUnsaved(`video-room-${provider.id}`, typed.trim() !== saved);
  const titleId = `video-room-${provider.id}`;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    // the button pressed: Clear sends null whatever is typed
    const clearing = (e.nativeEvent as SubmitEvent).submitter?.getAttribute('value') === 'clear';
    setDone(undefined);
    return sending.submit(
      e,
      (): Checked<Provider> => {
        const checked = clearing ? { url: null } : checkVideoRoomUrl(typed);
        if (checked.url === undefined) return { problems: { url: checked.problem ?? '' } };
        const url = checked.url;
        return {
          problems: {},
          send: () =>
            ok(
              api.PUT('/v1/clinics/{clinicId}/providers/{providerId}/video-room', {
                params: { path: { clinicId: clinic.id, providerId: provider.id } },
                body: { url },
              }),
            ),
        };
      },
      (answer) => {
        setTyped(answer.videoRoomUrl ?? '');
        setDone(answer.videoRoomUrl ? 'Saved.' : 'Cleared: no video room link.');
        onSaved();
      },
    );
  };

  return (
    <form className="form video-room" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={titleId}>
      <h3 id={titleId}>
        {provider.name}
        {!provider.telehealth && <span className="row-detail">Does not offer sessions by video</span>}
      </h3>
      <FormProblem error={sending.error} local={sending.local} title="The link was not saved" labels={{ url: 'Video room link' }} />
      <Field
        label="Video room link"
        hint="Starts with https://"
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        value={typed}
        onChange={(e) => {
          setTyped(e.target.value);
          setDone(undefined);
        }}
        error={sending.err('url')}
      />
      <div className="actions">
        <Button type="submit" value="save" busy={sending.busy}>
          Save
        </Button>
        {saved !== '' && (
          <Button type="submit" value="clear" kind="secondary" disabled={sending.busy}>
            Clear
          </Button>
        )}
        {done && (
          <p role="status" className="saved">
            {done}
          </p>
        )}
      </div>
    </form>
  );
}

/** "Mon–Fri 9:00 AM–5:00 PM; Sat 9:00 AM–1:00 PM": runs of days with the same window together. */
function hoursText(hours: Provider['weeklyHours']): string {
  if (hours.length === 0) return 'No hours';
  const sorted = [...hours].sort((a, b) => WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day) || a.start.localeCompare(b.start));
  const runs: { first: Weekday; last: Weekday; start: string; end: string }[] = [];
  for (const h of sorted) {
    const run = runs.at(-1);
    if (run && run.start === h.start && run.end === h.end && WEEKDAYS.indexOf(h.day) === WEEKDAYS.indexOf(run.last) + 1) run.last = h.day;
    else runs.push({ first: h.day, last: h.day, start: h.start, end: h.end });
  }
  const short = (d: Weekday) => DAY_NAMES[d].slice(0, 3);
  return runs
    .map((r) => `${short(r.first)}${r.first === r.last ? '' : `–${short(r.last)}`} ${wallTime(r.start)}–${wallTime(r.end)}`)
    .join('; ');
}

interface Day {
  works: boolean;
  start: string;
  end: string;
}
interface Form {
  name: string;
  role: 'therapist' | 'prescriber';
  credentials: string;
  npi: string;
  licenceNumber: string;
  jurisdiction: string;
  telehealth: boolean;
  days: Record<Weekday, Day>;
}

const emptyForm = (): Form => ({
  name: '',
  role: 'therapist',
  credentials: '',
  npi: '',
  licenceNumber: '',
  jurisdiction: '',
  telehealth: false,
  days: Object.fromEntries(WEEKDAYS.map((d) => [d, { works: !['sat', 'sun'].includes(d), start: '09:00', end: '17:00' }])) as Record<
    Weekday,
    Day
  >,
});

const LABELS: Record<string, string> = {
  name: 'Name',
  role: 'Role',
  credentials: 'Credentials',
  npi: 'NPI',
  'licence.number': 'Licence number',
  'licence.jurisdiction': 'Licensed in',
  telehealth: 'Offers sessions by video',
  weeklyHours: 'Weekly hours',
};

function NewProvider({ clinic, onAdded }: { clinic: Clinic; onAdded: (p: Provider) => void }) {
  const { api } = useApp();
  const [form, setForm] = useState(emptyForm);
  useUnsaved('new-provider', JSON.stringify(form) !== JSON.stringify(emptyForm()));
  // one key per form as filled in: a second click is the same practitioner, a changed form a new one
  const sending = useSettingsForm(clinic.id);
  const us = clinic.country === 'US';

  const change = (update: (f: Form) => Form) => {
    setForm(update);
    sending.renewKey();
  };
  const set = (k: 'name' | 'credentials' | 'npi' | 'licenceNumber' | 'jurisdiction') => (e: { target: { value: string } }) =>
    change((f) => ({ ...f, [k]: e.target.value }));
  const setDay = (d: Weekday, patch: Partial<Day>) => change((f) => ({ ...f, days: { ...f.days, [d]: { ...f.days[d], ...patch } } }));
  const working = WEEKDAYS.filter((d) => form.days[d].works);
  const { err, local, error } = sending;
  /** The API names a window by its place in the list sent: back to its day. */
  const dayError = (d: Weekday) => {
    const i = working.indexOf(d);
    return i < 0 ? local[`day.${d}`] : (local[`day.${d}`] ?? errorFor({}, error, `weeklyHours.${i}`));
  };

  const submit = (e: FormEvent) =>
    sending.submit(
      e,
      () => {
        const problems: LocalErrors = {};
        if (form.name.trim() === '') problems.name = 'Enter the practitioner’s name.';
        if (form.credentials.trim() === '') problems.credentials = 'Enter the credentials, e.g. LCSW or MD.';
        const npi = form.npi.replace(/\s/g, '');
        const npiWrong = npi === '' ? undefined : npiProblem(npi);
        if (npiWrong) problems.npi = npiWrong;
        const licenceNumber = form.licenceNumber.trim();
        const jurisdiction = form.jurisdiction.trim().toUpperCase();
        if (licenceNumber && !jurisdiction) problems['licence.jurisdiction'] = 'Enter where the licence was issued, e.g. NY or ON.';
        if (jurisdiction && !licenceNumber) problems['licence.number'] = 'Enter the licence number too.';
        for (const d of working) {
          const { start, end } = form.days[d];
          if (!/^\d{2}:\d{2}$/.test(start) || !/^\d{2}:\d{2}$/.test(end)) problems[`day.${d}`] = 'Enter a start and an end time.';
          else if (start >= end) problems[`day.${d}`] = 'The start must be before the end.';
        }
        return {
          problems,
          send: (key) =>
            ok(
              api.POST('/v1/clinics/{clinicId}/providers', {
                params: { path: { clinicId: clinic.id } },
                headers: { 'idempotency-key': key },
                body: {
                  name: form.name.trim(),
                  role: form.role,
                  credentials: form.credentials.trim(),
                  ...(npi ? { npi } : {}),
                  ...(licenceNumber ? { licence: { number: licenceNumber, jurisdiction } } : {}),
                  telehealth: form.telehealth,
                  weeklyHours: working.map((day) => ({ day, start: form.days[day].start, end: form.days[day].end })),
                },
              }),
            ),
        };
      },
      (provider) => {
        setForm(emptyForm());
        onAdded(provider);
      },
    );

  return (
    <form className="card form settings-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-provider-title">
      <h2 id="new-provider-title">Add a practitioner</h2>
      <FormProblem
        error={error}
        local={local}
        title="The practitioner was not added"
        labels={{ ...LABELS, ...Object.fromEntries(WEEKDAYS.map((d) => [`day.${d}`, DAY_NAMES[d]])) }}
      />
      <div className="grid-2 tight">
        <Field label="Name" autoComplete="off" value={form.name} onChange={set('name')} error={err('name')} />
        <Select
          label="Role"
          value={form.role}
          onChange={(v) => change((f) => ({ ...f, role: v === 'prescriber' ? 'prescriber' : 'therapist' }))}
          options={[
            { value: 'therapist', label: 'Therapist' },
            { value: 'prescriber', label: 'Prescriber (medical evaluations)' },
          ]}
        />
        <Field
          label="Credentials"
          hint="e.g. LCSW, PsyD, MD."
          autoComplete="off"
          value={form.credentials}
          onChange={set('credentials')}
          error={err('credentials')}
        />
        <Field
          label="NPI"
          hint={us ? '10 digits. Needed on superbills.' : '10 digits, US practitioners only. Optional.'}
          inputMode="numeric"
          autoComplete="off"
          value={form.npi}
          onChange={set('npi')}
          error={err('npi')}
        />
        <Field
          label="Licence number"
          hint="Optional."
          autoComplete="off"
          value={form.licenceNumber}
          onChange={set('licenceNumber')}
          error={err('licence.number')}
        />
        <Field
          label="Licensed in"
          hint={`State or province, two letters, e.g. ${us ? 'NY' : 'ON'}.`}
          autoComplete="off"
          maxLength={2}
          value={form.jurisdiction}
          onChange={set('jurisdiction')}
          error={err('licence.jurisdiction')}
        />
      </div>
      <Checkbox
        label="Offers sessions by video"
        checked={form.telehealth}
        onChange={(e) => {
          const telehealth = e.target.checked;
          change((f) => ({ ...f, telehealth }));
        }}
      />
      <fieldset className="weekly-hours">
        <legend>Weekly hours</legend>
        <p className="hint">In the clinic’s time: {zoneLabel(clinic.timezone)}.</p>
        {fieldError(error, 'weeklyHours') && <p className="field-error">{fieldError(error, 'weeklyHours')}</p>}
        <ul className="week-hours">
          {WEEKDAYS.map((d) => {
            const day = form.days[d];
            const problem = dayError(d);
            const id = `hours-${d}`;
            return (
              <li key={d} className="day-hours">
                <div className="checkbox">
                  <input
                    type="checkbox"
                    id={`${id}-works`}
                    checked={day.works}
                    onChange={(e) => {
                      const works = e.target.checked;
                      setDay(d, { works });
                    }}
                  />
                  <label htmlFor={`${id}-works`}>{DAY_NAMES[d]}</label>
                </div>
                <div className="field">
                  <label htmlFor={`${id}-start`}>
                    <span className="visually-hidden">{DAY_NAMES[d]} </span>From
                  </label>
                  <input
                    id={`${id}-start`}
                    type="time"
                    value={day.start}
                    disabled={!day.works}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={problem ? `${id}-error` : undefined}
                    onChange={(e) => setDay(d, { start: e.target.value })}
                  />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-end`}>
                    <span className="visually-hidden">{DAY_NAMES[d]} </span>To
                  </label>
                  <input
                    id={`${id}-end`}
                    type="time"
                    value={day.end}
                    disabled={!day.works}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={problem ? `${id}-error` : undefined}
                    onChange={(e) => setDay(d, { end: e.target.value })}
                  />
                </div>
                {problem && (
                  <p className="field-error" id={`${id}-error`}>
                    {problem}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      </fieldset>
      <Button type="submit" busy={sending.busy}>
        Add practitioner
      </Button>
    </form>
  );
}
