// What staff can do with one appointment, as a side panel (a modal <dialog>: focus moves into it,
// Esc or Close shuts it, focus goes back to what opened it): check in, complete, mark a no-show
// (what it costs said first), cancel (the fee said first), reschedule, open the client's chart.
// Only what the person's role may do, what the status allows and what time has not closed for
// good is offered (appointment-rules.ts): a past session offers no Reschedule or Cancel, and one
// never checked in no Check in once its day is over (it says so) but "Record arrival…": the time
// the client came, after which the session can be completed. What is still to open keeps its
// button with a hint from the browser's clock, since the server's clock is the authority (and is
// moved in tests): a refusal comes back in plain words. A 409 on an appointment changed elsewhere
// (cancelled in another tab) reads it again and shows it as it is now. Refusals are said in the
// staff's words (clients-words.tsx, actionRefusalWords), never the client's. Check in for a dosing
// session with no ride-home contact on file asks first who takes the client home. Below the
// actions, "Integration session due" when the client has a dosing session still without its
// integration session (integration-due.tsx; the client's appointments read when the panel opens).
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ApiError, ok, type Api } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { sessionEnded } from '../../api/errors.ts';
import { Alert, Badge, Button, Checkbox, ErrorAlert, Field } from '../../components/ui.tsx';
import { providerName, serviceName, type Appointment, type ClinicSetup } from '../../lib/clinic-data.ts';
import {
  formatDate,
  formatDateTime,
  formatLongDate,
  formatMoney,
  formatTime,
  localDateOf,
  localTimeOf,
  todayIn,
  wallClockIso,
  zoneLabelOn,
} from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import {
  actionRefusalWords,
  cancelReasonText,
  checkInClosed,
  firstNameOf,
  mayDo,
  noShowDone,
  noShowTerms,
  rideHomeToConfirm,
  validFor,
  whenIs,
  type Action,
} from './appointment-rules.ts';
import { booksForClients, clientAppointments } from './clients-data.ts';
import { describeErrorForStaff } from './clients-words.tsx';
import { withClinic, type StaffSession } from './common.tsx';
import { FLAGS, STATUS, flagsOf, modeLabel, type ScheduleAppointment } from './day-layout.ts';
import { IntegrationDueNotice } from './integration-due.tsx';

/** An appointment as the client's list has it, with the schedule's extras when known. */
export type ActionsAppointment = Appointment & Partial<Pick<ScheduleAppointment, 'client' | 'provider' | 'room' | 'flags' | 'courseFlags'>>;

type Pressed = Exclude<Action, 'reschedule' | 'use_credit'>;

const NOT_DONE: Record<Pressed, string> = {
  check_in: 'Not checked in',
  record_arrival: 'The arrival was not recorded',
  complete: 'Not completed',
  no_show: 'Not marked as a no-show',
  cancel: 'Not cancelled',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** What cancelling now costs, in words, from the clinic's policy (the API's answer then says what it was); waived: as if in time. */
function cancellationTerms(setup: ClinicSetup, a: Appointment, now: number, waived: boolean): { late: boolean; text: string } {
  const { cancellationWindowHours: hours, lateCancellationFee, lateCancellationForfeitsCredit } = setup.clinic.policy;
  const late = now > Date.parse(a.startsAt) - hours * HOUR;
  if (!late) return { late, text: `Cancelling now is free: the session is more than ${hours} hours away.` };
  if (a.packageId) {
    if (!lateCancellationForfeitsCredit)
      return {
        late,
        text: `This is a late cancellation (less than ${hours} hours before the start), but no fee is charged: the session is paid from a package.`,
      };
    return {
      late,
      text: waived
        ? 'The late terms are waived: the session’s package credit goes back to the program, as for a cancellation in time.'
        : `This is a late cancellation (less than ${hours} hours before the start): the session’s package credit will be used up.`,
    };
  }
  return {
    late,
    text: waived
      ? `The late-cancellation fee is waived: cancelled free of charge, as if in time. No fee of ${formatMoney(lateCancellationFee)} is charged.`
      : `A late-cancellation fee of ${formatMoney(lateCancellationFee)} will be charged: the session starts in less than ${hours} hours.`,
  };
}

function cancelledText(setup: ClinicSetup, a: Appointment, late: boolean, waived: boolean): string {
  if (waived) return 'Cancelled, free of charge: the late-cancellation terms were waived.';
  if (!late) return 'Cancelled, free of charge.';
  if (a.packageId) {
    return setup.clinic.policy.lateCancellationForfeitsCredit
      ? 'Cancelled. It was a late cancellation: the session’s package credit is used up.'
      : 'Cancelled. It was a late cancellation; no fee applies to a session paid from a package.';
  }
  return `Cancelled. It was a late cancellation: a fee of ${formatMoney(setup.clinic.policy.lateCancellationFee)} is charged to the client.`;
}

const NOW_WORDS: Record<Appointment['status'], string> = {
  booked: 'booked',
  checked_in: 'checked in',
  completed: 'completed',
  cancelled: 'cancelled',
  no_show: 'marked as a no-show',
};

/** A 409 on an appointment that changed meanwhile (another tab, another person): what it is now. */
export const changedElsewhere = (now: Appointment) =>
  `This appointment was changed elsewhere (on another screen, or by someone else): it is already ${NOW_WORDS[now.status]}. Nothing more was done; it is shown as it is now.`;

/** Reads the appointment again after a 409 `conflict`: the fresh one when its status is no longer the one acted on. */
export async function staleAfterConflict(api: Api, error: unknown, a: Appointment): Promise<Appointment | undefined> {
  if (!(error instanceof ApiError) || error.code !== 'conflict') return undefined;
  const fresh = await ok(api.GET('/v1/appointments/{appointmentId}', { params: { path: { appointmentId: a.id } } })).catch(() => undefined);
  return fresh && fresh.status !== a.status ? fresh : undefined;
}

/** A refused action, in the staff's words (a session that has ended keeps its "sign in again"). */
export function ActionRefusal({
  action,
  error,
  firstName,
  title,
}: {
  action: Action;
  error: unknown;
  firstName: string | undefined;
  title: string;
}) {
  if (sessionEnded(error)) return <ErrorAlert error={error} title={title} />;
  return (
    <Alert kind="error" title={title}>
      {actionRefusalWords(action, error, firstName) ?? describeErrorForStaff(error)}
    </Alert>
  );
}

/**
 * "Cancel this appointment?": what cancelling now costs (the fee or the credit, or free), a reason,
 * and inside the window "Waive the fee"; then it cancels. The terms shown go with the request
 * (`expectedLate`): one that turned late meanwhile is refused (409), not charged unseen, and the late
 * terms are shown from then on. The day's panel and the chart's table both use it; its heading takes
 * focus when it opens.
 */
export function CancelConfirm({
  setup,
  appointment,
  onCancelled,
  onRefused,
  onKeep,
}: {
  setup: ClinicSetup;
  appointment: Appointment;
  /** Cancelled: the appointment as the API answered, and what it cost in words. */
  onCancelled: (updated: Appointment, said: string) => void;
  /** Refused: the error, and the appointment as it is now when it changed elsewhere. */
  onRefused: (error: unknown, changed: Appointment | undefined) => void;
  onKeep: () => void;
}) {
  const { api } = useApp();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const [reason, setReason] = useState('');
  // inside the window: the clinic may waive the late terms (it cancelled, an emergency)
  const [waive, setWaive] = useState(false);
  const [busy, setBusy] = useState(false);
  // the API found the cancel late by the time it arrived (this page said free): the late terms are shown now
  const [lateNow, setLateNow] = useState(false);
  const a = appointment;
  const terms = cancellationTerms(setup, a, lateNow ? Date.parse(a.startsAt) : Date.now(), waive);

  const cancel = async () => {
    setBusy(true);
    try {
      const body = {
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(waive ? { waiveFee: true } : {}),
        expectedLate: terms.late,
      };
      const updated = await ok(api.POST('/v1/appointments/{appointmentId}/cancel', { params: { path: { appointmentId: a.id } }, body }));
      setBusy(false);
      onCancelled(updated, cancelledText(setup, a, updated.late ?? false, updated.feeWaived === true));
    } catch (error) {
      // cancelled in another tab: read it again and show it as it is now
      const changed = await staleAfterConflict(api, error, a);
      if (!changed && error instanceof ApiError && error.code === 'conflict' && !terms.late) setLateNow(true);
      setBusy(false);
      onRefused(error, changed);
    }
  };

  return (
    <div className="confirm-cancel" role="group" aria-labelledby={id}>
      <h3 id={id} ref={heading} tabIndex={-1}>
        Cancel this appointment?
      </h3>
      <Alert kind={terms.late && !waive ? 'warning' : 'info'}>{terms.text}</Alert>
      <Field label="Reason (optional)" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      {terms.late && (
        <Checkbox
          label={a.packageId ? 'Waive the late terms: give the credit back' : 'Waive the fee'}
          hint="When the clinic cancels (a practitioner is ill) or for an emergency: cancelled as if in time."
          checked={waive}
          onChange={(e) => setWaive(e.target.checked)}
        />
      )}
      <div className="actions">
        <Button kind="danger" busy={busy} onClick={() => void cancel()}>
          {terms.late && !a.packageId && !waive ? 'Cancel and charge the fee' : 'Cancel appointment'}
        </Button>
        <Button kind="secondary" disabled={busy} onClick={onKeep}>
          Keep it
        </Button>
      </div>
    </div>
  );
}

/**
 * "Mark as a no-show?": what it costs (the clinic's fee in place of a self-pay session's price, or
 * the package credit forfeited), then the person confirms. Its heading takes focus when it opens.
 */
export function NoShowConfirm({
  setup,
  appointment,
  busy,
  onConfirm,
  onKeep,
}: {
  setup: ClinicSetup;
  appointment: Appointment;
  busy: boolean;
  onConfirm: () => void;
  onKeep: () => void;
}) {
  const terms = noShowTerms(setup, appointment);
  return (
    <AskFirst
      title="Mark as a no-show?"
      confirm={terms.charges ? 'Mark no-show and charge the fee' : 'Mark no-show'}
      confirmKind="danger"
      busy={busy}
      onConfirm={onConfirm}
      onKeep={onKeep}
    >
      <Alert kind={terms.charges ? 'warning' : 'info'}>{terms.text}</Alert>
    </AskFirst>
  );
}

/** The step that asks before an action: its heading (focused when it opens), what to know or fill in, then do it or go back. */
function AskFirst({
  title,
  confirm,
  confirmKind,
  keep = 'Go back',
  busy,
  onConfirm,
  onKeep,
  children,
}: {
  title: string;
  confirm: string;
  confirmKind: 'primary' | 'danger';
  keep?: string;
  busy: boolean;
  onConfirm: () => void;
  onKeep: () => void;
  children: ReactNode;
}) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="confirm-cancel" role="group" aria-labelledby={id}>
      <h3 id={id} ref={heading} tabIndex={-1}>
        {title}
      </h3>
      {children}
      <div className="actions">
        <Button kind={confirmKind} busy={busy} onClick={onConfirm}>
          {confirm}
        </Button>
        <Button kind="secondary" disabled={busy} onClick={onKeep}>
          {keep}
        </Button>
      </div>
    </div>
  );
}

/**
 * "Record a forgotten check-in": the time the client arrived on the session's local day (by
 * default its start), sent as the check-in's `arrivedAt`; the API checks that it lies in that day's
 * check-in window. Its heading takes focus when it opens.
 */
export function RecordArrivalConfirm({
  setup,
  appointment,
  clientName,
  busy,
  onConfirm,
  onKeep,
}: {
  setup: ClinicSetup;
  appointment: Appointment;
  clientName: string | undefined;
  busy: boolean;
  /** The arrival, as an ISO instant. */
  onConfirm: (arrivedAt: string) => void;
  onKeep: () => void;
}) {
  const tz = setup.clinic.timezone;
  const date = localDateOf(appointment.startsAt);
  const [time, setTime] = useState(localTimeOf(appointment.startsAt));
  const [problem, setProblem] = useState<string>();
  const fieldId = useId();
  const confirm = () => {
    const at = /^\d{2}:\d{2}$/.test(time) ? wallClockIso(date, time, tz) : null;
    if (!at) {
      setProblem(time ? 'That time does not exist on this date (the clocks changed)' : 'Enter the time the client arrived');
      document.getElementById(fieldId)?.focus();
      return;
    }
    setProblem(undefined);
    onConfirm(at);
  };
  return (
    <AskFirst
      title="Record a forgotten check-in"
      confirm="Record check-in"
      confirmKind="primary"
      busy={busy}
      onConfirm={confirm}
      onKeep={onKeep}
    >
      <p>
        If {clientName ?? 'the client'} came on {formatLongDate(date)}, record when they arrived: the session can then be completed.
      </p>
      <Field
        id={fieldId}
        label="Arrived at"
        type="time"
        required
        hint={`${formatLongDate(date)}, ${zoneLabelOn(tz, date)}`}
        value={time}
        error={problem}
        onChange={(e) => setTime(e.target.value)}
      />
    </AskFirst>
  );
}

/**
 * The actions panel of one appointment. Mount it to open it (it opens as a modal dialog) and
 * unmount it to close it; `onClose` is called on Esc, Close and a click beside the panel. Focus
 * returns to the element that had it when the panel opened, or to `fallbackFocus()` when that
 * element is gone (a cancelled appointment the page no longer shows).
 */
export function AppointmentActionsDialog({
  appointment,
  setup,
  session,
  clinicId,
  onChanged,
  onClose,
  fallbackFocus,
}: {
  appointment: ActionsAppointment;
  setup: ClinicSetup;
  session: StaffSession;
  /** The clinic the page is about (an admin's links carry it). */
  clinicId: string | undefined;
  /** After an action succeeded: the appointment as the API answered. */
  onChanged: (updated: Appointment) => void;
  onClose: () => void;
  fallbackFocus?: () => HTMLElement | null;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  const fallback = useRef(fallbackFocus);
  fallback.current = fallbackFocus;

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    heading.current?.focus();
    return () => {
      if (d?.open) d.close();
      const back = opener?.isConnected ? opener : fallback.current?.();
      back?.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      className="appt-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        // the dialog element itself is only hit beside the panel (its backdrop)
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="appt-panel">
        <div className="appt-panel-head">
          <h2 id={titleId} ref={heading} tabIndex={-1}>
            {appointment.client?.name ?? 'Appointment'}
          </h2>
          <Button kind="secondary" className="appt-close" onClick={onClose}>
            Close
          </Button>
        </div>
        <AppointmentActions
          appointment={appointment}
          setup={setup}
          session={session}
          clinicId={clinicId}
          onChanged={(updated) => {
            // the button pressed may be gone with the new status: focus stays inside the panel
            heading.current?.focus();
            onChanged(updated);
          }}
        />
      </div>
    </dialog>
  );
}

function AppointmentActions({
  appointment,
  setup,
  session,
  clinicId,
  onChanged,
}: {
  appointment: ActionsAppointment;
  setup: ClinicSetup;
  session: StaffSession;
  clinicId: string | undefined;
  onChanged: (updated: Appointment) => void;
}) {
  const { api } = useApp();
  const tz = setup.clinic.timezone;
  // the API's answer to an action, until the page hands over a fresher appointment
  // (or one the page hands over that still has the status acted on: a reload that left before the
  // answer came, since a status never goes back)
  const [answer, setAnswer] = useState<{ base: ActionsAppointment; value: Appointment }>();
  const a: ActionsAppointment =
    answer && (answer.base === appointment || (answer.base.id === appointment.id && appointment.status === answer.base.status))
      ? { ...appointment, ...answer.value }
      : appointment;
  const [busy, setBusy] = useState<Pressed>();
  // a refusal, or (a 409 on an appointment changed elsewhere) what it is now
  const [failed, setFailed] = useState<{ action: Pressed; error: unknown; changed?: Appointment }>();
  const [notice, setNotice] = useState<string>();
  // a refusal takes focus: it answers the button pressed, and is what to read next (a success
  // moves it to the panel's heading instead)
  const refusal = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (failed) refusal.current?.focus();
  }, [failed]);
  // the step that says what an action costs (or what is missing) before it is done
  const [confirming, setConfirming] = useState<'cancel' | 'no_show' | 'record_arrival' | 'ride_home'>();
  const ids = useId();
  // the client's own sessions, read when the panel opens (and again when this one's status
  // changes), for "Integration session due": the day's schedule has only the day, and reading
  // every row's client for a marker on the rows would be one request per client each refresh
  const course = useLoad(() => clientAppointments(api, a.clientId), [api, a.clientId, a.status]);

  const nowDate = new Date();
  const now = nowDate.getTime();
  const when = whenIs(a, tz, nowDate);
  const actions = validFor(a, when);
  const may = (action: Action) => mayDo(session.role, action) && actions.includes(action);
  const startsAt = Date.parse(a.startsAt);
  const start = formatTime(a.startsAt, tz);
  const localDate = localDateOf(a.startsAt);
  const checkInFrom = formatTime(new Date(startsAt - setup.clinic.policy.checkInLeadMinutes * MINUTE).toISOString(), tz);
  const name = a.client?.name ?? 'The client';
  const firstName = firstNameOf(a.client?.name);

  const run = async (action: Exclude<Pressed, 'cancel'>, arrivedAt?: string) => {
    setBusy(action);
    setFailed(undefined);
    setNotice(undefined);
    const path = { params: { path: { appointmentId: a.id } } };
    try {
      let updated: Appointment;
      if (action === 'check_in') {
        updated = await ok(api.POST('/v1/appointments/{appointmentId}/check-in', { ...path, body: {} }));
        setConfirming(undefined);
        setNotice(`${name} is checked in.`);
      } else if (action === 'record_arrival') {
        updated = await ok(api.POST('/v1/appointments/{appointmentId}/check-in', { ...path, body: { arrivedAt } }));
        setConfirming(undefined);
        setNotice(
          `Check-in recorded: ${name} arrived at ${formatTime(updated.checkedInAt ?? arrivedAt ?? a.startsAt, tz)}. The session can now be completed.`,
        );
      } else if (action === 'complete') {
        updated = await ok(api.POST('/v1/appointments/{appointmentId}/complete', { ...path, body: {} }));
        setNotice('The session is completed.');
      } else {
        updated = await ok(api.POST('/v1/appointments/{appointmentId}/no-show', { ...path, body: {} }));
        setConfirming(undefined);
        setNotice(noShowDone(setup, a));
      }
      setAnswer({ base: appointment, value: updated });
      onChanged(updated);
    } catch (error) {
      // cancelled in another tab, checked in by a colleague: read it again and show it as it is now
      const changed = await staleAfterConflict(api, error, a);
      // a refused check-in after "Check in anyway": the question is answered, the refusal says why
      if (changed || action === 'check_in') setConfirming(undefined);
      if (changed) {
        setAnswer({ base: appointment, value: changed });
        onChanged(changed);
      }
      setFailed({ action, error, changed });
    } finally {
      setBusy(undefined);
    }
  };

  // a hint from the browser's clock; the button stays enabled: the API decides (its clock may differ)
  const hint = (id: string, text: string | false) =>
    text ? (
      <p className="hint" id={id}>
        {text}
      </p>
    ) : null;
  const actionButton = (
    action: 'check_in' | 'record_arrival' | 'complete' | 'no_show',
    label: string,
    kind: 'primary' | 'secondary',
    when: string | false,
  ) => (
    <div className="appt-action">
      <Button
        kind={kind}
        busy={busy === action}
        disabled={busy !== undefined && busy !== action}
        aria-describedby={when ? `${ids}-${action}` : undefined}
        onClick={() => {
          const ask = action === 'check_in' ? (rideHomeToConfirm(a) ? 'ride_home' : undefined) : action === 'complete' ? undefined : action;
          if (!ask) return void run(action);
          // a no-show charges a fee or uses up a credit: said first, as a cancellation's terms are;
          // a forgotten check-in asks when the client came; a dosing session with no ride home on
          // file asks who takes the client home
          setNotice(undefined);
          setFailed(undefined);
          setConfirming(ask);
        }}
      >
        {label}
      </Button>
      {hint(`${ids}-${action}`, when)}
    </div>
  );

  const status = STATUS[a.status];
  const offered = actions.filter(may);
  const chart = withClinic(`/staff/clients/${encodeURIComponent(a.clientId)}`, session, clinicId);
  const reschedule = withClinic(`/staff/appointments/${encodeURIComponent(a.id)}/reschedule`, session, clinicId);
  const closed = checkInClosed(a, when);
  const checkInOpens =
    now < startsAt - setup.clinic.policy.checkInLeadMinutes * MINUTE &&
    (localDate === todayIn(tz, nowDate)
      ? `Check-in opens at ${checkInFrom}`
      : `Check-in opens on ${formatDate(localDate)} at ${checkInFrom}`);

  return (
    <>
      <dl className="facts appt-facts">
        <dt>When</dt>
        <dd>
          {formatDateTime(a.startsAt, tz)} – {formatTime(a.endsAt, tz)}
        </dd>
        <dt>Session</dt>
        <dd>
          {serviceName(setup, a.service)} · {modeLabel(a.mode)}
        </dd>
        <dt>Provider</dt>
        <dd>{a.provider?.name ?? providerName(setup, a.providerId)}</dd>
        {a.videoUrl && (
          <>
            <dt>Video room</dt>
            <dd>
              {/* the practitioner's own room, for a video session still to be held (videoUrl) */}
              <a href={a.videoUrl} target="_blank" rel="noopener noreferrer">
                Open the video room
              </a>{' '}
              <span className="hint">(a new tab)</span>
            </dd>
          </>
        )}
        {a.roomId && (
          <>
            <dt>Room</dt>
            <dd>{a.room?.name ?? 'Room'}</dd>
          </>
        )}
        <dt>Status</dt>
        <dd>
          <Badge tone={status.tone}>{status.label}</Badge>
          {a.status === 'cancelled' && a.late && <Badge tone="warn">Late cancellation</Badge>}
        </dd>
        {cancelReasonText(a) && (
          <>
            <dt>Reason</dt>
            <dd>{cancelReasonText(a)}</dd>
          </>
        )}
        {flagsOf(a).length > 0 && (
          <>
            <dt>To sort out</dt>
            <dd>
              {flagsOf(a).map((f) => (
                <Badge key={f} tone={FLAGS[f].tone}>
                  {FLAGS[f].label}
                </Badge>
              ))}
            </dd>
          </>
        )}
      </dl>

      {notice && <Alert kind="success">{notice}</Alert>}
      {failed && (
        <div ref={refusal} tabIndex={-1} className="appt-refusal">
          {failed.changed ? (
            <Alert kind="warning" title={NOT_DONE[failed.action]}>
              {changedElsewhere(failed.changed)}
            </Alert>
          ) : (
            <ActionRefusal action={failed.action} error={failed.error} firstName={firstName} title={NOT_DONE[failed.action]} />
          )}
        </div>
      )}
      {closed && confirming === undefined && (
        <p className="appt-closed">
          Check-in closed at the end of {formatLongDate(localDate)}: {a.client?.name ?? 'the client'} was never checked in.{' '}
          {mayDo(session.role, 'record_arrival')
            ? 'If they came, record their arrival: the session can then be completed. If they did not come, mark a no-show.'
            : 'The front desk can record their arrival (the session can then be completed), or mark a no-show.'}
        </p>
      )}

      {confirming === 'cancel' ? (
        <CancelConfirm
          setup={setup}
          appointment={a}
          onCancelled={(updated, said) => {
            setConfirming(undefined);
            setNotice(said);
            setAnswer({ base: appointment, value: updated });
            onChanged(updated);
          }}
          onRefused={(error, changed) => {
            if (changed) {
              setConfirming(undefined);
              setAnswer({ base: appointment, value: changed });
              onChanged(changed);
            }
            setFailed({ action: 'cancel', error, changed });
          }}
          onKeep={() => setConfirming(undefined)}
        />
      ) : confirming === 'ride_home' ? (
        <AskFirst
          title="Who takes them home?"
          confirm="Check in anyway"
          confirmKind="primary"
          keep="Not now"
          busy={busy === 'check_in'}
          onConfirm={() => void run('check_in')}
          onKeep={() => setConfirming(undefined)}
        >
          <Alert kind="warning">
            No ride home is on file for {firstName ?? 'this client'}. Confirm who takes them home before the session:{' '}
            <Link href={withClinic(`/staff/clients/${encodeURIComponent(a.clientId)}?edit=details`, session, clinicId)}>Edit details</Link>
          </Alert>
        </AskFirst>
      ) : confirming === 'record_arrival' ? (
        <RecordArrivalConfirm
          setup={setup}
          appointment={a}
          clientName={a.client?.name}
          busy={busy === 'record_arrival'}
          onConfirm={(arrivedAt) => void run('record_arrival', arrivedAt)}
          onKeep={() => setConfirming(undefined)}
        />
      ) : confirming === 'no_show' ? (
        <NoShowConfirm
          setup={setup}
          appointment={a}
          busy={busy === 'no_show'}
          onConfirm={() => void run('no_show')}
          onKeep={() => setConfirming(undefined)}
        />
      ) : (
        <div className="appt-actions">
          {may('check_in') && actionButton('check_in', 'Check in', 'primary', checkInOpens)}
          {may('record_arrival') && actionButton('record_arrival', 'Record arrival…', 'primary', false)}
          {may('complete') &&
            actionButton(
              'complete',
              'Complete',
              a.status === 'checked_in' ? 'primary' : 'secondary',
              now < startsAt && `Available after ${start}`,
            )}
          {may('no_show') && actionButton('no_show', 'Mark no-show…', 'secondary', now < startsAt && `Available after ${start}`)}
          {(may('reschedule') || may('cancel')) && (
            <div className="actions">
              {may('reschedule') && (
                <Link className="btn btn-secondary" href={reschedule}>
                  Reschedule
                </Link>
              )}
              {may('cancel') && (
                <Button
                  kind="secondary"
                  disabled={busy !== undefined}
                  onClick={() => {
                    setNotice(undefined);
                    setFailed(undefined);
                    setConfirming('cancel');
                  }}
                >
                  Cancel appointment…
                </Button>
              )}
            </div>
          )}
          {a.status === 'booked' && when.started && mayDo(session.role, 'cancel') && (
            <p className="muted">It has started: it can no longer be moved or cancelled.</p>
          )}
          {offered.length === 0 && !closed && <p className="muted">{nothingToDo(a, actions.length > 0)}</p>}
        </div>
      )}
      {course.data && (
        <div className="appt-integration">
          <IntegrationDueNotice
            setup={setup}
            appointments={course.data}
            bookHref={
              booksForClients(session) ? withClinic(`/staff/clients/${encodeURIComponent(a.clientId)}/book`, session, clinicId) : undefined
            }
          />
        </div>
      )}
      <p className="appt-chart">
        <Link href={chart}>Open chart</Link>
        {a.invoiceId && session.role !== 'clinician' && (
          <Link href={withClinic(`/staff/invoices/${encodeURIComponent(a.invoiceId)}`, session, clinicId)}>
            {/* the payment is taken by the front desk and admin (the invoice checkout's roles) */}
            {flagsOf(a).includes('unpaid') && session.role !== 'finance' ? 'Invoice: take payment' : 'Open invoice'}
          </Link>
        )}
      </p>
    </>
  );
}

function nothingToDo(a: Appointment, othersMay: boolean): ReactNode {
  if (othersMay) return 'Check-in, no-shows and cancellations are done by the front desk.';
  switch (a.status) {
    case 'completed':
      return 'This session is completed: nothing more to do here.';
    case 'cancelled':
      return 'This appointment is cancelled.';
    case 'no_show':
      return 'The client did not come: this appointment is marked as a no-show.';
    default:
      return 'Nothing to do here.';
  }
}
