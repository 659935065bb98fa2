import { describe, expect, it } from 'vitest';
import {
  bookingViolations,
  checkBooking,
  checkInRefusal,
  explorationCourse,
  PASSED_START,
  COURSE_DEPENDENT_SERVICES,
  precedingExploration,
  ruleMessage,
  type BookingCheckInput,
} from '#domain/booking-rules.ts';
import { RuleViolation, type RuleName } from '#domain/errors.ts';
import type { Appointment, Clearance, Client, ServiceCode } from '#domain/types.ts';
import { ALL_DAY, DAY, HOUR, NY, appt, at, client, clinic, provider, service } from './fixtures.ts';

const NOW = at('2026-06-01', '08:00');
const EXPLORATION_AT = at('2026-06-10', '10:00');

const CLEARED: Clearance = {
  status: 'cleared',
  screenedFor: ['blood_pressure', 'psychosis_history'],
  validUntil: '2026-12-31',
  recordedBy: 'clinician-1',
  recordedAt: 0,
};

/** A client ready for an exploration: intake done, cleared, two preparations before it, a ride home. */
function readyClient(overrides: Partial<Client> = {}): Client {
  return client({ clearance: CLEARED, rideHome: { name: 'Sam', phone: '+15555550101' }, ...overrides });
}

function readyHistory(): Appointment[] {
  return [
    appt('intake', at('2026-06-02', '09:00'), { status: 'completed' }),
    appt('preparation', at('2026-06-03', '09:00')),
    appt('preparation', at('2026-06-05', '09:00')),
  ];
}

/** A valid exploration booked by the client itself; each test changes one thing. */
function booking(overrides: Partial<BookingCheckInput> = {}): BookingCheckInput {
  const code: ServiceCode = overrides.service?.code ?? 'exploration';
  const startsAt = overrides.startsAt ?? EXPLORATION_AT;
  return {
    clinic: clinic(NY),
    service: service(code),
    provider: provider('p1'),
    mode: 'in_person',
    client: readyClient(),
    startsAt,
    endsAt: startsAt + service(code).durationMinutes * 60_000,
    now: NOW,
    actor: 'client',
    clientAppointments: readyHistory(),
    ...overrides,
  };
}

/** `rule: message` of checkBooking's refusal, or 'accepted'. */
function messageOfCheck(input: BookingCheckInput): string {
  try {
    checkBooking(input);
  } catch (e) {
    return e instanceof RuleViolation ? `${e.rule}: ${e.message}` : String(e);
  }
  return 'accepted';
}

describe('a valid booking', () => {
  it('breaks no rule and does not throw', () => {
    expect(bookingViolations(booking())).toEqual([]);
    expect(() => checkBooking(booking())).not.toThrow();
  });

  it('other services skip the exploration prerequisites', () => {
    const newcomer = client();
    for (const code of ['intake', 'preparation', 'integration', 'ongoing_care'] as const) {
      const startsAt = at('2026-06-10', '10:00');
      expect(
        bookingViolations(booking({ service: service(code), client: newcomer, clientAppointments: [], startsAt, endsAt: startsAt + HOUR })),
      ).toEqual([]);
    }
  });

  it('services outside COURSE_DEPENDENT_SERVICES need no client record at all; an exploration does', () => {
    const startsAt = at('2026-06-10', '10:00');
    for (const code of ['intake', 'medical_evaluation', 'preparation', 'ongoing_care'] as const) {
      expect(COURSE_DEPENDENT_SERVICES).not.toContain(code);
      const input = booking({ service: service(code), client: null, clientAppointments: [], startsAt, endsAt: startsAt + HOUR });
      expect(
        bookingViolations({
          ...input,
          provider: code === 'medical_evaluation' ? { ...input.provider, role: 'prescriber' } : input.provider,
        }),
      ).toEqual([]);
    }
    expect(COURSE_DEPENDENT_SERVICES).toEqual(expect.arrayContaining(['exploration', 'integration']));
    expect(() => bookingViolations(booking({ client: null }))).toThrow(/client/);
  });
});

describe('provider_not_eligible', () => {
  it('when the provider does not have the role the service needs', () => {
    expect(bookingViolations(booking({ provider: provider('rx', { role: 'prescriber' }) }))).toEqual(['provider_not_eligible']);
    const evalStart = at('2026-06-10', '10:00');
    expect(bookingViolations(booking({ service: service('medical_evaluation'), startsAt: evalStart, endsAt: evalStart + HOUR }))).toEqual([
      'provider_not_eligible',
    ]);
  });
});

describe('telehealth_not_allowed', () => {
  const prepAt = at('2026-06-10', '10:00');
  const prep = { service: service('preparation'), startsAt: prepAt, endsAt: prepAt + HOUR };

  it('for a service that is in person only', () => {
    expect(bookingViolations(booking({ mode: 'telehealth' }))).toEqual(['telehealth_not_allowed']);
  });

  it('for a provider who does not do video', () => {
    expect(bookingViolations(booking({ ...prep, mode: 'telehealth', provider: provider('p1', { telehealth: false }) }))).toEqual([
      'telehealth_not_allowed',
    ]);
    expect(bookingViolations(booking({ ...prep, mode: 'telehealth' }))).toEqual([]);
    expect(bookingViolations(booking({ ...prep, mode: 'in_person', provider: provider('p1', { telehealth: false }) }))).toEqual([]);
  });
});

describe('minimum_notice and booking_window', () => {
  const always = provider('p1', { weeklyHours: ALL_DAY });
  const prepAt = (startsAt: number) => booking({ service: service('preparation'), provider: always, startsAt, endsAt: startsAt + HOUR });

  it('a client needs minimumNoticeHours: exactly that is fine, a millisecond less is not', () => {
    expect(bookingViolations(prepAt(NOW + 24 * HOUR))).toEqual([]);
    expect(bookingViolations(prepAt(NOW + 24 * HOUR - 1))).toEqual(['minimum_notice']);
    expect(bookingViolations({ ...prepAt(NOW + 3 * HOUR), clinic: clinic(NY, { minimumNoticeHours: 2 }) })).toEqual([]);
  });

  it('a client may book up to bookingWindowDays ahead, inclusive', () => {
    expect(bookingViolations(prepAt(NOW + 90 * DAY))).toEqual([]);
    expect(bookingViolations(prepAt(NOW + 90 * DAY + 1))).toEqual(['booking_window']);
  });

  it('staff may book inside the notice period and beyond the window', () => {
    expect(bookingViolations({ ...prepAt(NOW + 1), actor: 'staff' })).toEqual([]);
    expect(bookingViolations({ ...prepAt(NOW + 200 * DAY), actor: 'staff' })).toEqual([]);
  });

  it('nobody books now or the past', () => {
    expect(bookingViolations({ ...prepAt(NOW), actor: 'staff' })).toEqual(['minimum_notice']);
    expect(bookingViolations({ ...prepAt(NOW - HOUR), actor: 'staff' })).toEqual(['minimum_notice']);
    expect(bookingViolations(prepAt(NOW - HOUR))).toEqual(['minimum_notice']);
  });

  it('the message says the start has passed when it has, and names the notice only when that is what binds', () => {
    expect(messageOfCheck({ ...prepAt(NOW - HOUR), actor: 'staff' })).toBe(`minimum_notice: ${PASSED_START}`);
    expect(messageOfCheck(prepAt(NOW - HOUR))).toBe(`minimum_notice: ${PASSED_START}`);
    expect(messageOfCheck(prepAt(NOW + HOUR))).toBe("minimum_notice: Online bookings need at least 24 hours' notice");
  });

  it('a start at exactly now has passed: its refusal says so, to staff and clients alike', () => {
    expect(messageOfCheck({ ...prepAt(NOW), actor: 'staff' })).toBe(`minimum_notice: ${PASSED_START}`);
    expect(messageOfCheck(prepAt(NOW))).toBe(`minimum_notice: ${PASSED_START}`);
    expect(PASSED_START).toBe('The start time has already passed');
  });

  it('a passed start reported under another rule keeps that rule’s own message', () => {
    const prescriber = provider('rx', { role: 'prescriber', weeklyHours: ALL_DAY });
    const input = { ...prepAt(NOW - HOUR), provider: prescriber, actor: 'staff' as const };
    expect(bookingViolations(input)).toEqual(['provider_not_eligible', 'minimum_notice']);
    expect(messageOfCheck(input)).toBe('provider_not_eligible: This provider does not offer this service');
  });
});

describe('outside_hours', () => {
  const prepFrom = (startsAt: number, minutes = 60, actor: 'client' | 'staff' = 'staff') =>
    booking({ service: service('preparation'), startsAt, endsAt: startsAt + minutes * 60_000, actor });

  it('applies to staff too, at either end of the window', () => {
    expect(bookingViolations(prepFrom(at('2026-06-10', '09:00')))).toEqual([]);
    expect(bookingViolations(prepFrom(at('2026-06-10', '16:00')))).toEqual([]);
    expect(bookingViolations(prepFrom(at('2026-06-10', '08:30')))).toEqual(['outside_hours']);
    expect(bookingViolations(prepFrom(at('2026-06-10', '16:30')))).toEqual(['outside_hours']);
    expect(bookingViolations(booking({ startsAt: at('2026-06-10', '15:00'), endsAt: at('2026-06-10', '18:00') }))).toEqual([
      'outside_hours',
    ]);
  });

  it('on a day without hours', () => {
    const weekdays = provider('p1', { weeklyHours: [{ day: 'mon', start: '09:00', end: '17:00' }] });
    const wed = at('2026-06-10', '10:00');
    expect(bookingViolations({ ...prepFrom(wed), provider: weekdays })).toEqual(['outside_hours']);
    const mon = at('2026-06-08', '10:00');
    expect(bookingViolations({ ...prepFrom(mon), provider: weekdays })).toEqual([]);
  });

  it('reads hours on the clinic wall clock across DST (spring forward and fall back)', () => {
    for (const date of ['2026-03-08', '2026-11-01']) {
      const now = at('2026-02-01', '08:00');
      const check = (time: string, minutes = 60) => bookingViolations({ ...prepFrom(at(date, time), minutes), now });
      expect(check('09:00')).toEqual([]);
      expect(check('16:00')).toEqual([]);
      // Hours resolved with the previous day's offset would accept one of these on each date.
      expect(check('08:00')).toEqual(['outside_hours']);
      expect(check('16:30')).toEqual(['outside_hours']);
    }
  });

  it('uses the clinic-local date of the start, not the UTC date', () => {
    // 20:00 in New York is already the next day in UTC.
    const evening = provider('p1', { weeklyHours: [{ day: 'wed', start: '18:00', end: '22:00' }] });
    expect(bookingViolations({ ...prepFrom(at('2026-06-10', '20:00')), provider: evening })).toEqual([]);
  });
});

describe('intake_required', () => {
  it('without an intake appointment or a recorded intake', () => {
    expect(bookingViolations(booking({ clientAppointments: readyHistory().slice(1) }))).toEqual(['intake_required']);
  });

  it('an intake booked before the exploration counts; one after it does not', () => {
    const rest = readyHistory().slice(1);
    expect(bookingViolations(booking({ clientAppointments: [...rest, appt('intake', at('2026-06-04', '09:00'))] }))).toEqual([]);
    expect(bookingViolations(booking({ clientAppointments: [...rest, appt('intake', at('2026-06-12', '09:00'))] }))).toEqual([
      'intake_required',
    ]);
  });

  it('a cancelled or missed intake does not count, nor does the medical evaluation', () => {
    const rest = readyHistory().slice(1);
    for (const status of ['cancelled', 'no_show'] as const) {
      expect(bookingViolations(booking({ clientAppointments: [...rest, appt('intake', at('2026-06-04', '09:00'), { status })] }))).toEqual([
        'intake_required',
      ]);
    }
    expect(bookingViolations(booking({ clientAppointments: [...rest, appt('medical_evaluation', at('2026-06-04', '09:00'))] }))).toEqual([
      'intake_required',
    ]);
  });

  it('an intake at the same instant as the exploration is not before it', () => {
    const rest = readyHistory().slice(1);
    expect(bookingViolations(booking({ clientAppointments: [...rest, appt('intake', EXPLORATION_AT)] }))).toEqual(['intake_required']);
  });

  it('a completed intake counts whenever it took place (the day’s schedule re-checks past explorations)', () => {
    const intakeAfter = appt('intake', at('2026-06-12', '09:00'), { status: 'completed' });
    const policy = clinic(NY).policy;
    expect(explorationCourse({ intakeCompleted: false }, [intakeAfter], EXPLORATION_AT, policy).intake).toBe(true);
    expect(explorationCourse({ intakeCompleted: false }, [{ ...intakeAfter, status: 'booked' }], EXPLORATION_AT, policy).intake).toBe(
      false,
    );
  });

  it('a client whose intake is recorded as done needs no appointment', () => {
    expect(
      bookingViolations(booking({ client: readyClient({ intakeCompleted: true }), clientAppointments: readyHistory().slice(1) })),
    ).toEqual([]);
  });
});

describe('clearance_required', () => {
  it('without a clearance, or when not cleared', () => {
    expect(bookingViolations(booking({ client: readyClient({ clearance: undefined }) }))).toEqual(['clearance_required']);
    expect(bookingViolations(booking({ client: readyClient({ clearance: { ...CLEARED, status: 'not_cleared' } }) }))).toEqual([
      'clearance_required',
    ]);
  });

  it('validUntil is inclusive and read on the clinic-local date of the start', () => {
    const withValidUntil = (validUntil: string | undefined) => readyClient({ clearance: { ...CLEARED, validUntil } });
    expect(bookingViolations(booking({ client: withValidUntil('2026-06-10') }))).toEqual([]);
    expect(bookingViolations(booking({ client: withValidUntil('2026-06-09') }))).toEqual(['clearance_required']);
    expect(bookingViolations(booking({ client: withValidUntil(undefined) }))).toEqual([]);
    // 21:00 on June 10 in New York is June 11 in UTC: still valid through June 10 local.
    const late = provider('p1', { weeklyHours: [{ day: 'wed', start: '20:00', end: '24:00' }] });
    const startsAt = at('2026-06-10', '21:00');
    expect(
      bookingViolations(booking({ client: withValidUntil('2026-06-10'), provider: late, startsAt, endsAt: startsAt + 3 * HOUR })),
    ).toEqual([]);
  });
});

describe('preparation_required', () => {
  const [intake, prep1, prep2] = readyHistory() as [Appointment, Appointment, Appointment];

  it('with fewer than the required preparations before the exploration', () => {
    expect(bookingViolations(booking({ clientAppointments: [intake, prep1] }))).toEqual(['preparation_required']);
  });

  it('cancelled preparations and ones after the exploration do not count', () => {
    expect(bookingViolations(booking({ clientAppointments: [intake, prep1, { ...prep2, status: 'cancelled' }] }))).toEqual([
      'preparation_required',
    ]);
    expect(bookingViolations(booking({ clientAppointments: [intake, prep1, { ...prep2, startsAt: at('2026-06-11', '09:00') }] }))).toEqual([
      'preparation_required',
    ]);
  });

  it('a preparation at the same instant as the exploration is not before it', () => {
    expect(bookingViolations(booking({ clientAppointments: [intake, prep1, { ...prep2, startsAt: EXPLORATION_AT }] }))).toEqual([
      'preparation_required',
    ]);
  });

  it('booked, checked-in and completed preparations all count', () => {
    expect(
      bookingViolations(booking({ clientAppointments: [intake, { ...prep1, status: 'completed' }, { ...prep2, status: 'checked_in' }] })),
    ).toEqual([]);
  });

  it('follows the clinic’s required number', () => {
    expect(bookingViolations(booking({ clinic: clinic(NY, { requiredPreparationSessions: 3 }) }))).toEqual(['preparation_required']);
    expect(
      bookingViolations(booking({ clinic: clinic(NY, { requiredPreparationSessions: 1 }), clientAppointments: [intake, prep1] })),
    ).toEqual([]);
  });
});

describe('ride_home_required', () => {
  it('without a ride-home contact', () => {
    expect(bookingViolations(booking({ client: readyClient({ rideHome: undefined }) }))).toEqual(['ride_home_required']);
  });
});

describe('exploration_spacing', () => {
  const withOther = (startsAt: number, status: Appointment['status'] = 'booked') =>
    booking({ clientAppointments: [...readyHistory(), appt('exploration', startsAt, { status, endsAt: startsAt + 3 * HOUR })] });

  it('exactly 48 hours apart is fine, either direction', () => {
    expect(bookingViolations(withOther(EXPLORATION_AT - 48 * HOUR))).toEqual([]);
    expect(bookingViolations(withOther(EXPLORATION_AT + 48 * HOUR))).toEqual([]);
  });

  it('less than 48 hours apart fails, before or after', () => {
    expect(bookingViolations(withOther(EXPLORATION_AT - 48 * HOUR + 1))).toEqual(['exploration_spacing']);
    expect(bookingViolations(withOther(EXPLORATION_AT + 48 * HOUR - 1))).toEqual(['exploration_spacing']);
    expect(bookingViolations(withOther(EXPLORATION_AT + 24 * HOUR))).toEqual(['exploration_spacing']);
  });

  it('ignores cancelled and missed explorations and follows the clinic setting', () => {
    expect(bookingViolations(withOther(EXPLORATION_AT + 24 * HOUR, 'cancelled'))).toEqual([]);
    expect(bookingViolations(withOther(EXPLORATION_AT + 24 * HOUR, 'no_show'))).toEqual([]);
    expect(bookingViolations({ ...withOther(EXPLORATION_AT + 24 * HOUR), clinic: clinic(NY, { explorationSpacingHours: 24 }) })).toEqual(
      [],
    );
  });
});

describe('package rules', () => {
  const prepAt = at('2026-06-10', '10:00');
  const prep = { service: service('preparation'), startsAt: prepAt, endsAt: prepAt + HOUR };

  it('no_credit when nothing remains, for any service', () => {
    expect(bookingViolations(booking({ packageState: { remaining: 0, pastDue: false } }))).toEqual(['no_credit']);
    expect(bookingViolations(booking({ ...prep, packageState: { remaining: 0, pastDue: false } }))).toEqual(['no_credit']);
    expect(bookingViolations(booking({ packageState: { remaining: 1, pastDue: false } }))).toEqual([]);
  });

  it('payment_past_due blocks explorations only', () => {
    expect(bookingViolations(booking({ packageState: { remaining: 2, pastDue: true } }))).toEqual(['payment_past_due']);
    expect(bookingViolations(booking({ ...prep, packageState: { remaining: 2, pastDue: true } }))).toEqual([]);
  });
});

describe('reporting order', () => {
  it('lists every failing rule in contract order, provider eligibility first', () => {
    const everythingWrong = booking({
      provider: provider('rx', { role: 'prescriber', telehealth: false, weeklyHours: [] }),
      mode: 'telehealth',
      client: client(),
      clientAppointments: [appt('exploration', EXPLORATION_AT + HOUR)],
      packageState: { remaining: 0, pastDue: true },
    });
    const expected: RuleName[] = [
      'provider_not_eligible',
      'telehealth_not_allowed',
      'outside_hours',
      'intake_required',
      'clearance_required',
      'preparation_required',
      'ride_home_required',
      'exploration_spacing',
      'no_credit',
      'payment_past_due',
    ];
    expect(bookingViolations(everythingWrong)).toEqual(expected);
    expect(bookingViolations({ ...everythingWrong, startsAt: NOW + HOUR, endsAt: NOW + 4 * HOUR }).slice(0, 4)).toEqual([
      'provider_not_eligible',
      'telehealth_not_allowed',
      'minimum_notice',
      'outside_hours',
    ]);
    expect(bookingViolations({ ...everythingWrong, startsAt: NOW + 100 * DAY, endsAt: NOW + 100 * DAY + HOUR }).slice(2, 4)).toEqual([
      'booking_window',
      'outside_hours',
    ]);
  });

  it('checkBooking throws the first, with a message that names neither the client nor a drug', () => {
    const cases: [Partial<BookingCheckInput>, RuleName][] = [
      [{ mode: 'telehealth', client: readyClient({ rideHome: undefined }) }, 'telehealth_not_allowed'],
      [{ client: readyClient({ rideHome: undefined, clearance: undefined }) }, 'clearance_required'],
      [{ client: readyClient({ rideHome: undefined }), packageState: { remaining: 0, pastDue: true } }, 'ride_home_required'],
      [{ packageState: { remaining: 0, pastDue: true } }, 'no_credit'],
    ];
    for (const [overrides, rule] of cases) {
      let thrown: unknown;
      try {
        checkBooking(booking(overrides));
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(RuleViolation);
      const v = thrown as RuleViolation;
      expect(v.rule).toBe(rule);
      expect(v.status).toBe(422);
      expect(v.message.length).toBeGreaterThan(10);
      expect(v.message).not.toMatch(/ketamine|dosing|drug|Avery|Sample/i);
    }
  });
});

describe('ruleMessage', () => {
  // Record<RuleName, …>: the type checker fails this test when a rule is added without a line here.
  const every: Record<RuleName, true> = {
    provider_not_eligible: true,
    telehealth_not_allowed: true,
    minimum_notice: true,
    booking_window: true,
    outside_hours: true,
    intake_required: true,
    clearance_required: true,
    preparation_required: true,
    ride_home_required: true,
    exploration_spacing: true,
    no_credit: true,
    payment_past_due: true,
    installments_not_eligible: true,
    bnpl_unavailable: true,
    sms_consent_required: true,
    billing_profile_missing: true,
    diagnosis_required: true,
    provider_npi_missing: true,
  };
  const policy = clinic(NY, {
    minimumNoticeHours: 12,
    bookingWindowDays: 60,
    requiredPreparationSessions: 3,
    explorationSpacingHours: 72,
  }).policy;

  it('every rule is explained in its own words, without client detail or drug names', () => {
    const messages = (Object.keys(every) as RuleName[]).map((rule) => ruleMessage(rule, policy));
    for (const m of messages) {
      expect(m.length).toBeGreaterThan(10);
      expect(m).not.toMatch(/ketamine|dosing|drug/i);
    }
    expect(new Set(messages).size).toBe(messages.length);
  });

  it('the rules set by the clinic’s policy state the clinic’s own numbers', () => {
    expect(ruleMessage('minimum_notice', policy)).toBe("Online bookings need at least 12 hours' notice");
    expect(ruleMessage('booking_window', policy)).toBe('Online bookings can be made at most 60 days ahead');
    expect(ruleMessage('preparation_required', policy)).toBe(
      'At least 3 preparation sessions must be completed or booked before this session',
    );
    expect(ruleMessage('exploration_spacing', policy)).toBe('Exploration sessions must start at least 72 hours apart');
  });
});

describe('checkInRefusal', () => {
  const sessionAt = at('2026-06-10', '21:00'); // June 11 in UTC

  it('an exploration is checked in only with a clearance valid on its clinic-local date', () => {
    const exploration = { service: 'exploration' as const, startsAt: sessionAt };
    expect(checkInRefusal(exploration, CLEARED, NY)).toBeNull();
    expect(checkInRefusal(exploration, { ...CLEARED, validUntil: '2026-06-10' }, NY)).toBeNull();
    expect(checkInRefusal(exploration, { ...CLEARED, validUntil: '2026-06-09' }, NY)).toBe('clearance_required');
    expect(checkInRefusal(exploration, { ...CLEARED, status: 'not_cleared' }, NY)).toBe('clearance_required');
    expect(checkInRefusal(exploration, undefined, NY)).toBe('clearance_required');
  });

  it('other services need no clearance at check-in', () => {
    for (const code of ['intake', 'medical_evaluation', 'preparation', 'integration', 'ongoing_care'] as const) {
      expect(checkInRefusal({ service: code, startsAt: sessionAt }, undefined, NY)).toBeNull();
    }
  });
});

describe('precedingExploration', () => {
  it('is the latest active exploration that starts before the given time', () => {
    const first = appt('exploration', at('2026-06-10', '10:00'));
    const second = appt('exploration', at('2026-06-13', '10:00'), { status: 'completed' });
    const cancelled = appt('exploration', at('2026-06-14', '10:00'), { status: 'cancelled' });
    const later = appt('exploration', at('2026-06-20', '10:00'));
    const prep = appt('preparation', at('2026-06-15', '10:00'));
    const all = [later, prep, cancelled, second, first];
    expect(precedingExploration(all, at('2026-06-15', '12:00'))).toBe(second);
    expect(precedingExploration(all, at('2026-06-12', '12:00'))).toBe(first);
    expect(precedingExploration(all, at('2026-06-13', '10:00'))).toBe(first); // strictly before
    expect(precedingExploration(all, at('2026-06-10', '10:00'))).toBeUndefined();
  });

  it('is the latest whatever order the appointments come in', () => {
    const first = appt('exploration', at('2026-06-10', '10:00'));
    const second = appt('exploration', at('2026-06-13', '10:00'));
    expect(precedingExploration([first, second], at('2026-06-15', '12:00'))).toBe(second);
    expect(precedingExploration([second, first], at('2026-06-15', '12:00'))).toBe(second);
  });
});
