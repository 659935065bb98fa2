// "A dosing day at a glance": each exploration of the day with whether the client's intake,
// clearance, preparation and ride home are in order. The schedule's flags say what the API
// checks on the day (an intake and the preparation sessions before this one, clearance valid on
// the date, a ride home on file); the client's status
// (GET /v1/clients/{id}: a few per day) adds the intake and the preparation sessions. Each check
// is a symbol and words, never colour alone.
import { memo } from 'react';
import { ErrorAlert, TableWrap } from '../../components/ui.tsx';
import type { Client, ClinicSetup } from '../../lib/clinic-data.ts';
import { formatDate, formatTime } from '../../lib/format.ts';
import { FLAGS, flagsOf, type Shown, type ScheduleAppointment } from './day-layout.ts';

type State = 'ok' | 'pending' | 'missing' | 'unknown';
interface Check {
  state: State;
  text: string;
}

const SYMBOL: Record<State, string> = { ok: '✓', pending: '!', missing: '✗', unknown: '?' };
const STATE_WORD: Record<State, string> = { ok: 'In order', pending: 'Not yet', missing: 'Missing', unknown: 'Not known' };

function CheckCell({ check }: { check: Check }) {
  return (
    <td className={`glance-check glance-${check.state}`}>
      <span className="glance-symbol" aria-hidden="true">
        {SYMBOL[check.state]}
      </span>{' '}
      <span className="visually-hidden">{STATE_WORD[check.state]}: </span>
      {check.text}
    </td>
  );
}

function checks(
  s: Shown,
  client: Client | undefined,
  day: readonly ScheduleAppointment[],
  setup: ClinicSetup,
): { intake: Check; clearance: Check; preparation: Check; rideHome: Check } {
  const a = s.a;
  const tz = setup.clinic.timezone;
  const required = setup.clinic.policy.requiredPreparationSessions;
  const status = client?.status;
  const flags = flagsOf(a);

  let intake: Check;
  // the schedule's own check of the course (sessions before this one, on the plan) comes first
  if (flags.includes('intake_missing')) intake = { state: 'missing', text: 'None done or booked before this session' };
  else if (!status) intake = { state: 'unknown', text: 'Not known' };
  else if (status.intakeCompleted) intake = { state: 'ok', text: 'Completed' };
  else {
    const today = day.find(
      (x) =>
        x.clientId === a.clientId &&
        x.service === 'intake' &&
        x.status !== 'cancelled' &&
        x.status !== 'no_show' &&
        x.startsAt < a.startsAt,
    );
    // not flagged: one is booked before this session, today or on an earlier day
    intake = today
      ? { state: 'pending', text: `Not completed yet (today at ${formatTime(today.startsAt, tz)})` }
      : { state: 'pending', text: 'Booked, not completed yet' };
  }

  let clearance: Check;
  if (flags.includes('clearance_missing')) {
    // the schedule's flag, in the words the card's badge uses (FLAGS), with why when the status says
    const why =
      status?.clearance.status === 'expired'
        ? 'expired'
        : status?.clearance.status === 'not_cleared'
          ? 'recorded as not cleared'
          : status?.clearance.status === 'none'
            ? 'none on file'
            : 'not valid on this date';
    clearance = { state: 'missing', text: `${FLAGS.clearance_missing.label} (${why})` };
  } else {
    const until = status?.clearance.validUntil;
    clearance = { state: 'ok', text: until ? `Cleared until ${formatDate(until)}` : 'Cleared' };
  }

  let preparation: Check;
  if (!status) preparation = { state: 'unknown', text: `${required} needed` };
  else {
    const done = status.preparationCompleted;
    const booked = status.preparationCount - done;
    const text = `${done} of ${required} completed${booked > 0 ? `, ${booked} booked` : ''}`;
    preparation = { state: done >= required ? 'ok' : status.preparationCount >= required ? 'pending' : 'missing', text };
  }
  if (flags.includes('preparation_missing')) preparation = { state: 'missing', text: `Fewer than ${required} before this session` };

  const rideHome: Check = flags.includes('ride_home_missing')
    ? { state: 'missing', text: 'No contact on file' }
    : { state: 'ok', text: 'On file' };
  return { intake, clearance, preparation, rideHome };
}

export const DosingGlance = memo(function DosingGlance({
  explorations,
  day,
  clients,
  error,
  setup,
  dateLabel,
}: {
  explorations: readonly Shown[];
  day: readonly ScheduleAppointment[];
  clients: ReadonlyMap<string, Client> | undefined;
  error: unknown;
  setup: ClinicSetup;
  dateLabel: string;
}) {
  return (
    <section aria-labelledby="dosing-glance" className="dosing-glance">
      <h2 id="dosing-glance">A dosing day at a glance</h2>
      {explorations.length === 0 ? (
        <p className="muted">No dosing sessions on {dateLabel}.</p>
      ) : (
        <>
          {error ? <ErrorAlert error={error} title="The clients’ intake and preparation could not load" /> : null}
          <TableWrap label="Dosing sessions and what they need">
            <table>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Client</th>
                  <th scope="col">Room</th>
                  <th scope="col">Provider</th>
                  <th scope="col">Intake</th>
                  <th scope="col">Clearance</th>
                  <th scope="col">Preparation</th>
                  <th scope="col">Ride home</th>
                </tr>
              </thead>
              <tbody>
                {explorations.map((s) => {
                  const c = checks(s, clients?.get(s.a.clientId), day, setup);
                  return (
                    <tr key={s.a.id}>
                      <td className="nowrap">{s.time}</td>
                      <th scope="row">{s.a.client?.name ?? 'Client'}</th>
                      <td>{s.room ?? '—'}</td>
                      <td>{s.provider}</td>
                      <CheckCell check={c.intake} />
                      <CheckCell check={c.clearance} />
                      <CheckCell check={c.preparation} />
                      <CheckCell check={c.rideHome} />
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
});
