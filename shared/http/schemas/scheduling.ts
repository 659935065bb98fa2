// Request shapes of the scheduling API: the single source of validation (and of the OpenAPI
// document). Objects are strict: unknown fields are a 400 (api-contract.md, Conventions).
import { z } from 'zod';
import { isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js';
import { MODES, SERVICE_CODES, WEEKDAYS } from '#domain/types.ts';
import { isValidDate, isValidZone, parseTimeOfDay } from '#domain/time.ts';

const text = (max: number) => z.string().trim().min(1, 'Must not be empty').max(max, `At most ${max} characters`);

export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Must be a date YYYY-MM-DD', abort: true })
  .refine(isValidDate, { message: 'Not a real calendar date', abort: true });

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Must be a time HH:mm');
const endTimeOfDay = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'Must be a time HH:mm');

/** ISO 8601 instant with an offset or Z (api-contract.md, Conventions) → epoch ms. */
export const instantSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/,
    'Must be an ISO 8601 date-time with an offset, e.g. 2026-12-03T09:00:00-05:00',
  )
  .refine((s) => !Number.isNaN(Date.parse(s)) && isValidDate(s.slice(0, 10)), { message: 'Not a real date-time', abort: true })
  .transform((s) => Date.parse(s));

/** E.164, checked against the numbering plan, stored in canonical E.164. */
export const phoneSchema = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, { message: 'Must be an E.164 phone number, e.g. +12125550123', abort: true })
  .refine((s) => isValidPhoneNumber(s), 'Not a valid phone number')
  .transform((s) => parsePhoneNumberWithError(s).format('E.164'));

/** An IANA zone, stored in its canonical spelling ('america/new_york' → 'America/New_York'). */
const zoneSchema = z
  .string()
  .refine(isValidZone, 'Must be an IANA time zone, e.g. America/New_York')
  .transform((zone) => new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone);
const currencySchema = z.enum(['USD', 'CAD']);
const hours = (max: number) => z.number().int('Must be a whole number').min(0).max(max);

export const policySchema = z.strictObject({
  cancellationWindowHours: hours(24 * 30),
  minimumNoticeHours: hours(24 * 30),
  bookingWindowDays: z.number().int().min(1).max(730),
  explorationSpacingHours: hours(24 * 30),
  integrationWithinDays: z.number().int().min(1).max(60),
  requiredPreparationSessions: z.number().int().min(0).max(10),
  reminderOffsetsHours: z
    .array(z.number().int().min(1).max(24 * 14))
    .max(5)
    .refine((a) => new Set(a).size === a.length, 'Offsets must be distinct'),
  quietHours: z.strictObject({ start: timeOfDay, end: timeOfDay }),
  lateCancellationFee: z.strictObject({ amount: z.number().int('Integer minor units').min(0).max(10_000_000), currency: currencySchema }),
  slotStepMinutes: z.union([z.literal(15), z.literal(30), z.literal(60)]),
  lateCancellationForfeitsCredit: z.boolean(),
  installments: z.strictObject({
    minimumTotal: z.number().int().min(0).max(100_000_000),
    allowedCounts: z.array(z.number().int().min(1).max(36)).min(1).max(12),
    minimumDownPaymentPercent: z.number().int().min(0).max(100),
  }),
});

export const createClinicSchema = z.strictObject({
  name: text(200),
  timezone: zoneSchema,
  currency: currencySchema,
  country: z.enum(['US', 'CA']),
  policy: policySchema.partial().optional(),
});

export const patchClinicSchema = z
  .strictObject({ name: text(200).optional(), policy: policySchema.partial().optional() })
  .refine((v) => v.name !== undefined || v.policy !== undefined, 'Nothing to change');

const weeklyHoursSchema = z
  .array(
    z
      .strictObject({ day: z.enum(WEEKDAYS), start: timeOfDay, end: endTimeOfDay })
      .refine((h) => parseTimeOfDay(h.start) < parseTimeOfDay(h.end, true), { message: 'start must be before end', path: ['end'] }),
  )
  .max(50)
  .superRefine((windows, ctx) => {
    windows.forEach((w, i) => {
      for (let j = 0; j < i; j++) {
        const o = windows[j]!;
        if (o.day !== w.day) continue;
        if (parseTimeOfDay(w.start) < parseTimeOfDay(o.end, true) && parseTimeOfDay(o.start) < parseTimeOfDay(w.end, true)) {
          ctx.addIssue({ code: 'custom', message: 'Overlaps another window of the same day', path: [i] });
        }
      }
    });
  });

export const createProviderSchema = z.strictObject({
  name: text(200),
  role: z.enum(['therapist', 'prescriber']),
  credentials: text(200),
  npi: z.string().regex(/^\d{10}$/, 'An NPI is 10 digits').optional(),
  telehealth: z.boolean(),
  weeklyHours: weeklyHoursSchema,
});

export const createRoomSchema = z.strictObject({ name: text(100), kind: z.enum(['dosing', 'therapy']) });

const rideHomeSchema = z.strictObject({ name: text(200), phone: phoneSchema });

const clientFields = {
  firstName: text(100),
  lastName: text(100),
  email: z.email('Must be an e-mail address').max(254).transform((s) => s.toLowerCase()),
  phone: phoneSchema,
  dateOfBirth: dateSchema.refine((d) => d >= '1900-01-01', 'Not a plausible date of birth'),
  smsConsent: z.boolean(),
};

export const createClientSchema = z.strictObject({
  clinicId: text(100),
  ...clientFields,
  rideHome: rideHomeSchema.optional(),
});

export const patchClientSchema = z
  .strictObject({
    firstName: clientFields.firstName.optional(),
    lastName: clientFields.lastName.optional(),
    email: clientFields.email.optional(),
    phone: clientFields.phone.optional(),
    dateOfBirth: clientFields.dateOfBirth.optional(),
    smsConsent: clientFields.smsConsent.optional(),
    rideHome: rideHomeSchema.nullable().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Nothing to change');

export const clearanceSchema = z.strictObject({
  status: z.enum(['cleared', 'not_cleared']),
  screenedFor: z.array(text(100)).max(30),
  validUntil: dateSchema.optional(),
  notes: z.string().max(4000).optional(),
});

const idSchema = text(100);

export const bookSchema = z.strictObject({
  clientId: idSchema,
  clinicId: idSchema,
  service: z.enum(SERVICE_CODES),
  providerId: idSchema,
  startsAt: instantSchema,
  mode: z.enum(MODES),
  packageId: idSchema.optional(),
});

export const rescheduleSchema = z.strictObject({ startsAt: instantSchema, providerId: idSchema.optional() });

export const cancelSchema = z.strictObject({ reason: z.string().max(500).optional() });

/** Status changes take no fields; an empty or absent body is fine. */
export const emptySchema = z.strictObject({});

export const availabilityQuerySchema = z.strictObject({
  service: z.enum(SERVICE_CODES),
  from: dateSchema,
  to: dateSchema,
  providerId: idSchema.optional(),
  mode: z.enum(MODES).default('in_person'),
});

export const scheduleQuerySchema = z.strictObject({ date: dateSchema });

/** Routes without a query take none. */
export const noQuerySchema = z.strictObject({});

/** Request schemas by route, for the generated OpenAPI document (infra/local/openapi.ts). */
export const REQUEST_SCHEMAS: Record<string, { body?: z.ZodType; query?: z.ZodType }> = {
  'POST /v1/clinics': { body: createClinicSchema },
  'PATCH /v1/clinics/{clinicId}': { body: patchClinicSchema },
  'POST /v1/clinics/{clinicId}/providers': { body: createProviderSchema },
  'POST /v1/clinics/{clinicId}/rooms': { body: createRoomSchema },
  'GET /v1/clinics/{clinicId}/availability': { query: availabilityQuerySchema },
  'GET /v1/clinics/{clinicId}/schedule': { query: scheduleQuerySchema },
  'POST /v1/clients': { body: createClientSchema },
  'PATCH /v1/clients/{clientId}': { body: patchClientSchema },
  'POST /v1/clients/{clientId}/clearance': { body: clearanceSchema },
  'POST /v1/appointments': { body: bookSchema },
  'POST /v1/appointments/{appointmentId}/reschedule': { body: rescheduleSchema },
  'POST /v1/appointments/{appointmentId}/cancel': { body: cancelSchema },
};
