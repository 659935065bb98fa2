// The client's appointments on the chart, upcoming and past, in the clinic's zone: service,
// practitioner, in person or by video, status. Upcoming holds only sessions that have not ended
// (chartLists); one that ended still booked or checked in sits with the past ones as "Not marked",
// with what it needs, so the desk sees it must act. Once a session has started, what the API still
// allows it (appointment-rules.ts, as the day's panel): "Complete" on a checked-in session or a
// booked video session (clinicians, front desk, admin: POST /v1/appointments/{id}/complete), and
// "Mark no-show…" on a booked one (front desk, admin), after the same confirmation as the day's
// (the fee or the forfeited credit said first). A past in-person session never checked in says that
// check-in closed at the end of its day (notMarkedHint), and offers no Complete (the API would
// refuse it) but "Record arrival…" (front desk, admin): the time the client came, as the day's
// panel does. Before
// it starts, a booked session can be moved ("Reschedule": the staff's reschedule page) or cancelled
// ("Cancel…": the day panel's dialog, its fee terms and "Waive the fee") by the roles that may; a
// session with an invoice links it (not for clinicians, as on the day). A refusal is shown in the
// staff's words; a 409 on a session changed elsewhere reads it again. A session booked and paid
// singly that one of the client's programs can pay for offers "Use program credit…" (front desk,
// admin; lib/credit-use-rules.ts), which says what becomes of the money before it is confirmed.
import { useEffect, useRef, useState } from 'react';
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Alert, Badge, Button, ErrorAlert, Loading, TableWrap } from '../../components/ui.tsx';
import { providerName, serviceName, type Appointment, type ClinicSetup, type Package } from '../../lib/clinic-data.ts';
import { creditMoney, creditPayer, type CreditMoney } from '../../lib/credit-use-rules.ts';
import { clientPackages } from '../../lib/packages.ts';
import { useLoad } from '../../lib/use-load.ts';
import { formatDate, formatDateTime, formatDayParts, formatMoney, formatTime, localDateOf } from '../../lib/format.ts';
import { Link } from '../../router.tsx';
import {
  ActionRefusal,
  CancelConfirm,
  changedElsewhere,
  NoShowConfirm,
  RecordArrivalConfirm,
  staleAfterConflict,
} from './appointment-actions.tsx';
import { cancelReasonText, chartLists, mayDo, notMarked, notMarkedHint, noShowDone, validFor, whenIs } from './appointment-rules.ts';
import { withClinic, type StaffSession } from './common.tsx';

export const APPOINTMENT_STATUS: Record<Appointment['status'], { label: string; tone: 'neutral' | 'good' | 'warn' | 'bad' }> = {
  booked: { label: 'Booked', tone: 'good' },
  checked_in: { label: 'Checked in', tone: 'good' },
  completed: { label: 'Completed', tone: 'neutral' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
  no_show: { label: 'No-show', tone: 'bad' },
};

type Done = 'complete' | 'no_show' | 'record_arrival' | 'cancel' | 'use_credit';
type Asked = 'no_show' | 'record_arrival' | 'cancel' | 'use_credit';
const NOT_DONE: Record<Done, string> = {
  use_credit: 'The program credit was not used',
  complete: 'The session was not marked as completed',
  no_show: 'The session was not marked as a no-show',
  record_arrival: 'The arrival was not recorded',
  cancel: 'The session was not cancelled',
};

export function AppointmentsPart({
  setup,
  appointments,
  session,
  clinicId,
  firstName,
  clientId,
  changes,
  onChanged,
}: {
  setup: ClinicSetup;
  appointments: Appointment[];
  session: StaffSession;
  /** The client's clinic (an admin's links carry it). */
  clinicId: string;
  /** The client's, for the refusals that name them. */
  firstName: string;
  clientId: string;
  /** Counts the chart's changes: the programs (their credits) are read again. */
  changes: number;
  onChanged: () => Promise<void>;
}) {
  const { api } = useApp();
  const role = session.role;
  // the programs that could pay for a session booked singly: only for those who may use a credit
  const packages = useLoad(
    async () => (mayDo(role, 'use_credit') ? clientPackages(api, clientId) : []),
    // `changes` is not read: a change means the credits may have changed
    [api, clientId, role, changes],
  );
  const [busy, setBusy] = useState<string>();
  const [failed, setFailed] = useState<{ action: Done; error: unknown; changed?: Appointment }>();
  const [notice, setNotice] = useState<string>();
  const [confirming, setConfirming] = useState<{ appointment: Appointment; action: Asked }>();
  // "Go back" returns focus to the row's button that opened the confirmation
  const opener = useRef<HTMLElement | null>(null);
  // after an action the pressed button may be gone with the row's new status: focus goes to what it says
  const said = useRef<HTMLDivElement>(null);
  const [answered, setAnswered] = useState(0);
  useEffect(() => {
    if (answered > 0) said.current?.focus();
  }, [answered]);

  const zone = setup.clinic.timezone;
  const nowDate = new Date();
  const { upcoming, past } = chartLists(appointments, nowDate);
  const describe = (a: Appointment) => `${serviceName(setup, a.service)}, ${formatDateTime(a.startsAt, zone)}`;

  const act = async (a: Appointment, action: Exclude<Done, 'cancel'>, arrivedAt?: string) => {
    setBusy(a.id);
    setFailed(undefined);
    setNotice(undefined);
    try {
      const path = { params: { path: { appointmentId: a.id } }, body: {} };
      if (action === 'complete') await ok(api.POST('/v1/appointments/{appointmentId}/complete', path));
      else if (action === 'record_arrival')
        await ok(api.POST('/v1/appointments/{appointmentId}/check-in', { ...path, body: { arrivedAt } }));
      else await ok(api.POST('/v1/appointments/{appointmentId}/no-show', path));
      setConfirming(undefined);
      await onChanged();
      setNotice(
        action === 'complete'
          ? `Marked as completed: ${describe(a)}.`
          : action === 'record_arrival'
            ? `Check-in recorded: ${describe(a)}. The session can now be completed.`
            : `${noShowDone(setup, a)} (${describe(a)})`,
      );
    } catch (error) {
      const changed = await staleAfterConflict(api, error, a);
      if (changed) {
        setConfirming(undefined);
        await onChanged().catch(() => undefined);
      }
      setFailed({ action, error, changed });
    } finally {
      setBusy(undefined);
      setAnswered((n) => n + 1);
    }
  };

  /** The cancel dialog's answer, as an action's. */
  const cancelled = async (a: Appointment, said: string) => {
    setConfirming(undefined);
    await onChanged().catch(() => undefined);
    setNotice(`${said} (${describe(a)})`);
    setAnswered((n) => n + 1);
  };
  const cancelRefused = async (error: unknown, changed: Appointment | undefined) => {
    if (changed) {
      setConfirming(undefined);
      await onChanged().catch(() => undefined);
    }
    setFailed({ action: 'cancel', error, changed });
    setAnswered((n) => n + 1);
  };

  /** A row's button that opens the step asking first (what a no-show or a cancellation costs, when the client arrived). */
  const askFirst = (a: Appointment, action: Asked, label: string) => (
    <Button
      kind="secondary"
      disabled={busy !== undefined}
      onClick={(e) => {
        opener.current = e.currentTarget;
        setNotice(undefined);
        setFailed(undefined);
        setConfirming({ appointment: a, action });
      }}
    >
      {label}
      <span className="visually-hidden"> {describe(a)}</span>
    </Button>
  );

  /** A program's credit now pays for the session: what became of its money, said. */
  const creditUsed = async (a: Appointment, payer: Package, money: CreditMoney) => {
    setConfirming(undefined);
    await onChanged().catch(() => undefined);
    setNotice(
      `Now paid with a credit of ${payer.programName} (${describe(a)}). ${
        money.kind === 'refund'
          ? `The ${formatMoney(money.amount)} the client paid for it is being refunded to their card.`
          : 'Its invoice is void: nothing is charged for it.'
      }`,
    );
    setAnswered((n) => n + 1);
  };
  const creditRefused = async (error: unknown) => {
    // refused (the session or the program changed meanwhile): what the chart shows is read again
    await onChanged().catch(() => undefined);
    setFailed({ action: 'use_credit', error });
    setAnswered((n) => n + 1);
  };

  const keep = () => {
    setConfirming(undefined);
    setTimeout(() => opener.current?.focus()); // after the re-render
  };

  const table = (list: Appointment[], label: string) => (
    <TableWrap label={label}>
      <table className="chart-appointments with-actions">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Session</th>
            <th scope="col">Practitioner</th>
            <th scope="col">Where</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((a) => {
            const status = APPOINTMENT_STATUS[a.status];
            const when = whenIs(a, zone, nowDate);
            const valid = validFor(a, when);
            // on the chart only once it has started (the day's panel has the hints before)
            const completable = when.started && valid.includes('complete') && mayDo(role, 'complete');
            const missable = when.started && valid.includes('no_show') && mayDo(role, 'no_show');
            const arrivable = valid.includes('record_arrival') && mayDo(role, 'record_arrival');
            const movable = valid.includes('reschedule') && mayDo(role, 'reschedule');
            const cancellable = valid.includes('cancel') && mayDo(role, 'cancel');
            // the payment is taken by the front desk and admin, finance reads it; a clinician is not shown invoices
            const invoice = a.invoiceId && role !== 'clinician' ? a.invoiceId : undefined;
            const payer = packages.data && mayDo(role, 'use_credit') ? creditPayer(a, packages.data) : undefined;
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
                  {a.packageId && a.status !== 'cancelled' && <Badge tone="neutral">Program credit</Badge>}
                  {cancelReasonText(a) && <span className="row-detail">Reason: {cancelReasonText(a)}</span>}
                  {notMarked(a, nowDate) && (
                    <>
                      <Badge tone="warn">Not marked</Badge>
                      <span className="row-detail">{notMarkedHint(a, when)}</span>
                    </>
                  )}
                </td>
                <td>
                  <div className="row-actions">
                    {completable && (
                      <Button
                        kind="secondary"
                        busy={busy === a.id}
                        disabled={busy !== undefined && busy !== a.id}
                        onClick={() => void act(a, 'complete')}
                      >
                        Complete<span className="visually-hidden"> {describe(a)}</span>
                      </Button>
                    )}
                    {arrivable && askFirst(a, 'record_arrival', 'Record arrival…')}
                    {missable && askFirst(a, 'no_show', 'Mark no-show…')}
                    {movable && (
                      <Link
                        className="btn btn-secondary"
                        href={withClinic(`/staff/appointments/${encodeURIComponent(a.id)}/reschedule`, session, clinicId)}
                      >
                        Reschedule<span className="visually-hidden"> {describe(a)}</span>
                      </Link>
                    )}
                    {cancellable && askFirst(a, 'cancel', 'Cancel…')}
                    {payer && askFirst(a, 'use_credit', 'Use program credit…')}
                    {invoice && (
                      <Link href={withClinic(`/staff/invoices/${encodeURIComponent(invoice)}`, session, clinicId)}>
                        Invoice<span className="visually-hidden"> of {describe(a)}</span>
                      </Link>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );

  return (
    <div className="chart-appointments-part">
      <div ref={said} tabIndex={-1} className="chart-said">
        {notice && <Alert kind="success">{notice}</Alert>}
        {failed?.changed ? (
          <Alert kind="warning" title={NOT_DONE[failed.action]}>
            {changedElsewhere(failed.changed)}
          </Alert>
        ) : (
          failed && <ActionRefusal action={failed.action} error={failed.error} firstName={firstName} title={NOT_DONE[failed.action]} />
        )}
      </div>
      {confirming && (
        <div className="card chart-confirm">
          <p>
            <strong>{describe(confirming.appointment)}</strong>, {providerName(setup, confirming.appointment.providerId)}
          </p>
          {confirming.action === 'cancel' ? (
            <CancelConfirm
              setup={setup}
              appointment={confirming.appointment}
              onCancelled={(_updated, said) => void cancelled(confirming.appointment, said)}
              onRefused={(error, changed) => void cancelRefused(error, changed)}
              onKeep={keep}
            />
          ) : confirming.action === 'use_credit' ? (
            <UseCreditConfirm
              setup={setup}
              appointment={confirming.appointment}
              payer={creditPayer(confirming.appointment, packages.data ?? [])}
              onUsed={(payer, money) => void creditUsed(confirming.appointment, payer, money)}
              onRefused={(error) => void creditRefused(error)}
              onKeep={keep}
            />
          ) : confirming.action === 'no_show' ? (
            <NoShowConfirm
              setup={setup}
              appointment={confirming.appointment}
              busy={busy === confirming.appointment.id}
              onConfirm={() => void act(confirming.appointment, 'no_show')}
              onKeep={keep}
            />
          ) : (
            <RecordArrivalConfirm
              setup={setup}
              appointment={confirming.appointment}
              clientName={undefined}
              busy={busy === confirming.appointment.id}
              onConfirm={(arrivedAt) => void act(confirming.appointment, 'record_arrival', arrivedAt)}
              onKeep={keep}
            />
          )}
        </div>
      )}
      <h3>Upcoming</h3>
      {upcoming.length === 0 ? <p>No upcoming sessions.</p> : table(upcoming, 'Upcoming sessions')}
      <h3>Past and cancelled</h3>
      {past.length === 0 ? <p>None yet.</p> : table(past, 'Past and cancelled sessions')}
    </div>
  );
}

/**
 * "Use program credit…", asked first: which program pays, and what becomes of the money of the
 * session (its invoice read now: what the client paid is refunded to their card, or nothing is
 * charged and the invoice is voided).
 */
function UseCreditConfirm({
  setup,
  appointment: a,
  payer,
  onUsed,
  onRefused,
  onKeep,
}: {
  setup: ClinicSetup;
  appointment: Appointment;
  payer: Package | undefined;
  onUsed: (payer: Package, money: CreditMoney) => void;
  onRefused: (error: unknown) => void;
  onKeep: () => void;
}) {
  const { api } = useApp();
  const invoice = useLoad(
    async () => (a.invoiceId ? ok(api.GET('/v1/invoices/{invoiceId}', { params: { path: { invoiceId: a.invoiceId } } })) : undefined),
    [api, a.invoiceId],
  );
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const money = invoice.data ? creditMoney(invoice.data) : undefined;

  const use = async () => {
    if (!money || !payer) return;
    setBusy(true);
    try {
      await ok(
        api.POST('/v1/appointments/{appointmentId}/use-credit', {
          params: { path: { appointmentId: a.id } },
          body: { packageId: payer.id },
        }),
      );
      onUsed(payer, money);
    } catch (error) {
      setBusy(false);
      onRefused(error);
    }
  };

  return (
    <div role="group" aria-labelledby={`credit-${a.id}`}>
      <h3 id={`credit-${a.id}`} tabIndex={-1} ref={heading}>
        Pay for this session with a program credit?
      </h3>
      {payer ? (
        <p>
          One {serviceName(setup, a.service).toLowerCase()} credit of <strong>{payer.programName}</strong> pays for it instead of its own
          invoice.
        </p>
      ) : (
        <p>No program of the client’s can pay for this session now.</p>
      )}
      {invoice.error ? (
        <ErrorAlert error={invoice.error} title="The session’s invoice could not load" />
      ) : !money ? (
        <Loading />
      ) : (
        <Alert kind="info">
          {money.kind === 'refund'
            ? `The client’s ${formatMoney(money.amount)} payment for this session will be refunded to their card.`
            : 'Nothing will be charged for this session: its invoice is voided.'}
        </Alert>
      )}
      <div className="actions">
        <Button busy={busy} disabled={!money || !payer} onClick={() => void use()}>
          Use program credit
        </Button>
        <Button kind="secondary" disabled={busy} onClick={onKeep}>
          Go back
        </Button>
      </div>
    </div>
  );
}
