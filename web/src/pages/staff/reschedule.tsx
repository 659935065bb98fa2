// The front desk moves a client's booked session to another open time: the same kind of session
// and place, the same practitioner unless another one (or anyone) is chosen; the week view offers
// what staff may book (inside the minimum notice too). The same rules as booking apply
// (POST /v1/appointments/{id}/reschedule); a refusal is said about the client in plain words.
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { ok } from '../../api/client.ts';
import { Alert, Button, ErrorAlert, Loading, PageTitle, Select } from '../../components/ui.tsx';
import { SlotPicker } from '../../components/slot-picker.tsx';
import { moveToSlot, useSlotChoice } from '../../components/use-slot-choice.ts';
import { clinicSetup, providerName, serviceName, type Appointment, type Client, type ClinicSetup } from '../../lib/clinic-data.ts';
import { formatDateTime, zoneLabel, zoneShort } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import type { StaffSession } from './common.tsx';
import { fetchClient, fullName, staffLinks } from './clients-data.ts';
import { StaffErrorAlert } from './clients-words.tsx';
import './clients-pages.css';

const STATUS_WORDS: Record<Appointment['status'], string> = {
  booked: 'booked',
  checked_in: 'checked in',
  completed: 'completed',
  cancelled: 'cancelled',
  no_show: 'a no-show',
};

export function StaffReschedulePage({ session, appointmentId }: { session: StaffSession; appointmentId: string }) {
  const { api } = useApp();
  const data = useLoad(async () => {
    const appointment = await ok(api.GET('/v1/appointments/{appointmentId}', { params: { path: { appointmentId } } }));
    const [client, setup] = await Promise.all([fetchClient(api, appointment.clientId), clinicSetup(api, appointment.clinicId)]);
    return { appointment, client, setup };
  }, [api, appointmentId]);
  if (data.error)
    return (
      <>
        <PageTitle title="Move a session">Move a session</PageTitle>
        <ErrorAlert error={data.error} title="This appointment could not load" />
      </>
    );
  if (!data.data) return <Loading />;
  return <Reschedule session={session} {...data.data} />;
}

function Reschedule({
  session,
  appointment,
  client,
  setup,
}: {
  session: StaffSession;
  appointment: Appointment;
  client: Client;
  setup: ClinicSetup;
}) {
  const { api } = useApp();
  const zone = setup.clinic.timezone;
  const [providerId, setProviderId] = useState(appointment.providerId);
  const choice = useSlotChoice();
  const { slot } = choice;
  const [moved, setMoved] = useState<Appointment>();
  const service = setup.services.find((s) => s.code === appointment.service);
  const providers = setup.providers.filter((p) => p.role === service?.providerRole && (appointment.mode === 'in_person' || p.telehealth));
  const kind = serviceName(setup, appointment.service);
  const name = fullName(client);
  const links = staffLinks(session, setup.clinic.id);
  const where = appointment.mode === 'telehealth' ? 'by video' : 'in person';

  if (appointment.status !== 'booked') {
    return (
      <>
        <PageTitle title="Move a session">
          Move {kind.toLowerCase()} for {name}
        </PageTitle>
        <Alert kind="info">
          Only a booked session can be moved; this one is {STATUS_WORDS[appointment.status]} ({formatDateTime(appointment.startsAt, zone)}
          ).
        </Alert>
        <div className="actions">
          <Link className="btn btn-secondary" href={links.chart(client.id)}>
            Open the chart
          </Link>
          <Link className="btn btn-secondary" href={links.day(appointment.startsAt)}>
            See the day
          </Link>
        </div>
      </>
    );
  }

  const move = () => choice.submit((slot) => moveToSlot(api, appointment.id, slot), setMoved);

  if (moved) {
    return (
      <>
        <PageTitle title="Session moved">Session moved for {name}</PageTitle>
        <Alert kind="success" title={`Moved: ${formatDateTime(moved.startsAt, zone)} with ${providerName(setup, moved.providerId)}`}>
          {kind} for {name}, {where}, is now on {formatDateTime(moved.startsAt, zone)} ({zoneShort(zone, new Date(moved.startsAt))}); it was
          on {formatDateTime(appointment.startsAt, zone)}.
        </Alert>
        <div className="actions">
          <Link className="btn btn-primary" href={links.day(moved.startsAt)}>
            See the day
          </Link>
          <Link className="btn btn-secondary" href={links.chart(client.id)}>
            Open the chart
          </Link>
        </div>
      </>
    );
  }

  return (
    <>
      <PageTitle title="Move a session">
        Move {kind.toLowerCase()} for {name}
      </PageTitle>
      <p className="lead">
        Now: <strong>{formatDateTime(appointment.startsAt, zone)}</strong> with {providerName(setup, appointment.providerId)}, {where}.
        Times are in {zoneLabel(zone)}. <Link href={links.chart(client.id)}>Open the chart</Link>
      </p>
      <div className="card booking-options staff-move-options">
        <Select
          label="Practitioner"
          value={providerId}
          onChange={(v) => {
            setProviderId(v);
            choice.clear();
          }}
          options={[
            { value: '', label: 'Anyone available' },
            ...providers.map((p) => ({
              value: p.id,
              label: `${p.name}, ${p.credentials}${p.id === appointment.providerId ? ' (as booked)' : ''}`,
            })),
          ]}
        />
      </div>
      <SlotPicker
        setup={setup}
        service={appointment.service}
        mode={appointment.mode}
        providerId={providerId}
        selected={slot}
        onPick={choice.pick}
        refreshKey={choice.refreshKey}
        // its own time is free for its move (only the roles that may move it reach this page)
        moving={appointment}
      />
      <div className="confirm-bar" aria-live="polite">
        {choice.error !== undefined && <StaffErrorAlert error={choice.error} title="The session was not moved" />}
        {slot ? (
          <div className="card confirm" ref={choice.confirmRef}>
            <h2>New time</h2>
            <p>
              {kind} for {name} with {providerName(setup, slot.providerId)}, {where}
              <br />
              {formatDateTime(slot.startsAt, zone)} ({zoneShort(zone, new Date(slot.startsAt))}), instead of{' '}
              {formatDateTime(appointment.startsAt, zone)}
            </p>
            <div className="actions">
              <Button busy={choice.busy} onClick={() => void move()}>
                Move to this time
              </Button>
              <Link className="btn btn-secondary" href={links.chart(client.id)}>
                Keep the current time
              </Link>
            </div>
          </div>
        ) : (
          <p className="muted">Choose a new time above.</p>
        )}
      </div>
    </>
  );
}
