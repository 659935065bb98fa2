// Request shapes of the scheduling API: the single source of validation (and of the OpenAPI
// document). Objects are strict: unknown fields are a 400 (docs/api.md, "Requests and responses").
//
// Nothing here is built at import: this module is on the scheduling function's cold-start path
// (through shared/http/routes/scheduling.ts), and building every route's schema there cost milliseconds per cold start
// for routes the request may never touch (docs/decisions.md, "Cold start"). A route's schema is
// a `z.lazy` (./lazy.ts `route`) whose inner schema is built on its first parse; the pieces
// several routes share are built once, on first use (`once`). The rules and messages are those
// the eager schemas had: z.lazy only hands the value to its inner schema. The pieces the payments
// and billing shapes use too are in ./common.ts.
import * as z from './zod.ts';
import { once, route } from './lazy.ts';
import {
  across,
  fieldRule,
  whileSound,
  boundedDate,
  freeText,
  optionalOrNull,
  idSchema,
  intRange,
  operatingDateSchema,
  EARLIEST_OPERATING_DATE,
  LATEST_OPERATING_DATE,
} from './common.ts';
import { canonicalPhone, phoneProblem } from '#domain/phone.ts';
import { MODES, SERVICE_CODES, WEEKDAYS, type Currency } from '#domain/types.ts';
import { isValidDate, isValidZone, parseTimeOfDay } from '#domain/time.ts';
import { isIcd10Code, isValidEin, isValidGstHstNumber, isValidNpi } from '#domain/npi.ts';
import {
  addressPostalIssues,
  addressRegionIssues,
  canonicalPostalCode,
  isJurisdiction,
  printedTextProblem,
} from '#domain/billing-profile.ts';
import { clinicNameProblem } from '#domain/denylist.ts';
import { smsNameProblem } from '#domain/sms.ts';
import { feeCurrencyIssues } from '#domain/policy.ts';
import { duplicateCodeIndexes, MAX_DIAGNOSIS_CODES } from '#domain/diagnoses.ts';
import { availabilityRangeIssues } from '#domain/availability.ts';
import { gridProblem } from '#domain/grid.ts';
import { videoRoomUrlProblem } from '#domain/video-room.ts';
import { timeOffSpanIssues } from '#domain/time-off.ts';
import { waitlistSpanIssues } from '#domain/waitlist.ts';

interface Range {
  from: string;
  to: string;
}

/** Calendar dates anyone may give (a date of birth): 1900 to 2199. */
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2199-12-31';
/** A calendar date from EARLIEST_DATE to LATEST_DATE. */
export const dateSchema = once(() => boundedDate(EARLIEST_DATE, LATEST_DATE));

// `abort`: the weekly-hours refinements compare parsed times and must never see a bad one.
const timeOfDay = once(() => z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Must be a time HH:mm', abort: true })));
const endTimeOfDay = once(() =>
  z.string().check(z.regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'Must be a time HH:mm', abort: true })),
);

/**
 * An ISO 8601 instant with an offset or Z (docs/api.md, "Times"), its date as written in the
 * working range → epoch ms. `onGrid`: also on the booking grid (#domain/grid.ts), as an
 * appointment's start must be.
 */
const instantSchema = (onGrid: boolean) =>
  z.pipe(
    z.string().check(
      z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, {
        message: 'Must be an ISO 8601 date-time with an offset, e.g. 2026-12-03T09:00:00-05:00',
      }),
      z.refine((s) => !Number.isNaN(Date.parse(s)) && isValidDate(s.slice(0, 10)), { message: 'Not a real date-time', ...whileSound }),
      // the date as written in its own offset, the clinic's local date when sent as availability gives it
      z.refine((s) => s.slice(0, 10) >= EARLIEST_OPERATING_DATE && s.slice(0, 10) <= LATEST_OPERATING_DATE, {
        message: `Must be between ${EARLIEST_OPERATING_DATE} and ${LATEST_OPERATING_DATE}`,
        ...whileSound,
      }),
      ...(onGrid ? [fieldRule((s: string) => gridProblem(Date.parse(s)))] : []),
    ),
    z.transform((s: string) => Date.parse(s)),
  );

/** An appointment's start: an instant on the booking grid. */
const startSchema = once(() => instantSchema(true));

/**
 * E.164, a US or Canadian mobile or landline number (#domain/phone.ts says which: not other +1
 * countries, toll-free, premium-rate or other special numbers), stored in canonical E.164.
 */
const phoneSchema = once(() =>
  z.pipe(
    z.string().check(
      z.regex(/^\+[1-9]\d{6,14}$/, 'Must be an E.164 phone number, e.g. +12125550123'),
      z.superRefine((s, ctx) => {
        const problem = phoneProblem(s);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }, whileSound),
    ),
    z.transform((s: string) => canonicalPhone(s)),
  ),
);

/** An IANA zone, stored in its canonical spelling ('america/new_york' → 'America/New_York'). */
const zoneSchema = () =>
  z.pipe(
    z.string().check(z.refine(isValidZone, 'Must be an IANA time zone, e.g. America/New_York')),
    z.transform((zone: string) => new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone),
  );
const currencySchema = once(() => z.enum(['USD', 'CAD']));
const hours = (max: number) => intRange(0, max, 'Must be a whole number');

const policySchema = once(() =>
  z.strictObject({
    cancellationWindowHours: hours(24 * 30),
    minimumNoticeHours: hours(24 * 30),
    bookingWindowDays: intRange(1, 730),
    explorationSpacingHours: hours(24 * 30),
    integrationWithinDays: intRange(1, 60),
    requiredPreparationSessions: intRange(0, 10),
    reminderOffsetsHours: z.array(intRange(1, 24 * 14)).check(
      z.maxLength(5),
      z.refine((a) => new Set(a).size === a.length, 'Offsets must be distinct'),
    ),
    quietHours: z.strictObject({ start: timeOfDay(), end: timeOfDay() }),
    lateCancellationFee: z.strictObject({ amount: intRange(0, 10_000_000, 'Integer minor units'), currency: currencySchema() }),
    slotStepMinutes: z.union([z.literal(15), z.literal(30), z.literal(60)]),
    lateCancellationForfeitsCredit: z.boolean(),
    installments: z.strictObject({
      minimumTotal: intRange(0, 100_000_000),
      allowedCounts: z.array(intRange(1, 36)).check(z.minLength(1), z.maxLength(12)),
      minimumDownPaymentPercent: intRange(0, 100),
    }),
    checkInLeadMinutes: intRange(0, 24 * 60),
  }),
);

/** A clinic's name (#domain/denylist.ts) and SMS name (#domain/sms.ts), with their rules. */
const clinicName = () => freeText(200).check(fieldRule(clinicNameProblem));
const smsName = () => freeText(40).check(fieldRule(smsNameProblem));

export const createClinicSchema = route(() =>
  z
    .strictObject({
      name: clinicName(),
      smsName: z.optional(smsName()),
      timezone: zoneSchema(),
      currency: currencySchema(),
      country: z.enum(['US', 'CA']),
      policy: z.optional(z.partial(policySchema())),
    })
    .check(
      // the fee's currency is the clinic's; a PATCH's is the service's (it knows the clinic)
      across(
        ['currency', 'policy.lateCancellationFee.currency'],
        (c: { currency: Currency; policy?: { lateCancellationFee?: { currency: Currency } | undefined } | undefined }) => {
          const fee = c.policy?.lateCancellationFee;
          return fee ? feeCurrencyIssues(c.currency, fee.currency) : [];
        },
      ),
    ),
);

/** An NPI as CMS issues them: 10 digits, the last the Luhn check digit over 80840 + the first nine. */
const npiSchema = once(() =>
  z
    .string()
    .check(
      z.regex(/^\d{10}$/, 'An NPI is 10 digits'),
      z.refine(isValidNpi, { message: 'Not a valid NPI: the check digit does not match', ...whileSound }),
    ),
);

/** A US state (or DC) or a Canadian province or territory, upper case: NY, ON. */
const jurisdictionSchema = once(() =>
  z
    .string()
    .check(
      z.regex(/^[A-Z]{2}$/, 'Must be a 2-letter state or province code in upper case, e.g. NY or ON'),
      z.refine(isJurisdiction, { message: 'Not a US state or Canadian province or territory', ...whileSound }),
    ),
);

const POSTAL_SHAPE = /^[A-Z0-9][A-Z0-9 -]{2,9}$/;

/**
 * A postal address: the region must be a state (US) or province (CA) of its country, the postal
 * code a ZIP code (US) or Canadian postal code (CA), stored upper case ("M5V2T6" → "M5V 2T6").
 */
const postalAddressSchema = once(() =>
  z
    .strictObject({
      line1: freeText(200),
      line2: optionalOrNull(freeText(200)),
      city: freeText(100),
      region: z.string().check(z.regex(/^[A-Z]{2}$/, 'Must be a 2-letter state or province code in upper case, e.g. NY or ON')),
      postalCode: z.string().check(
        z.overwrite((s) => s.trim().toUpperCase()),
        z.regex(POSTAL_SHAPE, 'Must be a ZIP code (10001, 10001-1234) or a Canadian postal code (M5V 2T6)'),
      ),
      country: z.enum(['US', 'CA']),
    })
    .check(
      // each once its field has the right shape, whatever else failed (a field that failed its own
      // check is not reported twice); `country` is read as it came
      across(['region'], (a: { country: unknown; region: string }) => addressRegionIssues(a.country, a.region)),
      across(['postalCode'], (a: { country: unknown; postalCode: string }) => addressPostalIssues(a.country, a.postalCode)),
      z.overwrite((a) => ({ ...a, postalCode: canonicalPostalCode(a.country, a.postalCode) })),
    ),
);

/**
 * A clinic's billing profile, the whole of it each time. The tax id is a US EIN or a Canadian
 * GST/HST number here; that it is the clinic's country's kind is ClinicService's (it knows the clinic).
 */
const billingProfileSchema = once(() =>
  z.strictObject({
    legalName: freeText(200).check(fieldRule(printedTextProblem)),
    address: postalAddressSchema(),
    phone: phoneSchema(),
    taxId: z
      .string()
      .check(
        z.refine(
          (s) => isValidEin(s) || isValidGstHstNumber(s),
          'Must be a US EIN (12-3456789) or a Canadian GST/HST number (123456789RT0001)',
        ),
      ),
    npi: optionalOrNull(npiSchema()),
    taxNote: optionalOrNull(freeText(500).check(fieldRule(printedTextProblem))),
  }),
);

export const patchClinicSchema = route(() =>
  z
    .strictObject({
      name: z.optional(clinicName()),
      smsName: z.optional(z.nullable(smsName())),
      policy: z.optional(z.partial(policySchema())),
      billing: z.optional(billingProfileSchema()),
    })
    .check(
      z.refine(
        (v) => v.name !== undefined || v.smsName !== undefined || v.policy !== undefined || v.billing !== undefined,
        'Nothing to change',
      ),
    ),
);

const weeklyHoursSchema = () =>
  z
    .array(
      z
        .strictObject({ day: z.enum(WEEKDAYS), start: timeOfDay(), end: endTimeOfDay() })
        .check(
          z.refine((h) => parseTimeOfDay(h.start) < parseTimeOfDay(h.end, true), { message: 'start must be before end', path: ['end'] }),
        ),
    )
    .check(
      z.maxLength(50),
      z.superRefine((windows, ctx) => {
        windows.forEach((w, i) => {
          for (let j = 0; j < i; j++) {
            const o = windows[j]!;
            if (o.day !== w.day) continue;
            if (parseTimeOfDay(w.start) < parseTimeOfDay(o.end, true) && parseTimeOfDay(o.start) < parseTimeOfDay(w.end, true)) {
              ctx.addIssue({ code: 'custom', message: 'Overlaps another window of the same day', path: [i] });
            }
          }
        });
      }),
    );

export const createProviderSchema = route(() =>
  z.strictObject({
    name: freeText(200),
    role: z.enum(['therapist', 'prescriber']),
    credentials: freeText(200),
    npi: z.optional(npiSchema()),
    licence: z.optional(
      z.strictObject({
        number: z.string().check(
          z.overwrite((s) => s.trim()),
          z.regex(/^(?=.*[A-Za-z0-9])[A-Za-z0-9 -]{1,30}$/, 'Must be 1 to 30 letters, digits, "-" or spaces'),
        ),
        jurisdiction: jurisdictionSchema(),
      }),
    ),
    telehealth: z.boolean(),
    weeklyHours: weeklyHoursSchema(),
  }),
);

/** PUT …/providers/{providerId}/video-room: the link, or null to clear it (docs/api.md, "Video room link (extension)"). */
export const videoRoomSchema = route(() => z.strictObject({ url: z.nullable(z.string().check(fieldRule(videoRoomUrlProblem))) }));

/**
 * POST …/providers/{providerId}/time-off: a span on the booking grid (both ends, as a session's start) (an extension; docs/api.md,
 * "Time off"). That it ends after it starts and within TIME_OFF_MAX_DAYS is checked here
 * (timeOffSpanIssues); that it ends in the future is ClinicService's (it knows the time).
 */
export const timeOffSchema = route(() =>
  z
    .strictObject({
      startsAt: startSchema(),
      endsAt: startSchema(),
      label: optionalOrNull(freeText(60)),
    })
    .check(across(['startsAt', 'endsAt'], (t: { startsAt: number; endsAt: number }) => timeOffSpanIssues(t))),
);

/** GET …/time-off: clinic-local dates, as availability's range. */
export const timeOffQuerySchema = route(() =>
  z
    .strictObject({ from: operatingDateSchema(), to: operatingDateSchema() })
    .check(across(['from', 'to'], (q: Range) => availabilityRangeIssues(q.from, q.to))),
);

/**
 * POST /v1/clients/{clientId}/waitlist (an extension; docs/api.md, "Waitlist"): a kind of session
 * between two clinic-local dates, with one practitioner or any. Their order and length are checked
 * here (waitlistSpanIssues); a last date in the past, or a first beyond what the caller may book,
 * is WaitlistService's (it knows the day).
 */
export const waitlistSchema = route(() =>
  z
    .strictObject({
      service: z.enum(SERVICE_CODES),
      mode: z._default(z.enum(MODES), 'in_person'),
      providerId: z.optional(idSchema()),
      from: operatingDateSchema(),
      to: operatingDateSchema(),
    })
    .check(across(['from', 'to'], (q: Range) => waitlistSpanIssues(q.from, q.to))),
);

export const createRoomSchema = route(() => z.strictObject({ name: freeText(100), kind: z.enum(['dosing', 'therapy']) }));

const rideHomeSchema = once(() => z.strictObject({ name: freeText(200), phone: phoneSchema() }));

const clientFields = once(() => ({
  firstName: freeText(100),
  lastName: freeText(100),
  email: z.pipe(
    z.email('Must be an e-mail address').check(z.maxLength(254)),
    z.transform((s: string) => s.toLowerCase()),
  ),
  phone: phoneSchema(),
  dateOfBirth: dateSchema(), // from EARLIEST_DATE; "in the past" is the service's (it knows today)
  smsConsent: z.boolean(),
}));

export const createClientSchema = route(() =>
  z.strictObject({
    clinicId: idSchema(),
    ...clientFields(),
    rideHome: z.optional(rideHomeSchema()),
  }),
);

export const patchClientSchema = route(() => {
  const fields = clientFields();
  return z
    .strictObject({
      firstName: z.optional(fields.firstName),
      lastName: z.optional(fields.lastName),
      email: z.optional(fields.email),
      phone: z.optional(fields.phone),
      dateOfBirth: z.optional(fields.dateOfBirth),
      smsConsent: z.optional(fields.smsConsent),
      rideHome: z.optional(z.nullable(rideHomeSchema())),
    })
    .check(z.refine((v) => Object.values(v).some((x) => x !== undefined), 'Nothing to change'));
});

export const clearanceSchema = route(() =>
  z.strictObject({
    status: z.enum(['cleared', 'not_cleared']),
    screenedFor: z.array(freeText(100)).check(z.maxLength(30)),
    validUntil: z.optional(operatingDateSchema()),
    notes: z.optional(freeText(4000, { multiline: true })),
  }),
);

/**
 * A client's diagnoses, the whole list each time: 1 to 12 ICD-10-CM codes in upper case (F33.2,
 * F43.10; the '.' is optional), the primary first, none twice. Messages never echo a code (PHI).
 */
export const diagnosesSchema = route(() =>
  z.strictObject({
    codes: z
      .array(
        z
          .string()
          .check(
            z.refine(
              isIcd10Code,
              'Must be an ICD-10-CM code in upper case: a letter, a digit, a letter or digit, then optionally "." and up to four more (e.g. F43.10)',
            ),
          ),
      )
      .check(
        z.minLength(1, 'At least one code'),
        z.maxLength(MAX_DIAGNOSIS_CODES, `At most ${MAX_DIAGNOSIS_CODES} codes`),
        z.superRefine((codes, ctx) => {
          for (const i of duplicateCodeIndexes(codes)) ctx.addIssue({ code: 'custom', message: 'Listed twice', path: [i] });
        }),
      ),
    // an extension: the `version` the editor read (0: none recorded); another change since is a 409, never overwritten unseen
    expectedVersion: z.optional(intRange(0, 1_000_000, 'Must be a whole number')),
  }),
);

export const bookSchema = route(() =>
  z.strictObject({
    clientId: idSchema(),
    clinicId: idSchema(),
    service: z.enum(SERVICE_CODES),
    providerId: idSchema(),
    startsAt: startSchema(),
    mode: z.enum(MODES),
    packageId: z.optional(idSchema()),
  }),
);

export const rescheduleSchema = route(() => z.strictObject({ startsAt: startSchema(), providerId: z.optional(idSchema()) }));

/** A session booked self-pay paid with a credit of one of the client's programs instead (an extension). */
export const useCreditSchema = route(() => z.strictObject({ packageId: idSchema() }));

/** A check-in; `arrivedAt` (an extension): a forgotten check-in recorded afterwards, with when the client arrived. */
export const checkInSchema = route(() => z.strictObject({ arrivedAt: z.optional(instantSchema(false)) }));

export const cancelSchema = route(() =>
  z.strictObject({
    reason: z.optional(freeText(500, { multiline: true })),
    // an extension: the front desk or an admin cancels inside the window without the late terms
    waiveFee: z.optional(z.boolean()),
    // an extension: the terms the caller was shown; false refuses (409) a cancel that has become late meanwhile
    expectedLate: z.optional(z.boolean()),
  }),
);

/** The front desk's client search: what was typed (a name, an e-mail address or a phone number), in the body, never the URL. */
export const clientSearchSchema = route(() =>
  z.strictObject({ q: freeText(100).check(z.minLength(2, { message: 'At least 2 characters', ...whileSound })) }),
);

export const availabilityQuerySchema = route(() =>
  z
    .strictObject({
      service: z.enum(SERVICE_CODES),
      from: operatingDateSchema(),
      to: operatingDateSchema(),
      providerId: z.optional(idSchema()),
      mode: z._default(z.enum(MODES), 'in_person'),
      // an extension: the appointment being moved, whose own time is then free (docs/api.md)
      excluding: z.optional(idSchema()),
    })
    .check(across(['from', 'to'], (q: Range) => availabilityRangeIssues(q.from, q.to))),
);

export const scheduleQuerySchema = route(() => z.strictObject({ date: operatingDateSchema() }));

/** Routes without a query take none. */
export const noQuerySchema = route(() => z.strictObject({}));

/** The audit trail pages newest first; `cursor` is the previous page's `nextCursor`. */
export const auditQuerySchema = route(() =>
  z.strictObject({
    cursor: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,2000}$/, 'Not a cursor'))),
  }),
);
