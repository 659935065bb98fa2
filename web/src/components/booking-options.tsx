// What a booking asks before the week view, the same for a client and for the front desk: the kind
// of session (an intake first unless the page asks for another), in person or by video where the
// service allows it, a practitioner who offers it that way (or anyone), and — when one of the
// client's programs has a credit for that kind — which credit pays, or paying for the session.
// A changed answer resets what depended on it: another kind takes that kind's first credit and
// the in-person place when it is not held by video; by video drops a practitioner who does not
// offer it. Each page says the payment choice in its own words (`words`).
import { useState, type ReactNode } from 'react';
import { ok, type Api } from '../api/client.ts';
import { providerName, type ClinicSetup, type Package, type Service, type ServiceCode, type Slot } from '../lib/clinic-data.ts';
import { creditsLeft } from '../lib/packages.ts';
import { formatDateTime, formatDuration, formatMoney, zoneShort } from '../lib/format.ts';
import { Select } from './ui.tsx';

export type Mode = 'in_person' | 'telehealth';

/** The first program with a credit for the service, or '' (the session is paid for). */
const creditFor = (packages: Package[], code: ServiceCode | undefined) =>
  (code && packages.find((p) => creditsLeft(p, code) > 0)?.id) || '';

/**
 * `start`: the place and practitioner to open on (a waitlist entry's), kept only where they fit
 * the first kind (video where it is held by video, a practitioner who offers it that way).
 */
export function useBookingOptions(
  setup: ClinicSetup,
  packages: Package[],
  first: Service | undefined,
  start?: { mode: Mode; providerId: string },
) {
  const [service, setService] = useState<Service | undefined>(first);
  const [packageId, setPackageId] = useState(() => creditFor(packages, first?.code));
  const [mode, setMode] = useState<Mode>(() => (start?.mode === 'telehealth' && first?.telehealthAllowed ? 'telehealth' : 'in_person'));
  const [providerId, setProviderId] = useState(() =>
    start?.providerId &&
    setup.providers.some(
      (p) => p.id === start.providerId && p.role === first?.providerRole && (p.telehealth || start.mode !== 'telehealth'),
    )
      ? start.providerId
      : '',
  );
  const withCredits = service ? packages.filter((p) => creditsLeft(p, service.code) > 0) : [];
  return {
    service,
    mode,
    providerId,
    setProviderId,
    setPackageId,
    /** Practitioners who offer the service, by video when the place is video. */
    providers: service ? setup.providers.filter((p) => p.role === service.providerRole && (mode === 'in_person' || p.telehealth)) : [],
    /** The client's programs with a credit for the service, and the one chosen to pay (none: paid for). */
    withCredits,
    paying: withCredits.find((p) => p.id === packageId),
    chooseService: (code: string) => {
      const next = setup.services.find((s) => s.code === code);
      setService(next);
      setPackageId(creditFor(packages, next?.code));
      if (next && !next.telehealthAllowed) setMode('in_person');
      setProviderId('');
    },
    chooseMode: (next: Mode) => {
      setMode(next);
      // a practitioner without video cannot stay chosen
      if (next === 'telehealth' && providerId && !setup.providers.some((p) => p.id === providerId && p.telehealth)) setProviderId('');
    },
  };
}

export type BookingOptionsState = ReturnType<typeof useBookingOptions>;

/** Books the chosen time for the client as the options say (POST /v1/appointments). */
export function bookSlot(
  api: Api,
  booking: { clientId: string; clinicId: string; service: Service; options: BookingOptionsState },
  slot: Slot,
  idempotencyKey: string,
) {
  const { mode, paying } = booking.options;
  return ok(
    api.POST('/v1/appointments', {
      headers: { 'Idempotency-Key': idempotencyKey },
      body: {
        clientId: booking.clientId,
        clinicId: booking.clinicId,
        service: booking.service.code,
        providerId: slot.providerId,
        startsAt: slot.startsAt,
        mode,
        ...(paying ? { packageId: paying.id } : {}),
      },
    }),
  );
}

/** The chosen time in words: the session, with whom, where, and when (its length, the clinic's zone). */
export function ChosenSession({ setup, service, mode, slot }: { setup: ClinicSetup; service: Service; mode: Mode; slot: Slot }) {
  const zone = setup.clinic.timezone;
  return (
    <>
      <strong>{service.name}</strong> with {providerName(setup, slot.providerId)}, {mode === 'telehealth' ? 'by video' : 'in person'}
      <br />
      {formatDateTime(slot.startsAt, zone)} ({formatDuration(service.durationMinutes)}, {zoneShort(zone, new Date(slot.startsAt))})
    </>
  );
}

export interface BookingOptionsWords {
  /** The legend of the payment choice. */
  payLegend: string;
  /** The choice of paying for the session at its price. */
  selfPay: (price: string) => ReactNode;
}

export function BookingOptions({
  setup,
  options,
  service,
  words,
  className,
}: {
  setup: ClinicSetup;
  options: BookingOptionsState;
  /** options.service, known to be there (a page without one says so instead). */
  service: Service;
  words: BookingOptionsWords;
  className?: string;
}) {
  const { mode, providerId, providers, withCredits, paying } = options;
  const byVideo = service.telehealthAllowed;
  return (
    <div className={className ? `card booking-options ${className}` : 'card booking-options'}>
      <div className="booking-session">
        <Select
          label="Session"
          value={service.code}
          onChange={options.chooseService}
          options={setup.services.map((s) => ({
            value: s.code,
            label: `${s.name} · ${formatDuration(s.durationMinutes)} · ${formatMoney(s.price)}`,
          }))}
        />
      </div>
      <fieldset className="radios">
        <legend>Where</legend>
        <label>
          <input
            type="radio"
            name="mode"
            value="in_person"
            checked={mode === 'in_person'}
            onChange={() => options.chooseMode('in_person')}
          />{' '}
          In person
        </label>
        <label className={byVideo ? undefined : 'disabled'}>
          <input
            type="radio"
            name="mode"
            value="telehealth"
            checked={mode === 'telehealth'}
            disabled={!byVideo}
            aria-describedby={byVideo ? undefined : 'no-video'}
            onChange={() => options.chooseMode('telehealth')}
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
        onChange={options.setProviderId}
        options={[
          { value: '', label: 'Anyone available' },
          ...providers.map((p) => ({ value: p.id, label: `${p.name}, ${p.credentials}` })),
        ]}
      />
      {withCredits.length > 0 && (
        <fieldset className="radios pay-with">
          <legend>{words.payLegend}</legend>
          {withCredits.map((p) => (
            <label key={p.id}>
              <input type="radio" name="pay-with" value={p.id} checked={paying?.id === p.id} onChange={() => options.setPackageId(p.id)} />{' '}
              A credit of {p.programName} ({creditsLeft(p, service.code)} left)
            </label>
          ))}
          <label>
            <input type="radio" name="pay-with" value="" checked={!paying} onChange={() => options.setPackageId('')} />{' '}
            {words.selfPay(formatMoney(service.price))}
          </label>
        </fieldset>
      )}
    </div>
  );
}
