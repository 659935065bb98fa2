// My care: the client's programs with their credits, upcoming and past appointments. Cancelling
// shows what it costs BEFORE the person confirms: free up to the clinic's cancellation window,
// later the clinic's late-cancellation fee (or the package credit) — the policy comes from
// GET /v1/clinics/{id}. Programs: lib/packages.ts (read through the invoices' packageIds). When the
// session is one a booked dosing session needs before it (its intake, a preparation the policy
// counts), the dialog says so first (lib/course-rules.ts): the dosing session stays booked. A
// session booked and paid singly that one of the client's programs can pay for offers "Use program
// credit" (lib/credit-use-rules.ts), which says what happens to the money before it is confirmed. A
// dosing session without its integration session within the clinic's days is named, with a link to
// book one (integration-due.tsx). A booked session offers "Add to calendar": an .ics file that names
// the clinic and the time only (add-to-calendar.tsx). "Your waitlist" lists what the client waits for
// (components/waitlist.tsx): what became of each, "Book" for one with open times (the booking page
// opens on its kind and the week of its first open time, kept in the tab) and "Remove", asked first.
import { Fragment, useEffect, useRef, useState } from 'react';
import type { ClientSession } from '../app.tsx';
import { useApp } from '../app-context.tsx';
import { ApiError, ok } from '../api/client.ts';
import { Alert, Badge, Button, ErrorAlert, Loading, PageError, PageTitle } from '../components/ui.tsx';
import { storeBookService } from '../lib/book-service.ts';
import { offersCalendarFile } from '../lib/calendar-rules.ts';
import { clientRecord } from '../lib/client-data.ts';
import { oneLineAddress, phoneLink } from '../lib/clinic-contact.ts';
import { clinicSetup, providerName, serviceName, type Appointment, type ClinicSetup, type Package } from '../lib/clinic-data.ts';
import { cancelLeavesShort } from '../lib/course-rules.ts';
import { creditMoney, creditPayer, type CreditMoney } from '../lib/credit-use-rules.ts';
import { formatDate, formatDateTime, formatMoney, zoneLabel } from '../lib/format.ts';
import { CREDIT_SERVICES, PACKAGE_STATUS, clientPackages, creditsLeft, nextInstallment, worthShowing } from '../lib/packages.ts';
import { useLoad } from '../lib/use-load.ts';
import { Link } from '../router.tsx';
import { AddToCalendar } from './add-to-calendar.tsx';
import { IntegrationDueCard } from './integration-due.tsx';
import { VideoJoin } from './video-join.tsx';
import { WaitlistEntries } from '../components/waitlist.tsx';

const STATUS: Record<Appointment['status'], { label: string; tone: 'neutral' | 'good' | 'warn' | 'bad' }> = {
  booked: { label: 'Booked', tone: 'good' },
  checked_in: { label: 'Checked in', tone: 'good' },
  completed: { label: 'Done', tone: 'neutral' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
  no_show: { label: 'Missed', tone: 'bad' },
};

export function CarePage({ session }: { session: ClientSession }) {
  const { api } = useApp();
  const data = useLoad(async () => {
    const client = await clientRecord(api, session.clientId);
    const [setup, appointments, packages] = await Promise.all([
      clinicSetup(api, client.clinicId),
      ok(api.GET('/v1/clients/{clientId}/appointments', { params: { path: { clientId: session.clientId } } })),
      clientPackages(api, session.clientId),
    ]);
    return { client, setup, appointments, packages: packages.filter(worthShowing) };
  }, [api, session.clientId]);
  // apart: the page stands without it (a waitlist that cannot be read leaves the rest)
  const waitlist = useLoad(
    () => ok(api.GET('/v1/clients/{clientId}/waitlist', { params: { path: { clientId: session.clientId } } })).then((r) => r.entries),
    [api, session.clientId],
  );
  // what the last cancel did, said where the session was (it leaves the list): it takes focus
  const [notice, setNotice] = useState<{ kind: 'success' | 'info'; text: string }>();

  if (data.error) return <PageError title="Your appointments could not load" error={data.error} />;
  if (!data.data) return <Loading />;
  const { client, setup, appointments, packages } = data.data;
  const now = Date.now();
  const upcoming = appointments.filter((a) => (a.status === 'booked' || a.status === 'checked_in') && Date.parse(a.endsAt) > now);
  const past = appointments.filter((a) => !upcoming.includes(a)).reverse();

  return (
    <>
      <PageTitle title="My care">My care</PageTitle>
      <p className="lead">
        At {setup.clinic.name}
        {setup.clinic.contact && (
          <>
            , {oneLineAddress(setup.clinic.contact.address)} (
            <a href={phoneLink(setup.clinic.contact.phone).href}>{phoneLink(setup.clinic.contact.phone).text}</a>)
          </>
        )}
        . Times are in {zoneLabel(setup.clinic.timezone)}.
      </p>
      {notice && (
        <Alert kind={notice.kind} focusKey={notice}>
          {notice.text}
        </Alert>
      )}
      <section aria-labelledby="programs">
        <h2 id="programs">My program</h2>
        {packages.length === 0 ? (
          <p>
            A program bundles your preparation, dosing and integration sessions at one price, paid in full, later or in installments.{' '}
            <Link href={`/clinics/${encodeURIComponent(setup.clinic.id)}`}>See the clinic’s programs</Link>
          </p>
        ) : (
          <ul className="card-list">
            {packages.map((p) => (
              <PackageItem key={p.id} setup={setup} pkg={p} />
            ))}
          </ul>
        )}
      </section>
      <IntegrationDueCard setup={setup} appointments={appointments} />
      <section aria-labelledby="upcoming">
        <h2 id="upcoming">Upcoming</h2>
        {upcoming.length === 0 ? (
          <p>
            No upcoming sessions.{' '}
            <Link href="/book" onClick={() => storeBookService(undefined)}>
              Book a session
            </Link>
          </p>
        ) : (
          <ul className="card-list">
            {upcoming.map((a) => (
              <UpcomingItem
                key={a.id}
                setup={setup}
                appointment={a}
                dependents={cancelLeavesShort(setup, client, appointments, a, now)}
                payer={creditPayer(a, packages)}
                onCreditUsed={(money) => {
                  setNotice({
                    kind: 'success',
                    text:
                      money.kind === 'refund'
                        ? `Your program now pays for this session. Your ${formatMoney(money.amount)} payment for it is being refunded to your card.`
                        : 'Your program now pays for this session. Its invoice is void: nothing will be charged for it.',
                  });
                  void data.reload();
                }}
                onCancelled={(late) => {
                  setNotice({
                    kind: 'success',
                    text: late
                      ? `Your session was cancelled. It was a late cancellation: the fee of ${formatMoney(setup.clinic.policy.lateCancellationFee)} is on your invoice.`
                      : 'Your session was cancelled, free of charge.',
                  });
                  void data.reload();
                }}
                onChangedMeanwhile={(text) => {
                  // the list as it is now, then the sentence (focus goes to it once the list is redrawn)
                  void data.reload().then(() => setNotice({ kind: 'info', text }));
                }}
              />
            ))}
          </ul>
        )}
      </section>
      {(waitlist.error !== undefined || (waitlist.data?.length ?? 0) > 0) && (
        <section aria-labelledby="waitlist">
          <h2 id="waitlist">Your waitlist</h2>
          {waitlist.data?.some((e) => e.status === 'waiting') && (
            <p>Nothing is held for you. The front desk will call you if a time opens.</p>
          )}
          <ErrorAlert error={waitlist.error} title="Your waitlist could not load" />
          {waitlist.data && (
            <WaitlistEntries
              setup={setup}
              clientId={session.clientId}
              entries={waitlist.data}
              bookHref="/book"
              canRemove
              onRemoved={() => void waitlist.reload()}
              who="client"
            />
          )}
        </section>
      )}
      <p>
        <Link href="/superbill">Superbill or receipt for your insurance</Link>: your sessions over any dates, as a PDF.
      </p>
      <section aria-labelledby="past">
        <h2 id="past">Past and cancelled</h2>
        {past.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <ul className="card-list compact">
            {past.map((a) => (
              <li key={a.id} className="card appointment">
                <AppointmentSummary setup={setup} appointment={a} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function AppointmentSummary({ setup, appointment: a }: { setup: ClinicSetup; appointment: Appointment }) {
  const status = STATUS[a.status];
  return (
    <div className="appointment-summary">
      <p className="when">{formatDateTime(a.startsAt, setup.clinic.timezone)}</p>
      <p>
        <strong>{serviceName(setup, a.service)}</strong> with {providerName(setup, a.providerId)} ·{' '}
        {a.mode === 'telehealth' ? 'By video' : 'In person'} <Badge tone={status.tone}>{status.label}</Badge>
        {a.status === 'cancelled' && a.late && <Badge tone="warn">Late cancellation</Badge>}
        {a.packageId && a.status !== 'cancelled' && <Badge tone="neutral">Paid by your program</Badge>}
      </p>
    </div>
  );
}

/** What cancelling now costs, in words, from the clinic's policy and how the session is paid. */
export function cancellationTerms(setup: ClinicSetup, a: Appointment, now = Date.now()): { late: boolean; text: string } {
  const { cancellationWindowHours, lateCancellationFee, lateCancellationForfeitsCredit } = setup.clinic.policy;
  const hoursLeft = (Date.parse(a.startsAt) - now) / 3_600_000;
  const late = hoursLeft < cancellationWindowHours;
  if (!late) {
    return {
      late,
      text: `Cancelling is free: the session is more than ${cancellationWindowHours} hours away.${a.packageId ? ' Its credit goes back to your package.' : ' Anything you paid for it is refunded.'}`,
    };
  }
  if (a.packageId) {
    return {
      late,
      text: `This is a late cancellation (less than ${cancellationWindowHours} hours before the start): ${
        lateCancellationForfeitsCredit ? 'the session’s package credit is used up.' : 'the clinic’s late-cancellation policy applies.'
      }`,
    };
  }
  return {
    late,
    text: `This is a late cancellation (less than ${cancellationWindowHours} hours before the start): a fee of ${formatMoney(lateCancellationFee)} will be charged instead of the session’s price. If you have paid for the session, what you paid beyond the fee is refunded to your card.`,
  };
}

/**
 * A cancel refused because the session is no longer booked (409 conflict: the front desk cancelled
 * it, checked it in…): what it is now, in a sentence, instead of the API's words.
 */
const ALREADY: Partial<Record<Appointment['status'], string>> = {
  cancelled: 'This session was already cancelled.',
  checked_in: 'This session can no longer be cancelled: you are checked in for it.',
  completed: 'This session has already taken place.',
  no_show: 'This session can no longer be cancelled: it was marked as missed.',
};

function UpcomingItem({
  setup,
  appointment: a,
  dependents,
  payer,
  onCreditUsed,
  onCancelled,
  onChangedMeanwhile,
}: {
  setup: ClinicSetup;
  appointment: Appointment;
  /** What cancelling it takes from a dosing session still to come, in sentences (none: empty). */
  dependents: string[];
  /** The program that can pay for this session booked singly (creditPayer), if any. */
  payer: Package | undefined;
  /** A program's credit now pays for it: what became of the money. */
  onCreditUsed: (money: CreditMoney) => void;
  onCancelled: (late: boolean) => void;
  /** The session changed elsewhere first: the page reads it again and says `text`. */
  onChangedMeanwhile: (text: string) => void;
}) {
  const { api } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [usingCredit, setUsingCredit] = useState(false);
  const item = useRef<HTMLLIElement>(null);
  const toggled = useRef(false);
  // the button pressed goes away: focus moves to the question, and back to "Cancel…" on "Keep it"
  useEffect(() => {
    if (!toggled.current) return;
    const target = confirming ? '.confirm-cancel h3' : '[data-cancel-open]';
    item.current?.querySelector<HTMLElement>(target)?.focus();
  }, [confirming]);
  const confirm = (on: boolean) => {
    toggled.current = true;
    setConfirming(on);
  };
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  // the API found the cancel late by the time it arrived (the page said free): its terms are shown now
  const [lateNow, setLateNow] = useState(false);
  const [calendarError, setCalendarError] = useState<unknown>();
  const terms = cancellationTerms(setup, a, lateNow ? Date.parse(a.startsAt) : undefined);
  const canChange = a.status === 'booked';

  const cancel = async () => {
    setBusy(true);
    setError(undefined);
    try {
      // the terms shown go with the request: a cancel that turned late meanwhile is refused (409), not charged unseen
      const result = await ok(
        api.POST('/v1/appointments/{appointmentId}/cancel', {
          params: { path: { appointmentId: a.id } },
          body: { expectedLate: terms.late },
        }),
      );
      onCancelled(result.late ?? false);
    } catch (err) {
      const now =
        err instanceof ApiError && err.code === 'conflict'
          ? await ok(api.GET('/v1/appointments/{appointmentId}', { params: { path: { appointmentId: a.id } } })).catch(() => undefined)
          : undefined;
      const already = now && ALREADY[now.status];
      if (already) {
        onChangedMeanwhile(already);
        return;
      }
      // still booked: the window closed while the page was open; the late terms are shown, to accept or not
      if (now?.status === 'booked' && !terms.late) setLateNow(true);
      setError(err);
      setBusy(false);
    }
  };

  return (
    <li className="card appointment" ref={item}>
      <AppointmentSummary setup={setup} appointment={a} />
      <VideoJoin appointment={a} />
      {(canChange || payer) && !confirming && !usingCredit && (
        <div className="actions">
          {payer && (
            <Button kind="secondary" onClick={() => setUsingCredit(true)} data-credit-open="">
              Use program credit
            </Button>
          )}
          {canChange && (
            <>
              <Link className="btn btn-secondary" href={`/care/${encodeURIComponent(a.id)}/reschedule`}>
                Reschedule
              </Link>
              <Button kind="secondary" onClick={() => confirm(true)} data-cancel-open="">
                Cancel…
              </Button>
            </>
          )}
          {a.invoiceId && (
            <Link className="btn btn-link" href={`/invoices/${encodeURIComponent(a.invoiceId)}`}>
              Invoice
            </Link>
          )}
          {offersCalendarFile(a, Date.now()) && <AddToCalendar setup={setup} appointment={a} onError={setCalendarError} />}
        </div>
      )}
      <ErrorAlert error={calendarError} title="The calendar file could not be made" />
      {usingCredit && payer && (
        <UseCreditConfirm
          setup={setup}
          appointment={a}
          payer={payer}
          onUsed={(money) => {
            setUsingCredit(false);
            onCreditUsed(money);
          }}
          onKeep={() => {
            setUsingCredit(false);
            setTimeout(() => item.current?.querySelector<HTMLElement>('[data-credit-open]')?.focus());
          }}
        />
      )}
      {confirming && (
        <div className="confirm-cancel" role="group" aria-labelledby={`cancel-${a.id}`}>
          <h3 id={`cancel-${a.id}`} tabIndex={-1}>
            Cancel this session?
          </h3>
          <Alert kind={terms.late ? 'warning' : 'info'}>{terms.text}</Alert>
          {dependents.length > 0 && (
            <Alert kind="warning" title="A dosing session depends on this one">
              {dependents.map((text) => (
                <p key={text}>{text}</p>
              ))}
            </Alert>
          )}
          <ErrorAlert error={error} title="The session was not cancelled" focus />
          <div className="actions">
            <Button kind="danger" busy={busy} onClick={() => void cancel()}>
              {terms.late ? (a.packageId ? 'Cancel anyway' : 'Cancel and accept the fee') : 'Yes, cancel it'}
            </Button>
            <Button kind="secondary" onClick={() => confirm(false)} disabled={busy}>
              Keep it
            </Button>
          </div>
        </div>
      )}
    </li>
  );
}

/**
 * "Use program credit", asked first: which program pays, and what becomes of the money of the
 * session (its invoice read now: what was paid is refunded to the card, or nothing is charged).
 */
function UseCreditConfirm({
  setup,
  appointment: a,
  payer,
  onUsed,
  onKeep,
}: {
  setup: ClinicSetup;
  appointment: Appointment;
  payer: Package;
  onUsed: (money: CreditMoney) => void;
  onKeep: () => void;
}) {
  const { api } = useApp();
  const invoice = useLoad(
    () => ok(api.GET('/v1/invoices/{invoiceId}', { params: { path: { invoiceId: a.invoiceId! } } })),
    [api, a.invoiceId],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const money = invoice.data ? creditMoney(invoice.data) : undefined;

  const use = async () => {
    if (!money) return;
    setBusy(true);
    setError(undefined);
    try {
      await ok(
        api.POST('/v1/appointments/{appointmentId}/use-credit', {
          params: { path: { appointmentId: a.id } },
          body: { packageId: payer.id },
        }),
      );
      onUsed(money);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div className="confirm-cancel" role="group" aria-labelledby={`credit-${a.id}`}>
      <h3 id={`credit-${a.id}`} tabIndex={-1} ref={heading}>
        Pay for this session with your program?
      </h3>
      <p>
        One {serviceName(setup, a.service).toLowerCase()} credit of <strong>{payer.programName}</strong> pays for it instead.
      </p>
      {invoice.error ? (
        <ErrorAlert error={invoice.error} title="The session’s invoice could not load" />
      ) : !money ? (
        <Loading />
      ) : (
        <Alert kind="info">
          {money.kind === 'refund'
            ? `Your ${formatMoney(money.amount)} payment for this session will be refunded to your card.`
            : 'Nothing will be charged for this session.'}
        </Alert>
      )}
      <ErrorAlert error={error} title="The program credit was not used" focus />
      <div className="actions">
        <Button busy={busy} disabled={!money} onClick={() => void use()}>
          Use program credit
        </Button>
        <Button kind="secondary" onClick={onKeep} disabled={busy}>
          Not now
        </Button>
      </div>
    </div>
  );
}

/** A program on My care: its credits left per kind of session and its next installment. */
function PackageItem({ setup, pkg }: { setup: ClinicSetup; pkg: Package }) {
  const status = PACKAGE_STATUS[pkg.status];
  const next = nextInstallment(pkg);
  const bookable = CREDIT_SERVICES.find((s) => creditsLeft(pkg, s) > 0);
  return (
    <li className="card package">
      <h3>
        <Link href={`/packages/${encodeURIComponent(pkg.id)}`}>{pkg.programName}</Link> <Badge tone={status.tone}>{status.label}</Badge>
      </h3>
      <dl className="facts credits-left">
        {CREDIT_SERVICES.map((s) => (
          <Fragment key={s}>
            <dt>{serviceName(setup, s)}</dt>
            <dd>
              {pkg.credits[s].remaining} of {pkg.credits[s].total} left
              {pkg.credits[s].used > 0 && <span className="muted"> ({pkg.credits[s].used} used)</span>}
            </dd>
          </Fragment>
        ))}
      </dl>
      {pkg.status === 'pending_payment' && <p className="muted">Payment not completed: nothing was charged.</p>}
      {next &&
        pkg.status !== 'cancelled' &&
        (next.status === 'failed' ? (
          <p>
            <Badge tone="bad">Payment failed</Badge> <strong>{formatMoney(next.amount)}</strong> due {formatDate(next.dueDate)} could not be
            charged; it is tried again automatically. <Link href={`/packages/${encodeURIComponent(pkg.id)}`}>What this means</Link>
          </p>
        ) : (
          <p>
            Next payment: <strong>{formatMoney(next.amount)}</strong> on {formatDate(next.dueDate)}
          </p>
        ))}
      <div className="actions">
        {bookable && (
          <Link className="btn btn-secondary" href="/book" onClick={() => storeBookService(bookable)}>
            Book with a credit
          </Link>
        )}
        <Link className="btn btn-link" href={`/packages/${encodeURIComponent(pkg.id)}`}>
          Details and payments
        </Link>
      </div>
    </li>
  );
}
