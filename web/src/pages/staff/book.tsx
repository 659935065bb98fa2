// The front desk books a session for a client: the kind of session (the clinic's catalog), in
// person or by video where the service allows it, a practitioner who offers it (or anyone), a
// credit of the client's program when one can pay, then an open time in the week view. The
// availability call carries the staff token, so the week offers times inside the clinic's minimum
// notice too (the front desk may book those; a client may not). The times that overlap the client's
// own sessions are not offered (availability knows no client; a move's `excluding` does this on the
// API's side). A refusal names the rule in words about the client (clients-words.tsx); a time taken
// meanwhile reloads the week, and when it was the client's own session booked meanwhile, says so.
// It opens on an intake, or on the kind a link stored in the tab (the chart's and the day panel's
// "Book integration session": lib/book-service.ts, never the address); with an integration session
// chosen it says the dates to book it in (integration-due.tsx); from those links, the week opens on
// the window of the dosing session the link kept beside the kind, with its days marked. Once booked,
// the same session may be booked again at the same time each week or two (book-repeat.tsx). From a
// waitlist entry's "Book" (the chart), it opens on the entry's place and practitioner and on the
// week of its first open time; from an open time clicked on the desk's waitlist, on that time's
// week with that time chosen, as if clicked here (the confirmation next), or, when it is no longer
// offered once the week is read, with a sentence saying so and nothing chosen (handedOverChoice).
import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { ApiError, ok } from '../../api/client.ts';
import { Alert, Button, ErrorAlert, Loading, PageTitle } from '../../components/ui.tsx';
import { BookingOptions, bookSlot, ChosenSession, useBookingOptions, type Mode } from '../../components/booking-options.tsx';
import { SlotPicker } from '../../components/slot-picker.tsx';
import { useSlotChoice } from '../../components/use-slot-choice.ts';
import {
  clinicSetup,
  providerName,
  type Appointment,
  type Client,
  type ClinicSetup,
  type Invoice,
  type Package,
  type ServiceCode,
  type Slot,
} from '../../lib/clinic-data.ts';
import { forgetStoredBookTime, storedBookAfter, storedBookOpening, storedBookService, storeBookService } from '../../lib/book-service.ts';
import { clientPackages } from '../../lib/packages.ts';
import { ownBusy, ownClash } from '../../lib/course-rules.ts';
import { formatDate, formatDateTime, formatMoney, zoneLabel, zoneShort } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { handedOverChoice, TIME_TAKEN } from '../../lib/waitlist-rules.ts';
import { Link } from '../../router.tsx';
import type { StaffSession } from './common.tsx';
import { clientAppointments, ClientBusyError, fetchClient, fullName, staffLinks } from './clients-data.ts';
import { clientBusyWords, StaffErrorAlert } from './clients-words.tsx';
import { windowOfLink } from '../integration-due.tsx';
import { IntegrationWindowHint } from './integration-due.tsx';
import { BookAgain } from './book-repeat.tsx';
import './clients-pages.css';

interface Booked {
  id: string;
  startsAt: string;
  providerId: string;
  service: ServiceCode;
  mode: Mode;
  invoiceId: string | null;
  packageId: string | null;
}

export function StaffBookPage({ session, clientId }: { session: StaffSession; clientId: string }) {
  const { api } = useApp();
  const data = useLoad(async () => {
    const client = await fetchClient(api, clientId);
    return { client, setup: await clinicSetup(api, client.clinicId) };
  }, [api, clientId]);
  // the programs whose credits may pay (read again after each booking: a credit was used)
  const packages = useLoad(() => clientPackages(api, clientId), [api, clientId]);
  // the client's own sessions: their times are not offered (read again after each booking), and
  // an integration session's week opens on their window
  const appointments = useLoad(() => clientAppointments(api, clientId), [api, clientId]);
  if (data.error)
    return (
      <>
        <PageTitle title="Book for a client">Book for a client</PageTitle>
        <ErrorAlert error={data.error} title="This client could not load" />
      </>
    );
  // waits for the client's sessions too: they decide the week the times open on (an integration
  // session's window) and which times are offered, so the week never opens on the first open time
  // and then jumps to the window's; when they fail, it opens on the first open time and says
  // nothing (the API still refuses a time the client holds)
  const waiting = (l: { loading: boolean; data: unknown; error: unknown }) => l.loading && !l.data && !l.error;
  if (!data.data || waiting(packages) || waiting(appointments)) return <Loading />;
  return (
    <Booking
      session={session}
      client={data.data.client}
      setup={data.data.setup}
      packages={packages.data ?? []}
      appointments={appointments.data}
      onBooked={() => {
        void packages.reload();
        void appointments.reload();
      }}
    />
  );
}

function Booking({
  session,
  client,
  setup,
  packages,
  appointments,
  onBooked,
}: {
  session: StaffSession;
  client: Client;
  setup: ClinicSetup;
  packages: Package[];
  /** The client's appointments as last read (undefined when they could not be). */
  appointments: Appointment[] | undefined;
  onBooked: () => void;
}) {
  const { api } = useApp();
  const { clinic, services } = setup;
  const name = fullName(client);
  // the kind a link stored ("Book integration session": lib/book-service.ts), else an intake first
  const [stored] = useState(storedBookService);
  // the dosing session the link is for (checked against the client's appointments below)
  const [after] = useState(storedBookAfter);
  const opening = services.find((s) => s.code === 'intake') ?? services[0];
  const wanted = services.find((s) => s.code === stored) ?? opening;
  // a waitlist entry's open time: its place, practitioner and week, for its kind
  const [start] = useState(storedBookOpening);
  const options = useBookingOptions(setup, packages, wanted, start?.service === wanted?.code ? start : undefined);
  const { service, mode, providerId, paying } = options;
  const choice = useSlotChoice();
  const { slot, clear } = choice;
  // the open time clicked on the desk's waitlist: chosen once its week's times are read, while the
  // question on screen is still the entry's; or said taken
  const [handed, setHanded] = useState(() => (start?.service === wanted?.code ? start?.time : undefined));
  const [taken, setTaken] = useState(false);
  const [booked, setBooked] = useState<{ appointment: Booked; invoice: Invoice | undefined }>();
  // read again after a 409 (the client booked meanwhile): fresher than the page's read
  const [fresh, setFresh] = useState<{ after: Appointment[] | undefined; list: Appointment[] }>();
  const own = fresh && fresh.after === appointments ? fresh.list : appointments;
  const busy = useMemo(() => own && ownBusy(own), [own]);

  const isEntrys = start !== undefined && service?.code === start.service && mode === start.mode && providerId === start.providerId;
  // a changed question clears the chosen time and any refusal of it, and the time handed over
  useEffect(() => {
    clear();
    if (!isEntrys) setHanded(undefined);
    setTaken(false);
  }, [service, mode, providerId]);
  const onTimes = (read: { from: string; to: string; slots: readonly Slot[] }) => {
    if (!handed || !isEntrys) return;
    // the first read decides (it is of the time's week when that can be shown; another week's says nothing)
    const found = handedOverChoice(handed, read);
    setHanded(undefined);
    // once: a reload comes back to the week, not to this time again
    forgetStoredBookTime();
    if (found === 'taken') setTaken(true);
    else if (found !== 'unread') choice.pick(found.slot);
  };
  // the kind on screen is what a reload comes back to; leaving the page forgets it, so the next
  // booking (another client's, from any link) opens on an intake again
  useEffect(
    () =>
      storeBookService(service?.code === opening?.code ? undefined : service?.code, service?.code === 'integration' ? after : undefined),
    [service?.code],
  );
  useEffect(() => () => storeBookService(undefined), []);

  if (!service)
    return (
      <>
        <PageTitle title="Book for a client">Book for {name}</PageTitle>
        <Alert kind="error">This clinic has no sessions in its catalog yet.</Alert>
      </>
    );
  const links = staffLinks(session, clinic.id);
  const suggested = service.code === 'integration' && own ? windowOfLink(setup, own, after) : undefined;

  const confirm = () =>
    choice.submit(
      async (slot, key) => {
        const appointment = await bookSlot(api, { clientId: client.id, clinicId: clinic.id, service, options }, slot, key).catch(
          async (err: unknown) => {
            // taken: by the client's own session (booked meanwhile elsewhere)? say so, and offer their free times only
            if (!(err instanceof ApiError) || err.code !== 'slot_unavailable') throw err;
            const list = await clientAppointments(api, client.id).catch(() => undefined);
            if (!list) throw err;
            setFresh({ after: appointments, list });
            const clash = ownClash(list, slot);
            throw clash ? new ClientBusyError(clientBusyWords(setup, clash)) : err;
          },
        );
        // the invoice's number for the desk (the booking stands even when it cannot be read)
        const invoice = appointment.invoiceId
          ? await ok(api.GET('/v1/invoices/{invoiceId}', { params: { path: { invoiceId: appointment.invoiceId } } })).catch(() => undefined)
          : undefined;
        return { appointment, invoice };
      },
      (result) => {
        setBooked(result);
        onBooked();
      },
    );

  if (booked)
    return (
      <BookedPanel
        name={name}
        setup={setup}
        booked={booked.appointment}
        invoice={booked.invoice}
        links={links}
        clientId={client.id}
        packages={packages}
        onBooked={onBooked}
        onAnother={() => (setBooked(undefined), choice.again())}
      />
    );

  return (
    <>
      <PageTitle title="Book for a client">Book for {name}</PageTitle>
      <p className="lead">
        Born {formatDate(client.dateOfBirth)} · {clinic.name}. Times are in {zoneLabel(clinic.timezone)}.{' '}
        <Link href={links.chart(client.id)}>Open the chart</Link>
      </p>
      <BookingOptions
        setup={setup}
        options={options}
        service={service}
        words={{ payLegend: 'How it is paid', selfPay: (price) => `Self-pay, ${price}` }}
        className="staff-book-options"
      />
      {service.code === 'integration' && own && <IntegrationWindowHint setup={setup} appointments={own} window={suggested} />}

      {taken && !slot && (
        // said where the week begins, and focused: the desk expected a time chosen
        <Alert kind="warning" focusKey="taken">
          {TIME_TAKEN}
        </Alert>
      )}
      <SlotPicker
        setup={setup}
        service={service.code}
        mode={mode}
        providerId={providerId}
        selected={slot}
        refreshKey={choice.refreshKey}
        busy={busy}
        suggested={suggested}
        startWeek={start?.service === service.code ? start.week : undefined}
        onTimes={onTimes}
        onPick={(picked) => (setTaken(false), choice.pick(picked))}
      />

      <div className="confirm-bar" aria-live="polite">
        {choice.error !== undefined && <StaffErrorAlert error={choice.error} title="This time could not be booked" />}
        {slot ? (
          <div className="card confirm" ref={choice.confirmRef}>
            <h2>Booking for {name}</h2>
            <p>
              <ChosenSession setup={setup} service={service} mode={mode} slot={slot} />
              <br />
              {paying ? `Paid with a credit of ${paying.programName}` : `Self-pay: ${formatMoney(service.price)}`}
            </p>
            <Button onClick={() => void confirm()} busy={choice.busy}>
              Book this time
            </Button>
          </div>
        ) : (
          <p className="muted">Choose a time above to book it.</p>
        )}
      </div>
    </>
  );
}

function BookedPanel({
  name,
  setup,
  booked,
  invoice,
  links,
  clientId,
  packages,
  onBooked,
  onAnother,
}: {
  name: string;
  setup: ClinicSetup;
  booked: Booked;
  invoice: Invoice | undefined;
  links: ReturnType<typeof staffLinks>;
  clientId: string;
  packages: Package[];
  onBooked: () => void;
  onAnother: () => void;
}) {
  const zone = setup.clinic.timezone;
  const service = setup.services.find((s) => s.code === booked.service);
  const [again, setAgain] = useState(false);
  return (
    <>
      <PageTitle title="Booked">Booked for {name}</PageTitle>
      <Alert kind="success" title={`Booked: ${formatDateTime(booked.startsAt, zone)} with ${providerName(setup, booked.providerId)}`}>
        {service?.name ?? booked.service} for {name}, {booked.mode === 'telehealth' ? 'by video' : 'in person'} (
        {zoneShort(zone, new Date(booked.startsAt))}).
        <br />
        {booked.packageId
          ? 'Paid with one credit of the client’s program: nothing to pay.'
          : booked.invoiceId
            ? invoice
              ? `Invoice ${invoice.number}: ${formatMoney(invoice.balance)} due.`
              : 'An invoice was made for this session.'
            : 'No invoice for this session.'}
      </Alert>
      <div className="actions">
        <Link className="btn btn-primary" href={links.day(booked.startsAt)}>
          See the day
        </Link>
        <Link className="btn btn-secondary" href={links.chart(clientId)}>
          Open the chart
        </Link>
        {booked.invoiceId && (
          <Link className="btn btn-secondary" href={links.invoice(booked.invoiceId)}>
            {invoice ? `Invoice ${invoice.number}` : 'The invoice'}
          </Link>
        )}
        <Link className="btn btn-secondary" href={links.reschedule(booked.id)}>
          Move this session
        </Link>
        {!again && (
          <Button kind="secondary" onClick={() => setAgain(true)}>
            Book again at this time
          </Button>
        )}
        <Button kind="link" onClick={onAnother}>
          Book another session for {name}
        </Button>
      </div>
      {again && (
        <BookAgain
          setup={setup}
          first={booked}
          programName={packages.find((p) => p.id === booked.packageId)?.programName}
          clientId={clientId}
          links={links}
          onBooked={onBooked}
        />
      )}
    </>
  );
}
