// Book a session: choose the kind (an intake first), in person or by video where the clinic
// allows it, a practitioner or anyone, then an open time in the week view; confirm. A booking a
// rule refuses says which rule in plain words (api/errors.ts) and keeps the choice on screen.
// When one of the client's programs has a credit for the kind of session, the session is paid
// with it (POST /v1/appointments with packageId) unless the person chooses to pay for it.
// Opened from My care's "Book integration session", the week opens on the window of the dosing
// session the link kept in the tab (lib/book-service.ts), with its days marked; from a waitlist
// entry's "Book" (My care), on the entry's place, practitioner and the week of its first open time.
// Below the week, "No time that suits you?" adds the client to the waitlist (components/waitlist.tsx).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ClientSession } from '../app.tsx';
import { useApp } from '../app-context.tsx';
import { Alert, Button, ErrorAlert, Loading, PageError, PageTitle } from '../components/ui.tsx';
import { BookingOptions, bookSlot, ChosenSession, useBookingOptions, type Mode } from '../components/booking-options.tsx';
import { SlotPicker } from '../components/slot-picker.tsx';
import { useSlotChoice } from '../components/use-slot-choice.ts';
import { clientRecord } from '../lib/client-data.ts';
import {
  clinicSetup,
  providerName,
  serviceName,
  type Appointment,
  type Client,
  type ClinicSetup,
  type Package,
  type ServiceCode,
} from '../lib/clinic-data.ts';
import { clientPackages } from '../lib/packages.ts';
import { dosingNeeds, ownBusy } from '../lib/course-rules.ts';
import { explainRefusal, ownAppointments } from '../lib/own-course.ts';
import { formatDateTime, formatMoney, mondayOf, todayIn, zoneLabel, zoneShort } from '../lib/format.ts';
import { useLoad } from '../lib/use-load.ts';
import { storedBookAfter, storedBookOpening, storedBookService, storeBookService } from '../lib/book-service.ts';
import { defaultWaitlistDates, waitlistBetween } from '../lib/waitlist-rules.ts';
import { WaitlistForm } from '../components/waitlist.tsx';
import { Link, navigate } from '../router.tsx';
import { IntegrationWindowNote, windowOfLink } from './integration-due.tsx';

interface Booked {
  id: string;
  startsAt: string;
  providerId: string;
  service: ServiceCode;
  mode: Mode;
  invoiceId: string | null;
  packageId: string | null;
}

export function BookPage({ session }: { session: ClientSession }) {
  const { api } = useApp();
  const data = useLoad(async () => {
    const client = await clientRecord(api, session.clientId);
    return clinicSetup(api, client.clinicId);
  }, [api, session.clientId]);
  // the programs whose credits may pay (read again after each booking: a credit was used)
  const packages = useLoad(() => clientPackages(api, session.clientId), [api, session.clientId]);
  // the client's record and own sessions: their times are not offered, and the notices judge the
  // course by them (read again after each booking)
  const course = useLoad(async () => {
    const [client, appointments] = await Promise.all([clientRecord(api, session.clientId), ownAppointments(api, session.clientId)]);
    return { client, appointments };
  }, [api, session.clientId]);
  if (data.error) return <PageError title="Booking could not load" error={data.error} />;
  const waiting = (l: { loading: boolean; data: unknown; error: unknown }) => l.loading && !l.data && !l.error;
  if (!data.data || waiting(packages) || waiting(course)) return <Loading />;
  return (
    <Booking
      session={session}
      setup={data.data}
      packages={packages.data ?? []}
      course={course.data}
      onBooked={() => {
        void packages.reload();
        void course.reload();
      }}
      onAppointments={(appointments) => course.replace((c) => ({ ...c, appointments }))}
    />
  );
}

type Course = { client: Client; appointments: Appointment[] };

function Booking({
  session,
  setup,
  packages,
  course,
  onBooked,
  onAppointments,
}: {
  session: ClientSession;
  setup: ClinicSetup;
  packages: Package[];
  /** As last read (undefined when it could not be: the API still refuses a time the client is booked). */
  course: Course | undefined;
  onBooked: () => void;
  /** The client's appointments read again (after a refusal): fresher than the page's read. */
  onAppointments: (appointments: Appointment[]) => void;
}) {
  const { api } = useApp();
  const { clinic, services } = setup;
  // the kind a link stored (lib/book-service.ts), else the page's own: an intake first
  const [stored] = useState(storedBookService);
  // the dosing session a "Book integration session" link is for (checked against the course below)
  const [after] = useState(storedBookAfter);
  const opening = services.find((s) => s.code === 'intake') ?? services[0];
  const wanted = services.find((s) => s.code === stored) ?? opening;
  // a waitlist entry's "Book": its place, practitioner and week, for its kind
  const [start] = useState(storedBookOpening);
  const options = useBookingOptions(setup, packages, wanted, start?.service === wanted?.code ? start : undefined);
  const { service, mode, providerId, paying } = options;
  const choice = useSlotChoice();
  const { slot, clear } = choice;
  const [booked, setBooked] = useState<Booked>();
  const busy = useMemo(() => course && ownBusy(course.appointments), [course]);
  // the week on screen: the waitlist form's first dates
  const [shownWeek, setShownWeek] = useState(() => mondayOf(todayIn(clinic.timezone)));

  // a changed question clears the chosen time and any refusal of it
  useEffect(() => clear(), [service, mode, providerId]);
  // the kind on screen is the one a reload or signing in again comes back to; the page's own
  // needs nothing kept (the tab keeps no more than it must)
  useEffect(
    () =>
      storeBookService(service?.code === opening?.code ? undefined : service?.code, service?.code === 'integration' ? after : undefined),
    [service?.code],
  );

  if (!service) return <Alert kind="error">This clinic has no sessions to book online.</Alert>;
  const suggested = service.code === 'integration' && course ? windowOfLink(setup, course.appointments, after) : undefined;
  // a program with dosing credits left that cannot pay for one now (a payment past due: the API's
  // payment_past_due), when no other program can: said before a time is chosen, with the price
  const pastDue =
    service.code === 'exploration' && !paying
      ? packages.find((p) => p.status === 'past_due' && p.credits.exploration.remaining > 0)
      : undefined;

  const confirm = () =>
    choice.submit(
      (slot, key) =>
        bookSlot(api, { clientId: session.clientId, clinicId: clinic.id, service, options }, slot, key).catch(async (err: unknown) => {
          // the client's own session at that time, or what a dosing session still lacks: said so
          const explained = await explainRefusal(api, session.clientId, setup, err, slot);
          if (explained.appointments) onAppointments(explained.appointments);
          throw explained.error;
        }),
      (result) => {
        setBooked(result);
        onBooked();
      },
    );

  if (booked) return <BookedPanel setup={setup} booked={booked} onAnother={() => (setBooked(undefined), choice.again())} />;

  return (
    <>
      <PageTitle title="Book a session">Book a session</PageTitle>
      <p className="lead">
        At {clinic.name}. Times are in {zoneLabel(clinic.timezone)}.
      </p>
      <BookingOptions
        setup={setup}
        options={options}
        service={service}
        words={{ payLegend: 'How to pay', selfPay: (price) => `Pay ${price} instead` }}
      />
      {pastDue && <PastDueNotice setup={setup} pkg={pastDue} />}
      {service.code === 'exploration' && course && <DosingNeeds course={course} setup={setup} />}
      {service.code === 'intake' && course && <IntakeAlready course={course} setup={setup} />}
      {service.code === 'integration' && course && (
        <IntegrationWindowNote setup={setup} appointments={course.appointments} window={suggested} />
      )}

      <SlotPicker
        setup={setup}
        service={service.code}
        mode={mode}
        providerId={providerId}
        selected={slot}
        onPick={choice.pick}
        refreshKey={choice.refreshKey}
        busy={busy}
        suggested={suggested}
        startWeek={start?.service === service.code ? start.week : undefined}
        onWeek={setShownWeek}
      />

      <div className="confirm-bar" aria-live="polite">
        {choice.error !== undefined && (
          // signing in again comes back here, to the kind on screen (stored in the tab, not in the address)
          <ErrorAlert error={choice.error} title="This time could not be booked" focus />
        )}
        {slot ? (
          <div className="card confirm" ref={choice.confirmRef}>
            <h2>Your choice</h2>
            <p>
              <ChosenSession setup={setup} service={service} mode={mode} slot={slot} />
              <br />
              {paying
                ? `Paid with a credit of ${paying.programName}`
                : pastDue
                  ? `Price: ${formatMoney(service.price)}, paid by you: your program can’t pay for it until the missed payment is settled.`
                  : `Price: ${formatMoney(service.price)}`}
            </p>
            <Button onClick={() => void confirm()} busy={choice.busy}>
              Book this time
            </Button>
          </div>
        ) : (
          <p className="muted">Choose a time above to book it.</p>
        )}
      </div>
      <JoinWaitlist
        setup={setup}
        clientId={session.clientId}
        start={{ service: service.code, mode, providerId, ...defaultWaitlistDates(shownWeek, todayIn(clinic.timezone)) }}
      />
    </>
  );
}

/**
 * "No time that suits you?": the waitlist form for the kind on screen (its place and practitioner
 * first), the week on screen and the next as dates. Added: said with its dates, and that the front
 * desk calls (nothing is sent, nothing held).
 */
function JoinWaitlist({
  setup,
  clientId,
  start,
}: {
  setup: ClinicSetup;
  clientId: string;
  start: { service: ServiceCode; mode: Mode; providerId: string; from: string; to: string };
}) {
  const [open, setOpen] = useState(false);
  const [added, setAdded] = useState<{ kind: string; dates: string }>();
  const opener = useRef<HTMLButtonElement>(null);
  return (
    <section className="join-waitlist" aria-labelledby="join-waitlist">
      <h2 id="join-waitlist">No time that suits you?</h2>
      {added && (
        <Alert kind="success" title="You’re on the waitlist" focusKey={added}>
          <p>
            You’re on the waitlist for {added.kind} {added.dates}. The front desk will call you if a time opens.
          </p>
          <p>
            <Link href="/care">See it on My care</Link>
          </p>
        </Alert>
      )}
      {open ? (
        <WaitlistForm
          setup={setup}
          clientId={clientId}
          who="client"
          start={start}
          onAdded={(entry) => {
            setOpen(false);
            setAdded({ kind: serviceName(setup, entry.service).toLowerCase(), dates: waitlistBetween(entry.from, entry.to) });
          }}
          onCancel={() => {
            setOpen(false);
            setTimeout(() => opener.current?.focus());
          }}
        />
      ) : (
        <p>
          <Button kind="secondary" ref={opener} onClick={() => (setAdded(undefined), setOpen(true))}>
            Join the waitlist
          </Button>{' '}
          <span className="muted">The front desk will call you if a time opens.</span>
        </p>
      )}
    </section>
  );
}

/**
 * An address of the older links, `/book?service=…` (a bookmark, a sign-in's `next`): the kind is
 * stored and the address replaced by `/book`, so the word does not stay in the tab's history.
 */
export function OldBookLink({ service }: { service: string }) {
  useEffect(() => {
    storeBookService(service);
    navigate('/book', { replace: true });
  }, [service]);
  return null;
}

function BookedPanel({ setup, booked, onAnother }: { setup: ClinicSetup; booked: Booked; onAnother: () => void }) {
  const service = setup.services.find((s) => s.code === booked.service);
  const paidWithCredit = booked.packageId !== null;
  return (
    <>
      <PageTitle title="Booked">You are booked</PageTitle>
      <Alert kind="success" title="Booked">
        {service?.name ?? booked.service} with {providerName(setup, booked.providerId)},{' '}
        {booked.mode === 'telehealth' ? 'by video' : 'in person'}, on {formatDateTime(booked.startsAt, setup.clinic.timezone)} (
        {zoneShort(setup.clinic.timezone, new Date(booked.startsAt))}).
        {paidWithCredit && ' It uses one credit of your program: nothing to pay.'}
      </Alert>
      {booked.service === 'exploration' && (
        <Alert kind="info" title="Someone must take you home">
          You may not drive for at least 8 hours after this session: please arrange for someone you trust to take you home.
        </Alert>
      )}
      <div className="actions">
        {booked.invoiceId && (
          <Link className="btn btn-primary" href={`/invoices/${encodeURIComponent(booked.invoiceId)}`}>
            Pay {service ? formatMoney(service.price) : 'now'}
          </Link>
        )}
        <Link className="btn btn-secondary" href="/care">
          See my appointments
        </Link>
        <Button kind="link" onClick={onAnother}>
          Book another session
        </Button>
      </div>
    </>
  );
}

/**
 * The client's program has dosing credits left but a payment past due: it cannot pay for a dosing
 * session until that is settled (the program's page says what failed and what happens next), and
 * booking now means paying the session's price.
 */
function PastDueNotice({ setup, pkg }: { setup: ClinicSetup; pkg: Package }) {
  const price = setup.services.find((s) => s.code === 'exploration')?.price;
  return (
    <Alert kind="warning" title="Your program can’t pay for dosing sessions until the missed payment is settled">
      <p>
        A payment of {pkg.programName} did not go through.{' '}
        {price && `A dosing session booked now is not paid with a credit: you pay its price, ${formatMoney(price)}.`}
      </p>
      <p>
        <Link href={`/packages/${encodeURIComponent(pkg.id)}`}>The payment that is due, and how to settle it</Link>
      </p>
    </Alert>
  );
}

/**
 * Before a dosing session can be booked (the booking rules: docs/domain.md), what this client still
 * needs, said before a time is chosen rather than only when the booking is refused. Judged for
 * today from the client's record and appointments; the API decides at booking.
 */
function DosingNeeds({ course, setup }: { course: Course; setup: ClinicSetup }) {
  const needs = dosingNeeds(course.client, course.appointments, setup.clinic.policy.requiredPreparationSessions);
  if (needs.length === 0) return null;
  return (
    <Alert kind="info" title="Before a dosing session can be booked">
      <ul>
        {needs.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </Alert>
  );
}

/**
 * An intake is needed once: when one is done or already booked, say so before a second is booked
 * (and invoiced). The API does not refuse a second: the clinic may want one after a long pause.
 */
function IntakeAlready({ course, setup }: { course: Course; setup: ClinicSetup }) {
  const booked = course.appointments.find((a) => a.service === 'intake' && (a.status === 'booked' || a.status === 'checked_in'));
  if (booked) {
    return (
      <Alert kind="info" title="Your intake is already booked">
        It is on {formatDateTime(booked.startsAt, setup.clinic.timezone)}. To change its time, use{' '}
        <Link href={`/care/${encodeURIComponent(booked.id)}/reschedule`}>Reschedule</Link> rather than booking another.
      </Alert>
    );
  }
  if (course.client.status.intakeCompleted) {
    return (
      <Alert kind="info" title="Your intake is done">
        You do not need another one to book your next sessions.
      </Alert>
    );
  }
  return null;
}
