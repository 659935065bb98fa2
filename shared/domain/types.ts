// The vocabulary of the scheduling core. Pure data: no I/O, no AWS, no clock.
// Instants are epoch milliseconds (UTC); local wall-clock values are strings in the clinic's zone.

export const ROLES = ['client', 'frontdesk', 'clinician', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const SERVICE_CODES = ['intake', 'medical_evaluation', 'preparation', 'exploration', 'integration', 'ongoing_care'] as const;
export type ServiceCode = (typeof SERVICE_CODES)[number];

export const MODES = ['in_person', 'telehealth'] as const;
export type Mode = (typeof MODES)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type Currency = 'USD' | 'CAD';
export type Country = 'US' | 'CA';

export interface Money {
  amount: number; // integer minor units
  currency: Currency;
}

export interface QuietHours {
  start: string; // HH:mm local
  end: string; // HH:mm local
}

export interface Policy {
  cancellationWindowHours: number;
  minimumNoticeHours: number;
  bookingWindowDays: number;
  explorationSpacingHours: number;
  integrationWithinDays: number;
  requiredPreparationSessions: number;
  reminderOffsetsHours: number[];
  quietHours: QuietHours;
  lateCancellationFee: Money;
  /** Step between offered start times in availability (extension; default 30). */
  slotStepMinutes: number;
  /** A late cancellation forfeits the package credit (docs/domain.md: per clinic policy); a no-show always does. */
  lateCancellationForfeitsCredit: boolean;
  /** The clinic's own 0 % installment plan (docs/domain.md, "Programs, packages and payments"). */
  installments: { minimumTotal: number; allowedCounts: number[]; minimumDownPaymentPercent: number };
  /**
   * How long before its start an appointment may be checked in (extension; default 120). Check-in
   * is open from then until the end of the appointment's clinic-local day, never on another day.
   */
  checkInLeadMinutes: number;
}

/** A postal address as printed on receipts and superbills. */
export interface PostalAddress {
  line1: string;
  line2?: string | undefined;
  city: string;
  /** State or province code, e.g. NY, ON. */
  region: string;
  postalCode: string;
  country: Country;
}

/**
 * What a clinic prints on its receipts, superbills and invoices (docs/domain.md, "Billing profile,
 * provider identifiers and diagnoses"). Set by an admin, the whole profile at once.
 */
export interface BillingProfile {
  legalName: string;
  address: PostalAddress;
  /** E.164. */
  phone: string;
  /** US EIN (12-3456789) or Canadian business number (123456789RT0001). */
  taxId: string;
  /** The clinic's type-2 (organisation) NPI, US. */
  npi?: string | undefined;
  /** Printed on receipts, e.g. the GST/HST exemption of psychotherapy. */
  taxNote?: string | undefined;
}

export interface Clinic {
  id: string;
  name: string;
  timezone: string; // IANA
  currency: Currency;
  country: Country;
  policy: Policy;
  billing?: BillingProfile | undefined;
  /**
   * The name its SMS say instead of `name`, for a clinic whose name holds a word no SMS may
   * (e.g. "therapy"): without it such SMS say "Your clinic" (smsNameProblem in sms.ts).
   */
  smsName?: string | undefined;
  version: number;
}

export interface WeeklyHours {
  day: Weekday;
  start: string; // HH:mm local
  end: string; // HH:mm local
}

export type ProviderRole = 'therapist' | 'prescriber';

export interface Provider {
  id: string;
  clinicId: string;
  name: string;
  role: ProviderRole;
  credentials: string;
  /** Type-1 (individual) NPI, US: 10 digits with the CMS Luhn check digit (#domain/npi.ts). */
  npi?: string | undefined;
  /** Licence (US) or college registration (Canada) in the state or province where they practise. */
  licence?: { number: string; jurisdiction: string } | undefined;
  telehealth: boolean;
  weeklyHours: WeeklyHours[];
  /** Their own video room (a Doxy.me or Zoom personal room): staff and the client of a video session only. */
  videoRoomUrl?: string | undefined;
}

export type RoomKind = 'dosing' | 'therapy';

export interface Room {
  id: string;
  clinicId: string;
  name: string;
  kind: RoomKind;
}

export interface Service {
  code: ServiceCode;
  name: string;
  durationMinutes: number;
  price: Money;
  billable: boolean;
  cptCode: string | null;
  telehealthAllowed: boolean;
  roomKind: RoomKind | null; // room needed when held in person; null: no room at all
  providerRole: ProviderRole;
}

export type ClearanceStatus = 'cleared' | 'not_cleared';

export interface Clearance {
  /** Its entry in the client's clearance history (keys.clearanceRecord); absent on clearances recorded before entries had ids. */
  id?: string | undefined;
  status: ClearanceStatus;
  screenedFor: string[];
  validUntil?: string | undefined; // YYYY-MM-DD, clinic-local date, inclusive
  notes?: string | undefined;
  recordedBy: string;
  recordedAt: number;
}

export interface RideHome {
  name: string;
  phone: string;
}

export interface Client {
  id: string;
  clinicId: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string; // E.164
  dateOfBirth: string; // YYYY-MM-DD
  smsConsent: boolean;
  rideHome?: RideHome | undefined;
  intakeCompleted: boolean;
  clearance?: Clearance | undefined;
  createdAt: number;
  version: number;
}

/** A client's name as every answer and document shows it: first name, then last name. */
export function clientName(c: Pick<Client, 'firstName' | 'lastName'>): string {
  return `${c.firstName} ${c.lastName}`.trim();
}

export const APPOINTMENT_STATUSES = ['booked', 'checked_in', 'completed', 'cancelled', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** Statuses that hold time and count towards course-of-care rules. */
export const ACTIVE_STATUSES: readonly AppointmentStatus[] = ['booked', 'checked_in', 'completed'];

export interface Appointment {
  id: string;
  clinicId: string;
  clientId: string;
  providerId: string;
  roomId: string | null;
  service: ServiceCode;
  mode: Mode;
  startsAt: number;
  endsAt: number;
  status: AppointmentStatus;
  packageId?: string | undefined;
  /** The invoice of a self-pay session (booked without `packageId`), created in the booking's transaction. */
  invoiceId?: string | undefined;
  /** For integration sessions: the exploration it follows (docs/domain.md: belongs to the one before it). */
  explorationId?: string | undefined;
  cancelledAt?: number | undefined;
  cancelReason?: string | undefined;
  /** Offsets (hours) of the reminder items planned with this version (shared/db/sms-repo.ts). */
  smsReminderOffsets?: number[] | undefined;
  late?: boolean | undefined;
  /**
   * A cancel inside the cancellation window whose late terms the clinic's staff waived (the clinic
   * cancelled, an emergency): `late` is then false, and it was cancelled as if in time.
   */
  feeWaived?: boolean | undefined;
  /** When the client arrived (checked in); none before this was recorded, or never checked in. */
  checkedInAt?: number | undefined;
  /** Only for a check-in recorded after the fact (a forgotten one): when it was recorded. */
  checkInRecordedAt?: number | undefined;
  createdAt: number;
  updatedAt: number;
  version: number;
}
