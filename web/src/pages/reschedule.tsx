// Move a booked session to another open time: the same week view, the same session kind and
// place; the same rules as booking apply (POST /v1/appointments/{id}/reschedule). The week leaves
// out the times the client is booked elsewhere (availability's `excluding`); one booked meanwhile in
// another tab, or what a dosing session moved earlier lacks, is said in the client's terms.
import { useState } from 'react';
import type { ClientSession } from '../app.tsx';
import { useApp } from '../app-context.tsx';
import { ok } from '../api/client.ts';
import { Alert, Button, ErrorAlert, Loading, PageError, PageTitle, Select } from '../components/ui.tsx';
import { SlotPicker } from '../components/slot-picker.tsx';
import { moveToSlot, useSlotChoice } from '../components/use-slot-choice.ts';
import { clientRecord } from '../lib/client-data.ts';
import { explainRefusal } from '../lib/own-course.ts';
import { clinicSetup, providerName, serviceName, type Appointment, type ClinicSetup } from '../lib/clinic-data.ts';
import { formatDateTime, zoneShort } from '../lib/format.ts';
import { useLoad } from '../lib/use-load.ts';
import { Link } from '../router.tsx';

export function ReschedulePage({ session, appointmentId }: { session: ClientSession; appointmentId: string }) {
  const { api } = useApp();
  const data = useLoad(async () => {
    const client = await clientRecord(api, session.clientId);
    const [setup, appointment] = await Promise.all([
      clinicSetup(api, client.clinicId),
      ok(api.GET('/v1/appointments/{appointmentId}', { params: { path: { appointmentId } } })),
    ]);
    return { setup, appointment };
  }, [api, session.clientId, appointmentId]);
  if (data.error) return <PageError title="This appointment could not load" error={data.error} />;
  if (!data.data) return <Loading />;
  return <Reschedule session={session} setup={data.data.setup} appointment={data.data.appointment} />;
}

function Reschedule({ session, setup, appointment }: { session: ClientSession; setup: ClinicSetup; appointment: Appointment }) {
  const { api } = useApp();
  const zone = setup.clinic.timezone;
  const [providerId, setProviderId] = useState(appointment.providerId);
  const choice = useSlotChoice();
  const { slot } = choice;
  const [moved, setMoved] = useState<Appointment>();
  const service = setup.services.find((s) => s.code === appointment.service);
  const providers = setup.providers.filter((p) => p.role === service?.providerRole && (appointment.mode === 'in_person' || p.telehealth));
  const name = serviceName(setup, appointment.service);

  if (appointment.status !== 'booked') {
    return (
      <>
        <PageTitle title="Reschedule">Reschedule</PageTitle>
        <Alert kind="info">Only a booked session can be moved; this one is {appointment.status.replace('_', ' ')}.</Alert>
        <Link href="/care">Back to my care</Link>
      </>
    );
  }

  const move = () =>
    choice.submit(
      (slot) =>
        moveToSlot(api, appointment.id, slot).catch(async (err: unknown) => {
          throw (await explainRefusal(api, session.clientId, setup, err, slot, appointment.id)).error;
        }),
      setMoved,
    );

  if (moved) {
    return (
      <>
        <PageTitle title="Moved">Your session was moved</PageTitle>
        <Alert kind="success" title="Moved">
          {name} with {providerName(setup, moved.providerId)} is now on {formatDateTime(moved.startsAt, zone)} (
          {zoneShort(zone, new Date(moved.startsAt))}).
        </Alert>
        <Link className="btn btn-primary" href="/care">
          Back to my care
        </Link>
      </>
    );
  }

  return (
    <>
      <PageTitle title="Reschedule">Move your {name.toLowerCase()}</PageTitle>
      <p className="lead">
        Now: {formatDateTime(appointment.startsAt, zone)} with {providerName(setup, appointment.providerId)},{' '}
        {appointment.mode === 'telehealth' ? 'by video' : 'in person'}. Choose a new time below.
      </p>
      <div className="card booking-options">
        <Select
          label="Practitioner"
          value={providerId}
          onChange={(v) => {
            setProviderId(v);
            choice.clear();
          }}
          options={[
            { value: '', label: 'Anyone available' },
            ...providers.map((p) => ({ value: p.id, label: `${p.name}, ${p.credentials}` })),
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
        moving={appointment}
      />
      <div className="confirm-bar" aria-live="polite">
        {choice.error !== undefined && <ErrorAlert error={choice.error} title="The session was not moved" focus />}
        {slot ? (
          <div className="card confirm" ref={choice.confirmRef}>
            <h2>New time</h2>
            <p>
              {name} with {providerName(setup, slot.providerId)} on {formatDateTime(slot.startsAt, zone)}
            </p>
            <div className="actions">
              <Button busy={choice.busy} onClick={() => void move()}>
                Move to this time
              </Button>
              <Link className="btn btn-secondary" href="/care">
                Keep the current time
              </Link>
            </div>
          </div>
        ) : (
          <p className="muted">Choose a time above.</p>
        )}
      </div>
    </>
  );
}
