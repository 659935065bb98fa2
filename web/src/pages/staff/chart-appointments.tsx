// The client's appointments on the chart, upcoming and past, in the clinic's zone: service,
// practitioner, in person or by video, status. "Complete" on a booked or checked-in session whose
// start has passed (clinicians, front desk, admin: POST /v1/appointments/{id}/complete); the API
// decides (an in-person session is checked in first) and its refusal is shown in plain words.
import { useState } from 'react';
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Alert, Badge, Button, ErrorAlert, TableWrap } from '../../components/ui.tsx';
import { providerName, serviceName, type Appointment, type ClinicSetup } from '../../lib/clinic-data.ts';
import { formatDate, formatDateTime, formatDayParts, formatTime, localDateOf } from '../../lib/format.ts';

export const APPOINTMENT_STATUS: Record<Appointment['status'], { label: string; tone: 'neutral' | 'good' | 'warn' | 'bad' }> = {
  booked: { label: 'Booked', tone: 'good' },
  checked_in: { label: 'Checked in', tone: 'good' },
  completed: { label: 'Completed', tone: 'neutral' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
  no_show: { label: 'No-show', tone: 'bad' },
};

export const isActive = (a: Appointment) => a.status === 'booked' || a.status === 'checked_in';

export function AppointmentsPart({
  setup,
  appointments,
  canComplete,
  onChanged,
}: {
  setup: ClinicSetup;
  appointments: Appointment[];
  canComplete: boolean;
  onChanged: () => Promise<void>;
}) {
  const { api } = useApp();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const zone = setup.clinic.timezone;
  const now = Date.now();
  const upcoming = appointments.filter((a) => isActive(a) && Date.parse(a.endsAt) > now);
  const past = appointments.filter((a) => !upcoming.includes(a)).reverse();
  const describe = (a: Appointment) => `${serviceName(setup, a.service)}, ${formatDateTime(a.startsAt, zone)}`;

  const complete = async (a: Appointment) => {
    setBusy(a.id);
    setError(undefined);
    setNotice(undefined);
    try {
      await ok(api.POST('/v1/appointments/{appointmentId}/complete', { params: { path: { appointmentId: a.id } }, body: {} }));
      await onChanged();
      setNotice(`Marked as completed: ${describe(a)}.`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(undefined);
    }
  };

  const table = (list: Appointment[], label: string) => (
    <TableWrap label={label}>
      <table className={canComplete ? 'chart-appointments with-actions' : 'chart-appointments'}>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Session</th>
            <th scope="col">Practitioner</th>
            <th scope="col">Where</th>
            <th scope="col">Status</th>
            {canComplete && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {list.map((a) => {
            const status = APPOINTMENT_STATUS[a.status];
            const completable = isActive(a) && Date.parse(a.startsAt) <= now;
            return (
              <tr key={a.id}>
                <td className="when">
                  {formatDayParts(localDateOf(a.startsAt)).weekday}, {formatDate(localDateOf(a.startsAt))}
                  <span className="row-detail">
                    {formatTime(a.startsAt, zone)} – {formatTime(a.endsAt, zone)}
                  </span>
                </td>
                <th scope="row">{serviceName(setup, a.service)}</th>
                <td>{providerName(setup, a.providerId)}</td>
                <td>{a.mode === 'telehealth' ? 'By video' : 'In person'}</td>
                <td>
                  <Badge tone={status.tone}>{status.label}</Badge>
                  {a.status === 'cancelled' && a.late && <Badge tone="warn">Late</Badge>}
                </td>
                {canComplete && (
                  <td>
                    {completable && (
                      <Button kind="secondary" busy={busy === a.id} disabled={busy !== undefined} onClick={() => void complete(a)}>
                        Complete<span className="visually-hidden"> {describe(a)}</span>
                      </Button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );

  return (
    <div className="chart-appointments-part">
      {notice && <Alert kind="success">{notice}</Alert>}
      <ErrorAlert error={error} title="The session was not marked as completed" />
      <h3>Upcoming</h3>
      {upcoming.length === 0 ? <p>No upcoming sessions.</p> : table(upcoming, 'Upcoming sessions')}
      <h3>Past and cancelled</h3>
      {past.length === 0 ? <p>None yet.</p> : table(past, 'Past and cancelled sessions')}
    </div>
  );
}
