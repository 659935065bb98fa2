// Records → response bodies. Times are shown in the clinic's zone with its offset
// (docs/api.md, "Requests and responses"); internal attributes (versions, locks) never leave.
import {
  clientName,
  type Appointment,
  type BillingProfile,
  type Clearance,
  type Clinic,
  type Client,
  type Provider,
  type Room,
  type Service,
} from '#domain/types.ts';
import type { ClientDiagnoses } from '#domain/diagnoses.ts';
import type { ClientStatus } from '#domain/client-status.ts';
import type { Slot } from '#domain/availability.ts';
import type { ScheduleEntry } from '#services/appointment-service.ts';
import { formatInstant } from '#domain/time.ts';
import { visibility, type Caller } from '#shared/auth/policy.ts';
import type { AuditEntry } from '#domain/audit.ts';
import type { ClientSearchHit } from '#db/client-repo.ts';
import { COURSE_FLAGS, LISTED_FLAGS } from '#domain/schedule.ts';
import { refundDue, totals, type Invoice } from '#domain/invoices.ts';
import type { TimeOff } from '#domain/time-off.ts';
import type { WaitlistEntry } from '#domain/waitlist.ts';
import type { WaitlistItem } from '#services/waitlist-service.ts';

export const clinicSummary = (c: Clinic) => ({ id: c.id, name: c.name, timezone: c.timezone, currency: c.currency, country: c.country });

/**
 * The billing profile (tax id, NPI, legal name) only to the clinic's staff and admin (minimum necessary); its
 * address and phone to everyone as `contact`.
 */
export const clinicView = (c: Clinic, caller: Caller) => {
  const seesBilling = !!c.billing && visibility(caller.principal, { clinicId: c.id }).billingProfile;
  return {
    ...clinicSummary(c),
    smsName: c.smsName ?? null,
    policy: c.policy,
    // where clients go and whom they call: public, as on the clinic's door (never its tax id)
    contact: c.billing ? { address: addressView(c.billing.address), phone: c.billing.phone } : null,
    ...(seesBilling ? { billing: billingView(c.billing!) } : {}),
  };
};

const addressView = (a: BillingProfile['address']) => ({
  line1: a.line1,
  line2: a.line2 ?? null,
  city: a.city,
  region: a.region,
  postalCode: a.postalCode,
  country: a.country,
});

const billingView = (b: BillingProfile) => ({
  legalName: b.legalName,
  address: addressView(b.address),
  phone: b.phone,
  taxId: b.taxId,
  npi: b.npi ?? null,
  taxNote: b.taxNote ?? null,
});

/** The video room link only to the clinic's staff and admin: the list is public (visibility, shared/auth/policy.ts). */
export const providerView = (p: Provider, caller: Caller) => ({
  id: p.id,
  clinicId: p.clinicId,
  name: p.name,
  role: p.role,
  credentials: p.credentials,
  npi: p.npi ?? null,
  licence: p.licence ? { number: p.licence.number, jurisdiction: p.licence.jurisdiction } : null,
  telehealth: p.telehealth,
  weeklyHours: p.weeklyHours,
  ...(visibility(caller.principal, { clinicId: p.clinicId }).videoRoomLink ? { videoRoomUrl: p.videoRoomUrl ?? null } : {}),
});

export const roomView = (r: Room) => ({ id: r.id, clinicId: r.clinicId, name: r.name, kind: r.kind });

export const serviceView = (s: Service) => ({
  code: s.code,
  name: s.name,
  durationMinutes: s.durationMinutes,
  price: s.price,
  billable: s.billable,
  cptCode: s.cptCode,
  telehealthAllowed: s.telehealthAllowed,
  roomKind: s.roomKind,
  providerRole: s.providerRole,
});

export const slotView = (s: Slot, tz: string) => ({
  startsAt: formatInstant(s.startsAt, tz),
  endsAt: formatInstant(s.endsAt, tz),
  providerId: s.providerId,
  roomId: s.roomId,
});

/**
 * Minimum necessary (shared/auth/policy.ts): what was screened and the clearance notes only to
 * clinicians, admin and the client itself; everyone who may read the profile sees the status.
 */
export const clientView = (c: Client, status: ClientStatus, caller: Caller) => {
  const seesDetails = visibility(caller.principal, { clinicId: c.clinicId, clientId: c.id }).clearanceDetails;
  const clearance =
    seesDetails && c.clearance
      ? { ...status.clearance, screenedFor: c.clearance.screenedFor, notes: c.clearance.notes ?? null }
      : status.clearance;
  return clientBody(c, { ...status, clearance });
};

/**
 * One entry of a client's clearance history, details included (the route is granted only to those
 * who see them). The recorder by user id: staff have no names in the API.
 */
export const clearanceEntryView = (c: Clearance, tz: string) => ({
  status: c.status,
  screenedFor: c.screenedFor,
  validUntil: c.validUntil ?? null,
  notes: c.notes ?? null,
  recordedAt: formatInstant(c.recordedAt, tz),
  recordedBy: { id: c.recordedBy },
});

/** A found client: the fields the result list shows (picked, so nothing else of the item leaks). */
export const clientSearchHitView = (c: ClientSearchHit) => ({
  id: c.id,
  firstName: c.firstName,
  lastName: c.lastName,
  dateOfBirth: c.dateOfBirth,
  phone: c.phone,
  email: c.email,
});

const clientBody = (c: Client, status: unknown) => ({
  id: c.id,
  clinicId: c.clinicId,
  firstName: c.firstName,
  lastName: c.lastName,
  email: c.email,
  phone: c.phone,
  dateOfBirth: c.dateOfBirth,
  smsConsent: c.smsConsent,
  rideHome: c.rideHome ?? null,
  status,
});

export const timeOffView = (t: TimeOff, tz: string) => ({
  id: t.id,
  clinicId: t.clinicId,
  providerId: t.providerId,
  startsAt: formatInstant(t.startsAt, tz),
  endsAt: formatInstant(t.endsAt, tz),
  label: t.label ?? null,
  createdAt: formatInstant(t.createdAt, tz),
});

/** A waitlist entry as stored (its removal's answer). */
export const waitlistEntryView = (e: WaitlistEntry, tz: string) => ({
  id: e.id,
  clinicId: e.clinicId,
  clientId: e.clientId,
  service: e.service,
  mode: e.mode,
  providerId: e.providerId,
  from: e.from,
  to: e.to,
  createdAt: formatInstant(e.createdAt, tz),
});

/** An entry with what became of it, and while it waits the times open for it now. */
export const waitlistItemView = (i: WaitlistItem, tz: string) => ({
  ...waitlistEntryView(i.entry, tz),
  status: i.status,
  openings: i.openings && { count: i.openings.count, first: i.openings.first.map((s) => slotView(s, tz)) },
});

/** The sessions held during new time off: which, whose and when only (the desk opens each to move it). */
export const timeOffAddedView = (t: TimeOff, held: readonly Appointment[], tz: string) => ({
  timeOff: timeOffView(t, tz),
  held: held.map((a) => ({
    id: a.id,
    providerId: a.providerId,
    startsAt: formatInstant(a.startsAt, tz),
    endsAt: formatInstant(a.endsAt, tz),
  })),
});

/**
 * The cancel reason only to the clinic's staff and admin (visibility): typed by the desk, it may be
 * internal. `videoUrl`: the practitioner's link on a video session still to be held (ClinicService.videoUrls).
 */
export const appointmentView = (a: Appointment, tz: string, caller: Caller, videoUrl: string | null) => ({
  id: a.id,
  status: a.status,
  startsAt: formatInstant(a.startsAt, tz),
  endsAt: formatInstant(a.endsAt, tz),
  providerId: a.providerId,
  roomId: a.roomId,
  service: a.service,
  mode: a.mode,
  clientId: a.clientId,
  clinicId: a.clinicId,
  packageId: a.packageId ?? null,
  explorationId: a.explorationId ?? null,
  invoiceId: a.invoiceId ?? null,
  videoUrl,
  ...(a.checkedInAt !== undefined ? { checkedInAt: formatInstant(a.checkedInAt, tz) } : {}),
  ...(a.checkInRecordedAt !== undefined ? { checkInRecordedAt: formatInstant(a.checkInRecordedAt, tz) } : {}),
  ...(a.status === 'cancelled'
    ? {
        late: a.late ?? false,
        ...(a.feeWaived ? { feeWaived: true } : {}),
        cancelledAt: a.cancelledAt ? formatInstant(a.cancelledAt, tz) : null,
        ...(visibility(caller.principal, { clinicId: a.clinicId, clientId: a.clientId }).cancelReason
          ? { cancelReason: a.cancelReason ?? null }
          : {}),
      }
    : {}),
});

/** What a session's invoice became once a program credit paid for it: its status, and what is owed back. */
export const voidedInvoiceView = (invoice: Invoice) => {
  const money = (amount: number) => ({ amount, currency: invoice.currency });
  return { id: invoice.id, status: totals(invoice).status, refundDue: money(refundDue(invoice)) };
};

export const scheduleEntryView = (e: ScheduleEntry, tz: string, caller: Caller, videoUrl: string | null) => ({
  ...appointmentView(e.appointment, tz, caller, videoUrl),
  client: e.client ? { id: e.client.id, name: clientName(e.client) } : null,
  provider: { id: e.appointment.providerId, name: e.providerName },
  room: e.appointment.roomId ? { id: e.appointment.roomId, name: e.roomName } : null,
  // the published flags, and the course of care's beside them (an extension: a new field, not new values of `flags`)
  flags: e.flags.filter((f) => (LISTED_FLAGS as readonly string[]).includes(f)),
  courseFlags: e.flags.filter((f) => (COURSE_FLAGS as readonly string[]).includes(f)),
});

/** A client's diagnoses, the primary first; `codes: []` and `updatedAt: null` when none were recorded. */
export const diagnosesView = (d: ClientDiagnoses | null, tz: string) => ({
  codes: d ? [...d.codes] : [],
  updatedAt: d ? formatInstant(d.updatedAt, tz) : null,
  // what a change sends back as expectedVersion (0: none recorded yet)
  version: d?.version ?? 0,
});

export const auditEntryView = (e: AuditEntry, tz: string) => ({
  at: formatInstant(e.at, tz),
  actor: e.actor,
  action: e.action,
  record: e.record,
  requestId: e.requestId,
});
