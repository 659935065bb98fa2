// Response shapes of the API: exactly what the views (functions/*/views.ts) and handlers
// (functions/*/routes.ts) answer with on success. Objects are strict, so a view that grows a
// field these do not declare fails test/integration/response-shapes.test.ts; the OpenAPI
// document (infra/local/openapi.ts) shows them under each route's success status. Nullable where
// a view writes null, optional where a field is there only sometimes.
//
// RESPONSES (at the end) names each route's schema by its route key. Only the OpenAPI generator
// and the tests import this module: no Lambda bundle holds it (the route table does not refer to
// it), so its ~150 schema objects are not built at every cold start (docs/decisions.md,
// "Cold start"). test/unit/openapi.test.ts fails when a route of shared/http/routes.ts has no
// entry here, or an entry names no route.
import * as z from './zod.ts';
import { APPOINTMENT_STATUSES, MODES, ROLES, SERVICE_CODES, WEEKDAYS } from '#domain/types.ts';
import { PACKAGE_STATUSES, PAYMENT_MODES } from '#domain/packages.ts';
import { FEE_LINE_SERVICES, INVOICE_STATUSES, OUTSIDE_REFUND_METHODS, REFUND_STATES, REFUND_STATUSES } from '#domain/invoices.ts';
import { EXPORT_KINDS, EXPORT_STATUSES } from '#domain/ledger-export.ts';
import { COURSE_FLAGS, LISTED_FLAGS } from '#domain/schedule.ts';

// ---- Building blocks ---------------------------------------------------------------------------

const int = z.number().check(z.int());
const count = z.number().check(z.int(), z.gte(0));

/** An instant in a zone, with its offset (e.g. 2026-12-14T10:00:00-05:00; never `Z`): formatInstant. */
export const zonedInstant = z.iso.datetime({ offset: true, precision: 0 }).check(
  z.refine((s) => !s.endsWith('Z'), 'Must carry a numeric offset, not Z'),
  z.describe('ISO 8601 date-time with a numeric offset, e.g. 2026-12-14T10:00:00-05:00'),
);

/** A calendar date, YYYY-MM-DD. */
export const date = z.iso.date();

/** HH:mm local wall-clock time (24:00 ends a day in weekly hours). */
const timeOfDay = z.string().check(z.regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/));

export const currency = z.enum(['USD', 'CAD']);

/** Money in integer minor units of its currency. */
export const money = z.strictObject({ amount: int.check(z.gte(0)), currency });

const id = z.string().check(z.minLength(1));

// ---- Clinics and their setup -------------------------------------------------------------------

export const healthResponse = z.strictObject({ status: z.literal('ok') });

/** GET /v1/health/ready: the table answered a read (else 503 unavailable). */
export const readinessResponse = z.strictObject({ status: z.literal('ready') });

export const clinicSummary = z.strictObject({
  id,
  name: z.string(),
  timezone: z.string(),
  currency,
  country: z.enum(['US', 'CA']),
});

export const policy = z.strictObject({
  cancellationWindowHours: count,
  minimumNoticeHours: count,
  bookingWindowDays: count,
  explorationSpacingHours: count,
  integrationWithinDays: count,
  requiredPreparationSessions: count,
  reminderOffsetsHours: z.array(count),
  quietHours: z.strictObject({ start: timeOfDay, end: timeOfDay }),
  lateCancellationFee: money,
  slotStepMinutes: count,
  lateCancellationForfeitsCredit: z.boolean(),
  installments: z.strictObject({
    minimumTotal: count,
    allowedCounts: z.array(count),
    minimumDownPaymentPercent: count,
  }),
  checkInLeadMinutes: count,
});

/** A clinic's billing profile: what its receipts and superbills print. Absent fields are null. */
const clinicAddress = z.strictObject({
  line1: z.string(),
  line2: z.nullable(z.string()),
  city: z.string(),
  region: z.string().check(z.regex(/^[A-Z]{2}$/)),
  postalCode: z.string(),
  country: z.enum(['US', 'CA']),
});
const clinicPhone = z.string().check(z.regex(/^\+[1-9]\d{6,14}$/));

export const billingProfile = z.strictObject({
  legalName: z.string(),
  address: clinicAddress,
  phone: clinicPhone,
  taxId: z.string(),
  npi: z.nullable(z.string().check(z.regex(/^\d{10}$/))),
  taxNote: z.nullable(z.string()),
});

export const clinic = z.strictObject({
  ...clinicSummary.shape,
  smsName: z
    .nullable(z.string())
    .check(
      z.describe(
        'Extension: what its SMS say instead of the name (a name holding a word no SMS may carry, e.g. "therapy", is otherwise "Your clinic"); null when unset',
      ),
    ),
  policy,
  contact: z
    .nullable(z.strictObject({ address: clinicAddress, phone: clinicPhone }))
    .check(z.describe("Extension: the clinic's address and phone, to everyone (its billing profile's); null until that is set")),
  billing: z.optional(billingProfile).check(z.describe("Only to the clinic's staff and admin, once set (PATCH /v1/clinics/{clinicId})")),
});

/** Lists are bare arrays. */
export const clinicList = z.array(clinicSummary);

export const provider = z.strictObject({
  id,
  clinicId: id,
  name: z.string(),
  role: z.enum(['therapist', 'prescriber']),
  credentials: z.string(),
  npi: z.nullable(z.string()),
  licence: z.nullable(z.strictObject({ number: z.string(), jurisdiction: z.string().check(z.regex(/^[A-Z]{2}$/)) })),
  telehealth: z.boolean(),
  weeklyHours: z.array(z.strictObject({ day: z.enum(WEEKDAYS), start: timeOfDay, end: timeOfDay })),
  videoRoomUrl: z
    .optional(z.nullable(z.url()))
    .check(
      z.describe(
        "Extension: the practitioner's video room link (PUT …/providers/{providerId}/video-room), null when none; only to the clinic's staff and admin",
      ),
    ),
});

export const providerList = z.array(provider);

const roomKind = z.enum(['dosing', 'therapy']);

export const room = z.strictObject({ id, clinicId: id, name: z.string(), kind: roomKind });

/** Extension: a provider's time off (docs/api.md, "Time off"); staff only. */
export const timeOff = z.strictObject({
  id,
  clinicId: id,
  providerId: z.nullable(id).check(z.describe('null: the clinic is closed, for every practitioner (those added later too)')),
  startsAt: zonedInstant,
  endsAt: zonedInstant.check(z.describe('Exclusive: the first instant the provider may be booked again')),
  label: z.nullable(z.string()).check(z.describe("The desk's own words (e.g. Conference); never shown to clients")),
  createdAt: zonedInstant,
});

export const timeOffAdded = z.strictObject({
  timeOff,
  held: z
    .array(z.strictObject({ id, providerId: id, startsAt: zonedInstant, endsAt: zonedInstant }))
    .check(
      z.describe(
        "The provider's sessions (every provider's, for a closure) still booked or checked in during it, by start: the desk moves or cancels them",
      ),
    ),
});

export const timeOffList = z.strictObject({ timeOff: z.array(timeOff) });

export const roomList = z.array(room);

export const service = z.strictObject({
  code: z.enum(SERVICE_CODES),
  name: z.string(),
  durationMinutes: count,
  price: money,
  billable: z.boolean(),
  cptCode: z.nullable(z.string()),
  telehealthAllowed: z.boolean(),
  roomKind: z.nullable(roomKind).check(z.describe('The room needed in person; null: no room at all')),
  providerRole: z.enum(['therapist', 'prescriber']),
});

export const serviceList = z.array(service);

export const slot = z.strictObject({ startsAt: zonedInstant, endsAt: zonedInstant, providerId: id, roomId: z.nullable(id) });

/** Extension: a waitlist entry (docs/api.md, "Waitlist"), as removed. */
export const waitlistEntryFields = z.strictObject({
  id,
  clinicId: id,
  clientId: id,
  service: z.enum(SERVICE_CODES),
  mode: z.enum(MODES),
  providerId: z.nullable(id).check(z.describe('null: any practitioner who holds this kind of session')),
  from: date,
  to: date,
  createdAt: zonedInstant,
});

/** An entry and what became of it. */
export const waitlistEntry = z.strictObject({
  ...waitlistEntryFields.shape,
  status: z
    .enum(['waiting', 'booked', 'expired'])
    .check(z.describe('booked: a session of this kind is booked for the client in these dates; expired: the last date has passed')),
  openings: z.nullable(
    z
      .strictObject({ count, first: z.array(slot) })
      .check(z.describe('While waiting: how many times are open for it now (as the caller may book), and the earliest few')),
  ),
});

export const waitlistList = z.strictObject({ entries: z.array(waitlistEntry) });

export const clinicWaitlist = z.strictObject({
  entries: z.array(z.strictObject({ ...waitlistEntry.shape, client: z.strictObject({ id, name: z.string() }) })),
});

export const availabilityResponse = z.strictObject({ slots: z.array(slot) });

// ---- Appointments ------------------------------------------------------------------------------

const appointmentFields = {
  id,
  status: z.enum(APPOINTMENT_STATUSES),
  startsAt: zonedInstant,
  endsAt: zonedInstant,
  providerId: id,
  roomId: z.nullable(id),
  service: z.enum(SERVICE_CODES),
  mode: z.enum(MODES),
  clientId: id,
  clinicId: id,
  packageId: z.nullable(id),
  explorationId: z.nullable(id),
  invoiceId: z.nullable(id).check(z.describe('The invoice of a self-pay session; null when booked against a package')),
  videoUrl: z
    .nullable(z.url())
    .check(
      z.describe(
        "Extension: where to join a video session still to be held (booked or checked in): its practitioner's video room link; null otherwise or when the practitioner has none",
      ),
    ),
  late: z.optional(z.boolean()).check(z.describe('Only on a cancelled appointment: cancelled inside the cancellation window')),
  feeWaived: z
    .optional(z.literal(true))
    .check(
      z.describe('An extension, only when true: cancelled inside the window, its late terms waived by the clinic (late is then false)'),
    ),
  cancelledAt: z
    .optional(z.nullable(zonedInstant))
    .check(z.describe('Only on a cancelled appointment: when it was cancelled (null if not recorded)')),
  cancelReason: z
    .optional(z.nullable(z.string()))
    .check(
      z.describe(
        "An extension, only on a cancelled appointment and only to the clinic's staff and admin (never the client: the desk's words may be internal): the reason given when it was cancelled, null if none; 'package cancelled' when its program was cancelled",
      ),
    ),
  checkedInAt: z
    .optional(zonedInstant)
    .check(z.describe('An extension, once checked in: when the client arrived (absent for check-ins recorded before this field)')),
  checkInRecordedAt: z
    .optional(zonedInstant)
    .check(z.describe('An extension, only on a check-in recorded afterwards (`arrivedAt`): when it was recorded')),
};

export const appointment = z.strictObject(appointmentFields);

export const appointmentList = z.array(appointment);

/** POST /v1/appointments/{appointmentId}/use-credit: the appointment, now with its packageId, and what its invoice became. */
export const useCreditResponse = z.strictObject({
  appointment,
  invoice: z
    .nullable(
      z.strictObject({
        id,
        status: z.enum(INVOICE_STATUSES),
        refundDue: money.check(z.describe('What was paid for the session and is now to be refunded (the refund job makes it)')),
      }),
    )
    .check(z.describe("The session's own invoice, its line voided (void when nothing was paid); null when it had none")),
});

export const scheduleEntry = z.strictObject({
  ...appointmentFields,
  client: z.nullable(z.strictObject({ id, name: z.string() })),
  provider: z.strictObject({ id, name: z.nullable(z.string()) }),
  room: z.nullable(z.strictObject({ id, name: z.nullable(z.string()) })),
  flags: z.array(z.enum(LISTED_FLAGS)),
  courseFlags: z
    .array(z.enum(COURSE_FLAGS))
    .check(
      z.describe(
        'Extension: what an exploration still on the plan lacks in its course of care (no intake, or fewer preparation sessions than the policy asks, before it); clinical viewers only',
      ),
    ),
});

export const scheduleResponse = z.strictObject({ date, timezone: z.string(), appointments: z.array(scheduleEntry) });

// ---- Clients -----------------------------------------------------------------------------------

export const clientStatus = z.strictObject({
  intakeCompleted: z.boolean(),
  clearance: z.strictObject({
    status: z.enum(['cleared', 'not_cleared', 'expired', 'none']),
    validUntil: z.nullable(date),
    // the details (what was screened, the notes): only to clinicians, admin and the client itself, once recorded
    screenedFor: z
      .optional(z.array(z.string()))
      .check(z.describe('Clearance details (clinicians, admin, the client itself): what was screened')),
    notes: z.optional(z.nullable(z.string())).check(z.describe('Clearance details (clinicians, admin, the client itself): the notes')),
  }),
  preparationCount: count,
  explorationCount: count,
  preparationCompleted: count,
  explorationCompleted: count,
});

export const client = z.strictObject({
  id,
  clinicId: id,
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  phone: z.string().check(z.regex(/^\+[1-9]\d{6,14}$/)),
  dateOfBirth: date,
  smsConsent: z.boolean(),
  rideHome: z.nullable(z.strictObject({ name: z.string(), phone: z.string() })),
  status: clientStatus,
});

/** A found client (the front desk's search): what a result list shows, nothing of the course of care. */
const clientSearchHit = z.strictObject({
  id,
  firstName: z.string(),
  lastName: z.string(),
  dateOfBirth: date,
  phone: z.string().check(z.regex(/^\+[1-9]\d{6,14}$/)),
  email: z.string(),
});

/** GET /v1/clients/{id}/clearances: every clearance recorded for the client, newest first (extension). */
export const clearanceHistory = z.strictObject({
  clearances: z.array(
    z.strictObject({
      status: z.enum(['cleared', 'not_cleared']),
      screenedFor: z.array(z.string()),
      validUntil: z.nullable(date),
      notes: z.nullable(z.string()),
      recordedAt: zonedInstant,
      recordedBy: z
        .strictObject({ id })
        .check(z.describe('Who recorded it: the signed-in user’s id (`sub`); the API holds no staff names')),
    }),
  ),
});

export const auditEntry = z.strictObject({
  at: zonedInstant,
  actor: z.strictObject({ sub: z.string(), roles: z.array(z.enum(ROLES)) }),
  action: z.string(),
  record: z.strictObject({ type: z.enum(['client', 'appointment', 'package', 'invoice', 'diagnoses', 'waitlist']), id }),
  requestId: z.string(),
});

export const auditPage = z.strictObject({ entries: z.array(auditEntry), nextCursor: z.nullable(z.string()) });

/** A client's ICD-10-CM codes, the primary first; `codes: []`, `updatedAt: null` when none were recorded. */
export const diagnoses = z.strictObject({ codes: z.array(z.string()), updatedAt: z.nullable(zonedInstant), version: z.number() });

// ---- Programs, packages and payments -----------------------------------------------------------

const credits = z.strictObject({ preparation: count, exploration: count, integration: count });

export const program = z.strictObject({
  id,
  clinicId: id,
  name: z.string(),
  explorations: count,
  tier: z.enum(['standard', 'extra_support']),
  includes: credits,
  price: money,
  retired: z.boolean(),
});

export const programList = z.array(program);

export const retireProgramResponse = z.strictObject({ id, retired: z.literal(true) });

const creditLine = z.strictObject({ total: count, used: count, remaining: count });

export const pkg = z.strictObject({
  id,
  clientId: id,
  clinicId: id,
  programId: id,
  programName: z.string(),
  status: z.enum(PACKAGE_STATUSES),
  price: money,
  payment: z.enum(PAYMENT_MODES),
  credits: z.strictObject({ preparation: creditLine, exploration: creditLine, integration: creditLine }),
  payments: z.array(
    z.strictObject({
      kind: z.enum(['full', 'down_payment', 'installment', 'refund']),
      amount: money,
      status: z.enum(['succeeded', 'failed', 'pending']),
      at: zonedInstant,
      installment: z.optional(int.check(z.gte(1))).check(z.describe("Only on an installment's payment: its position in the plan")),
    }),
  ),
  schedule: z
    .nullable(
      z.strictObject({
        count: int.check(z.gte(1)),
        downPaymentPercent: z.number().check(z.gte(0), z.lte(100)),
        downPayment: money,
        installments: z.array(
          z.strictObject({
            n: int.check(z.gte(1)),
            dueDate: date,
            amount: money,
            status: z.enum(['scheduled', 'paid', 'failed', 'cancelled']),
            attempts: count,
          }),
        ),
      }),
    )
    .check(z.describe('The installment plan; null unless paid in installments')),
  refunded: z.nullable(money),
  checkoutSessionId: z.nullable(z.string()),
  checkoutUrl: z
    .nullable(z.url())
    .check(
      z.describe(
        'An extension: the Checkout page to go back to while the purchase waits for its payment (pending_payment); null otherwise',
      ),
    ),
  invoiceId: z
    .nullable(id)
    .check(z.describe('The invoice of the purchase (its payments, refunds and cancel credit); null on packages bought before invoices')),
});

export const purchaseResponse = z.strictObject({ package: pkg, checkoutUrl: z.url(), checkoutSessionId: z.string().check(z.minLength(1)) });
export const invoiceCheckoutResponse = z.strictObject({ checkoutUrl: z.url(), checkoutSessionId: z.string().check(z.minLength(1)) });

/** The Checkout page that saves another card for a package's installment plan (setup mode). */
export const paymentMethodCheckoutResponse = z.strictObject({ checkoutUrl: z.url(), checkoutSessionId: z.string().check(z.minLength(1)) });

export const cancelPackageResponse = z.strictObject({ package: pkg, refund: money });

export const cancelPreviewResponse = z.strictObject({
  refund: money.check(z.describe('What cancelling now would refund to the client: paid less `keeps`, never below 0')),
  paid: money.check(z.describe('What the client has paid for the package and not had back')),
  keeps: money.check(z.describe('The list value of the sessions used or missed, which the package keeps')),
  futureSessions: count.check(z.describe('Booked sessions still to come that the cancel would cancel free of charge')),
  unresolvedSessions: count.check(
    z.describe('Sessions that started and are not marked completed or no-show: while any is left, the cancel answers 409'),
  ),
});

/** A processed, repeated or irrelevant delivery (one being processed elsewhere is a 409). */
export const webhookResponse = z.strictObject({ received: z.literal(true), status: z.enum(['processed', 'duplicate', 'ignored']) });

// ---- Invoices ----------------------------------------------------------------------------------

/** Money that may be negative: a credit line, a balance while a refund is still to be made. */
const signedMoney = z.strictObject({ amount: int, currency });

export const invoiceLine = z.strictObject({
  id,
  description: z.string(),
  service: z.enum([...SERVICE_CODES, ...FEE_LINE_SERVICES, 'package_credit', 'program']),
  serviceDate: z.optional(date).check(z.describe('Session and fee lines: the clinic-local date of the session')),
  appointmentId: z.optional(id).check(z.describe('Session and fee lines: the appointment billed')),
  cptCode: z.nullable(z.string()),
  modifiers: z.array(z.string()),
  placeOfService: z.nullable(z.enum(['11', '10'])),
  units: z.literal(1),
  amount: signedMoney,
  billable: z.boolean(),
  voided: z.boolean(),
});

export const invoice = z.strictObject({
  id,
  number: z.number().check(z.int(), z.gte(1)),
  clinicId: id,
  clientId: id,
  status: z.enum(INVOICE_STATUSES),
  issuedAt: zonedInstant,
  currency,
  appointmentId: z.optional(id).check(z.describe('A self-pay session invoice: the appointment it bills')),
  packageId: z.optional(id).check(z.describe('A program purchase: the package it bills')),
  lines: z.array(invoiceLine),
  total: signedMoney,
  paid: money,
  refunded: money,
  balance: signedMoney.check(z.describe('total − paid + refunded: still due when > 0; < 0 while a refund is still to be made')),
  payments: z.array(
    z.strictObject({
      amount: money,
      at: zonedInstant,
      method: z
        .string()
        .check(
          z.describe(
            "How it was paid: Stripe's payment method type (card, affirm, klarna…), or cash, cheque, card_terminal, bank_transfer, other for one taken at the clinic (POST /v1/invoices/{invoiceId}/payments)",
          ),
        ),
      reference: z.string(),
    }),
  ),
  refunds: z.array(
    z.strictObject({
      amount: money,
      at: zonedInstant,
      reference: z.string(),
      status: z
        .enum(REFUND_STATUSES)
        .check(z.describe('pending: Stripe accepted it; failed: it gave nothing back (not in `refunded`), and is made again')),
      method: z
        .enum(['stripe', ...OUTSIDE_REFUND_METHODS])
        .check(
          z.describe(
            'stripe: made through Stripe by the refund job; any other: made some other way and recorded by finance (POST /v1/invoices/{invoiceId}/refunds)',
          ),
        ),
    }),
  ),
  refundDue: money.check(z.describe('What is still to be refunded (the part of a negative balance no refund is on its way for)')),
  refundState: z
    .nullable(z.enum(REFUND_STATES))
    .check(
      z.describe(
        'null when nothing is owed back; scheduled: the refund job makes it shortly; retrying: a refund failed and is made again; dead_lettered: given up on, an alarm was raised for a person',
      ),
    ),
});

export const invoiceList = z.array(invoice);

const namedInvoice = z.extend(invoice, {
  clientName: z
    .nullable(z.string())
    .check(z.describe("An extension: the client's name, so that staff can tell who owes what (null: the record could not be read)")),
});

export const invoicePage = z.strictObject({
  items: z.array(namedInvoice),
  nextCursor: z.nullable(z.string()),
});

/** The invoices whose refund the refund job gave up on, oldest given up first (not paged: they are few). */
export const givenUpRefunds = z.strictObject({ items: z.array(namedInvoice) });

/**
 * The revenue report (docs/domain.md, "Revenue"): the seven fields of docs/api.md, then the range and
 * the receivables that close the identity deferredAtEnd − earnedUnpaidAtEnd = deferredAtStart −
 * earnedUnpaidAtStart + collected − refunded − recognized.
 */
export const revenueReport = z.strictObject({
  currency,
  recognized: signedMoney.check(
    z.describe('Earned on the range’s dates; below 0 only when a package cancel reverses more than was earned'),
  ),
  deferredAtStart: money.check(z.describe('Paid and not yet earned, at the start of `from`')),
  deferredAtEnd: money.check(z.describe('Paid and not yet earned, at the end of `to`')),
  billed: signedMoney.check(z.describe('Charges less credits and voids dated in the range')),
  collected: money.check(z.describe('Payments received in the range')),
  refunded: money.check(z.describe('Refunds given in the range (Stripe accepted them)')),
  from: date,
  to: date,
  earnedUnpaidAtStart: money.check(z.describe('Earned and not yet paid, at the start of `from` (extension)')),
  earnedUnpaidAtEnd: money.check(z.describe('Earned and not yet paid, at the end of `to` (extension)')),
});

/** A PDF document: bytes (not JSON) that start with the PDF header. */
export const pdfDocument = z.custom<Uint8Array>(
  (v) => v instanceof Uint8Array && Buffer.from(v.subarray(0, 5)).toString('latin1') === '%PDF-',
  'Expected the bytes of a PDF document',
);

/** A finance export: `rows` and the download `url` once it is ready (functions/billing/views.ts exportView). */
export const financeExport = z.strictObject({
  id: z.string(),
  kind: z.enum(EXPORT_KINDS),
  status: z
    .enum(EXPORT_STATUSES)
    .check(z.describe('running: the file is being made; ready: download it from url; failed: nothing was made, start a new export')),
  from: date,
  to: date,
  rows: z.optional(count.check(z.describe('Ready only: data rows in the CSV (the header not counted)'))),
  url: z.optional(
    z
      .url()
      .check(z.describe('Ready only: the CSV, a short-lived link (on AWS a pre-signed S3 URL valid 5 minutes); ask again for a new one')),
  ),
});

// ---- Superbills and insurance receipts ---------------------------------------------------------

const superbillAddress = z.strictObject({
  line1: z.string(),
  line2: z.nullable(z.string()),
  city: z.string(),
  region: z.string(),
  postalCode: z.string(),
  country: z.enum(['US', 'CA']),
});
const licence = z.nullable(z.strictObject({ number: z.string(), jurisdiction: z.string() }));
const diagnosisPointers = z
  .array(z.enum(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L']))
  .check(z.maxLength(4), z.describe('Letters of diagnosisCodes this line points at: the first four (A–D), as a CMS-1500 line holds'));

/**
 * GET /v1/clients/{clientId}/superbill (shared/domain/superbill.ts): `kind: "superbill"` (US: the
 * clinic's NPI, each line's CPT code, modifiers, place of service and provider NPI) or
 * `kind: "receipt"` (Canada: the tax note, each line's provider credentials; no CPT, modifier or
 * place of service keys).
 */
export const superbillDocument = z.strictObject({
  kind: z.enum(['superbill', 'receipt']),
  clinic: z.union([
    z.strictObject({ legalName: z.string(), address: superbillAddress, phone: z.string(), taxId: z.string(), npi: z.nullable(z.string()) }),
    z.strictObject({
      legalName: z.string(),
      address: superbillAddress,
      phone: z.string(),
      taxId: z.string(),
      taxNote: z.nullable(z.string()),
    }),
  ]),
  client: z.strictObject({ name: z.string(), dateOfBirth: date }),
  diagnosisCodes: z.array(z.string()).check(z.describe('ICD-10-CM, the primary first; lettered A, B, … in this order')),
  lines: z.array(
    z.union([
      z.strictObject({
        serviceDate: date,
        service: z.enum(SERVICE_CODES),
        cptCode: z.string(),
        modifiers: z.array(z.string()),
        placeOfService: z.enum(['11', '10']),
        units: z.literal(1),
        diagnosisPointers,
        provider: z.strictObject({ name: z.string(), npi: z.string().check(z.regex(/^\d{10}$/)), licence }),
        charge: money,
        paid: money,
      }),
      z.strictObject({
        serviceDate: date,
        service: z.enum(SERVICE_CODES),
        units: z.literal(1),
        diagnosisPointers,
        provider: z.strictObject({ name: z.string(), credentials: z.string(), licence }),
        charge: money,
        paid: money,
      }),
    ]),
  ),
  totals: z.strictObject({ charge: money, paid: money }),
});

// ---- By route ----------------------------------------------------------------------------------

/** The success answer's body (successStatus: 202, 201 or 200) of each route, by route key (shared/http/routes.ts routeKey). */
export const RESPONSES: Readonly<Record<string, z.ZodMiniType>> = {
  'GET /v1/health': healthResponse,
  'GET /v1/health/ready': readinessResponse,

  // Clinics and their setup
  'GET /v1/clinics': clinicList,
  'POST /v1/clinics': clinic,
  'GET /v1/clinics/{clinicId}': clinic,
  'PATCH /v1/clinics/{clinicId}': clinic,
  'POST /v1/clinics/{clinicId}/providers': provider,
  'GET /v1/clinics/{clinicId}/providers': providerList,
  'PUT /v1/clinics/{clinicId}/providers/{providerId}/video-room': provider,
  'POST /v1/clinics/{clinicId}/providers/{providerId}/time-off': timeOffAdded,
  'POST /v1/clinics/{clinicId}/time-off': timeOffAdded,
  'GET /v1/clinics/{clinicId}/time-off': timeOffList,
  'POST /v1/clinics/{clinicId}/time-off/{timeOffId}/remove': z.strictObject({ timeOff }),
  'POST /v1/clients/{clientId}/waitlist': z.strictObject({ entry: waitlistEntry }),
  'GET /v1/clients/{clientId}/waitlist': waitlistList,
  'POST /v1/clients/{clientId}/waitlist/{entryId}/remove': z.strictObject({ entry: waitlistEntryFields }),
  'GET /v1/clinics/{clinicId}/waitlist': clinicWaitlist,
  'POST /v1/clinics/{clinicId}/rooms': room,
  'GET /v1/clinics/{clinicId}/rooms': roomList,
  'GET /v1/clinics/{clinicId}/services': serviceList,
  'GET /v1/clinics/{clinicId}/availability': availabilityResponse,
  'GET /v1/clinics/{clinicId}/schedule': scheduleResponse,

  // Clients
  'POST /v1/clients': client,
  'POST /v1/clinics/{clinicId}/clients/search': z.strictObject({ clients: z.array(clientSearchHit) }),
  'GET /v1/clients/{clientId}': client,
  'PATCH /v1/clients/{clientId}': client,
  'POST /v1/clients/{clientId}/clearance': client,
  'GET /v1/clients/{clientId}/clearances': clearanceHistory,
  'PUT /v1/clients/{clientId}/diagnoses': diagnoses,
  'GET /v1/clients/{clientId}/diagnoses': diagnoses,
  'GET /v1/clients/{clientId}/appointments': appointmentList,
  'GET /v1/clients/{clientId}/audit': auditPage,

  // Appointments
  'POST /v1/appointments': appointment,
  'GET /v1/appointments/{appointmentId}': appointment,
  'POST /v1/appointments/{appointmentId}/reschedule': appointment,
  'POST /v1/appointments/{appointmentId}/cancel': appointment,
  'POST /v1/appointments/{appointmentId}/use-credit': useCreditResponse,
  'POST /v1/appointments/{appointmentId}/check-in': appointment,
  'POST /v1/appointments/{appointmentId}/no-show': appointment,
  'POST /v1/appointments/{appointmentId}/complete': appointment,

  // Programs, packages and payments
  'GET /v1/clinics/{clinicId}/programs': programList,
  'POST /v1/clinics/{clinicId}/programs': program,
  'POST /v1/clinics/{clinicId}/programs/{programId}/retire': retireProgramResponse,
  'POST /v1/packages': purchaseResponse,
  'POST /v1/invoices/{invoiceId}/checkout': invoiceCheckoutResponse,
  'GET /v1/packages/{packageId}': pkg,
  'GET /v1/clients/{clientId}/packages': z.array(pkg),
  'GET /v1/packages/{packageId}/cancel-preview': cancelPreviewResponse,
  'POST /v1/packages/{packageId}/cancel': cancelPackageResponse,
  'POST /v1/packages/{packageId}/payment-method': paymentMethodCheckoutResponse,
  'POST /v1/webhooks/stripe': webhookResponse,

  // Invoices
  'GET /v1/invoices/{invoiceId}': invoice,
  'POST /v1/invoices/{invoiceId}/refunds/retry': invoice,
  'POST /v1/invoices/{invoiceId}/refunds': invoice,
  'POST /v1/invoices/{invoiceId}/payments': invoice,
  'GET /v1/invoices/{invoiceId}/receipt.pdf': pdfDocument,
  'GET /v1/clients/{clientId}/invoices': invoiceList,
  'GET /v1/invoices': invoicePage,
  'GET /v1/clinics/{clinicId}/refunds/given-up': givenUpRefunds,
  // JSON; the same as a PDF with Accept: application/pdf (NEGOTIATED_RESPONSES)
  'GET /v1/clients/{clientId}/superbill': superbillDocument,
  'POST /v1/clinics/{clinicId}/exports': financeExport,
  'GET /v1/exports/{exportId}': financeExport,
  'GET /v1/clinics/{clinicId}/reports/revenue': revenueReport,
};

/**
 * Routes whose success answer is not JSON: its content type, by route key. The answer is sent
 * base64-encoded (ApiResult.binary in shared/http/api.ts); its entry in RESPONSES checks the bytes,
 * and the OpenAPI document describes it as a binary string of this type.
 */
export const BINARY_RESPONSES: Readonly<Record<string, string>> = {
  'GET /v1/invoices/{invoiceId}/receipt.pdf': 'application/pdf',
};

/**
 * Routes that answer JSON (their RESPONSES entry) by default and these bytes instead when the
 * request's Accept header asks for this content type (functions/billing/routes.ts wantsPdf): the
 * OpenAPI document lists both under the success status.
 */
export const NEGOTIATED_RESPONSES: Readonly<Record<string, string>> = {
  'GET /v1/clients/{clientId}/superbill': 'application/pdf',
};
