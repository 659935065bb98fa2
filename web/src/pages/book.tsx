// Book a session: choose the kind (an intake first), in person or by video where the clinic
// allows it, a practitioner or anyone, then an open time in the week view; confirm. A booking a
// rule refuses says which rule in plain words (api/errors.ts) and keeps the choice on screen.
// When one of the client's programs has a credit for the kind of session, the session is paid
// with it (POST /v1/appointments with packageId) unless the person chooses to pay for it.
import { useEffect, useState } from 'react';
import type { ClientSession } from '../app.tsx';
import { useApp } from '../app-context.tsx';
import { ApiError, idempotencyKey, ok } from '../api/client.ts';
import { Alert, Button, ErrorAlert, Loading, PageTitle, Select, useRevealOnChange } from '../components/ui.tsx';
import { SlotPicker } from '../components/slot-picker.tsx';
import { clientRecord } from '../lib/client-data.ts';
import {
  clinicSetup,
  providerName,
  type ClinicSetup,
  type Package,
  type Service,
  type ServiceCode,
  type Slot,
} from '../lib/clinic-data.ts';
import { clientPackages, creditsLeft } from '../lib/packages.ts';
import { formatDateTime, formatDuration, formatMoney, zoneLabel, zoneShort } from '../lib/format.ts';
import { useLoad } from '../lib/use-load.ts';
import { Link, useLocation } from '../router.tsx';

type Mode = 'in_person' | 'telehealth';
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
  if (data.error) return <ErrorAlert error={data.error} title="Booking could not load" />;
  if (!data.data || (packages.loading && !packages.data && !packages.error)) return <Loading />;
  return <Booking session={session} setup={data.data} packages={packages.data ?? []} onBooked={() => void packages.reload()} />;
}

/** The first program with a credit for the service, or '' (pay for the session). */
const creditFor = (packages: Package[], code: ServiceCode | undefined) =>
  (code && packages.find((p) => creditsLeft(p, code) > 0)?.id) || '';

function Booking({
  session,
  setup,
  packages,
  onBooked,
}: {
  session: ClientSession;
  setup: ClinicSetup;
  packages: Package[];
  onBooked: () => void;
}) {
  const { api } = useApp();
  const { query } = useLocation();
  const { clinic, services } = setup;
  const wanted = services.find((s) => s.code === query.get('service')) ?? services.find((s) => s.code === 'intake') ?? services[0];
  const [service, setService] = useState<Service | undefined>(wanted);
  const [packageId, setPackageId] = useState(() => creditFor(packages, wanted?.code));
  const [mode, setMode] = useState<Mode>('in_person');
  const [providerId, setProviderId] = useState('');
  const [slot, setSlot] = useState<Slot>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [booked, setBooked] = useState<Booked>();
  const [refreshKey, setRefreshKey] = useState(0);
  const [key, setKey] = useState(idempotencyKey);
  const confirmRef = useRevealOnChange<HTMLDivElement>(slot?.startsAt);

  // a changed question clears the chosen time and any refusal of it
  useEffect(() => {
    setSlot(undefined);
    setError(undefined);
  }, [service, mode, providerId]);

  if (!service) return <Alert kind="error">This clinic has no sessions to book online.</Alert>;
  const providers = setup.providers.filter((p) => p.role === service.providerRole && (mode === 'in_person' || p.telehealth));
  const byVideo = service.telehealthAllowed;
  const withCredits = packages.filter((p) => creditsLeft(p, service.code) > 0);
  const paying = withCredits.find((p) => p.id === packageId);

  const pick = (s: Slot) => {
    setSlot(s);
    setError(undefined);
    setKey(idempotencyKey()); // a new choice is a new booking
  };

  const confirm = async () => {
    if (!slot) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await ok(
        api.POST('/v1/appointments', {
          headers: { 'idempotency-key': key },
          body: {
            clientId: session.clientId,
            clinicId: clinic.id,
            service: service.code,
            providerId: slot.providerId,
            startsAt: slot.startsAt,
            mode,
            ...(paying ? { packageId: paying.id } : {}),
          },
        }),
      );
      setBooked(result);
      onBooked();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === 'slot_unavailable') {
        setSlot(undefined);
        setRefreshKey((k) => k + 1);
      }
    } finally {
      setBusy(false);
    }
  };

  if (booked)
    return (
      <BookedPanel
        setup={setup}
        booked={booked}
        onAnother={() => (setBooked(undefined), setSlot(undefined), setRefreshKey((k) => k + 1))}
      />
    );

  return (
    <>
      <PageTitle title="Book a session">Book a session</PageTitle>
      <p className="lead">
        At {clinic.name}. Times are in {zoneLabel(clinic.timezone)}.
      </p>
      <div className="card booking-options">
        <Select
          label="Session"
          value={service.code}
          onChange={(code) => {
            const next = services.find((s) => s.code === code);
            setService(next);
            setPackageId(creditFor(packages, next?.code));
            if (next && !next.telehealthAllowed) setMode('in_person');
            setProviderId('');
          }}
          options={services.map((s) => ({
            value: s.code,
            label: `${s.name} · ${formatDuration(s.durationMinutes)} · ${formatMoney(s.price)}`,
          }))}
        />
        <fieldset className="radios">
          <legend>Where</legend>
          <label>
            <input type="radio" name="mode" value="in_person" checked={mode === 'in_person'} onChange={() => setMode('in_person')} /> In
            person
          </label>
          <label className={byVideo ? undefined : 'disabled'}>
            <input
              type="radio"
              name="mode"
              value="telehealth"
              checked={mode === 'telehealth'}
              disabled={!byVideo}
              aria-describedby={byVideo ? undefined : 'no-video'}
              onChange={() => setMode('telehealth')}
            />{' '}
            By video
          </label>
          {!byVideo && (
            <p className="hint" id="no-video">
              {service.name} is held in person only.
            </p>
          )}
        </fieldset>
        <Select
          label="Practitioner"
          value={providerId}
          onChange={setProviderId}
          options={[
            { value: '', label: 'Anyone available' },
            ...providers.map((p) => ({ value: p.id, label: `${p.name}, ${p.credentials}` })),
          ]}
        />
        {withCredits.length > 0 && (
          <fieldset className="radios pay-with">
            <legend>How to pay</legend>
            {withCredits.map((p) => {
              const left = creditsLeft(p, service.code);
              return (
                <label key={p.id}>
                  <input type="radio" name="pay-with" value={p.id} checked={paying?.id === p.id} onChange={() => setPackageId(p.id)} /> A
                  credit of {p.programName} ({left} left)
                </label>
              );
            })}
            <label>
              <input type="radio" name="pay-with" value="" checked={!paying} onChange={() => setPackageId('')} /> Pay{' '}
              {formatMoney(service.price)} instead
            </label>
          </fieldset>
        )}
      </div>

      <SlotPicker
        setup={setup}
        service={service.code}
        mode={mode}
        providerId={providerId}
        selected={slot}
        onPick={pick}
        refreshKey={refreshKey}
      />

      <div className="confirm-bar" aria-live="polite">
        {error !== undefined && <ErrorAlert error={error} title="This time could not be booked" />}
        {slot ? (
          <div className="card confirm" ref={confirmRef}>
            <h2>Your choice</h2>
            <p>
              <strong>{service.name}</strong> with {providerName(setup, slot.providerId)},{' '}
              {mode === 'telehealth' ? 'by video' : 'in person'}
              <br />
              {formatDateTime(slot.startsAt, clinic.timezone)} ({formatDuration(service.durationMinutes)},{' '}
              {zoneShort(clinic.timezone, new Date(slot.startsAt))})
              <br />
              {paying ? `Paid with a credit of ${paying.programName}` : `Price: ${formatMoney(service.price)}`}
            </p>
            <Button onClick={() => void confirm()} busy={busy}>
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
