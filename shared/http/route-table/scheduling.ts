// The scheduling function's routes (../routes.ts says what a declaration holds and who reads the
// table). Only this function's bundle holds this table and the request schemas it names
// (docs/decisions.md, "Cold start").
import { CLEARANCE_DETAILS_GRANTS, type Grant } from '#shared/auth/policy.ts';
import { ADMIN, PUBLIC, sched, SELF_AND_STAFF, STAFF, type RouteDef } from '../route-def.ts';
import * as s from '../schemas/scheduling.ts';
import * as common from '../schemas/common.ts';

/**
 * Who may move an appointment: the reschedule route, and availability's `excluding` (the times
 * an appointment could move to), which names an appointment and so is checked as a move would be.
 */
export const MOVE_GRANTS: readonly Grant[] = ['self', 'frontdesk', 'admin'];

/** Who runs a clinic's schedule: its front desk, and admin. */
const DESK: readonly Grant[] = ['frontdesk', 'admin'];

export const SCHEDULING_ROUTES: readonly RouteDef[] = [
  sched('GET', '/v1/health', PUBLIC),
  // readiness: one read of the table (liveness above does no I/O)
  sched('GET', '/v1/health/ready', PUBLIC),

  // Clinics and their setup
  sched('GET', '/v1/clinics', PUBLIC),
  sched('POST', '/v1/clinics', ADMIN, { body: s.createClinicSchema, create: true }),
  sched('GET', '/v1/clinics/{clinicId}', PUBLIC),
  sched('PATCH', '/v1/clinics/{clinicId}', ADMIN, { body: s.patchClinicSchema }),
  sched('POST', '/v1/clinics/{clinicId}/providers', ADMIN, { body: s.createProviderSchema, create: true }),
  sched('GET', '/v1/clinics/{clinicId}/providers', PUBLIC),
  // extension: a practitioner's video room link (not health data: no audit, as for adding a provider)
  sched('PUT', '/v1/clinics/{clinicId}/providers/{providerId}/video-room', ADMIN, { body: s.videoRoomSchema }),
  // extension: a provider's time off (the desk runs the schedule; no health data: not audited)
  sched('POST', '/v1/clinics/{clinicId}/providers/{providerId}/time-off', DESK, { body: s.timeOffSchema, create: true }),
  // extension: the clinic closed (a holiday): time off of every practitioner, those added later included
  sched('POST', '/v1/clinics/{clinicId}/time-off', DESK, { body: s.timeOffSchema, create: true }),
  sched('GET', '/v1/clinics/{clinicId}/time-off', STAFF, { query: s.timeOffQuerySchema }),
  sched('POST', '/v1/clinics/{clinicId}/time-off/{timeOffId}/remove', DESK, { body: common.emptySchema }),
  sched('POST', '/v1/clinics/{clinicId}/rooms', ADMIN, { body: s.createRoomSchema, create: true }),
  sched('GET', '/v1/clinics/{clinicId}/rooms', STAFF),
  sched('GET', '/v1/clinics/{clinicId}/services', PUBLIC),
  // extension `excluding`: the times one appointment could move to (its own time free, its
  // client's other sessions taken); that appointment is read under MOVE_GRANTS and audited
  sched('GET', '/v1/clinics/{clinicId}/availability', PUBLIC, { query: s.availabilityQuerySchema, audit: 'availability.read' }),
  sched('GET', '/v1/clinics/{clinicId}/schedule', STAFF, {
    query: s.scheduleQuerySchema,
    audit: 'schedule.read',
  }),

  // Clients
  sched('POST', '/v1/clients', ['signup', 'frontdesk', 'admin'], {
    body: s.createClientSchema,
    create: true,
    rateLimit: 'signup',
    audit: 'client.create',
  }),
  // extension: find a client of the clinic by name, e-mail or phone (staff); a POST so that what
  // was typed (a name) is never in a URL or an access log; every client listed is audited
  sched('POST', '/v1/clinics/{clinicId}/clients/search', STAFF, { body: s.clientSearchSchema, audit: 'clients.search' }),
  sched('GET', '/v1/clients/{clientId}', SELF_AND_STAFF, { audit: 'client.read' }),
  sched('PATCH', '/v1/clients/{clientId}', ['self', 'frontdesk', 'admin'], {
    body: s.patchClientSchema,
    audit: 'client.update',
  }),
  sched('POST', '/v1/clients/{clientId}/clearance', ['clinician', 'admin'], {
    body: s.clearanceSchema,
    create: true,
    audit: 'clearance.record',
  }),
  // extension: every clearance recorded, newest first; to those who see the clearance's details
  // on the client record (one rule, shared/auth/policy.ts), audited as a read of health data
  sched('GET', '/v1/clients/{clientId}/clearances', CLEARANCE_DETAILS_GRANTS, { audit: 'clearances.read' }),
  // diagnosis codes (for superbills): recorded by clinicians; never shown to the front desk
  sched('PUT', '/v1/clients/{clientId}/diagnoses', ['clinician', 'admin'], { body: s.diagnosesSchema, audit: 'diagnoses.update' }),
  sched('GET', '/v1/clients/{clientId}/diagnoses', ['self', 'clinician', 'finance', 'admin'], { audit: 'diagnoses.read' }),
  sched('GET', '/v1/clients/{clientId}/appointments', SELF_AND_STAFF, { audit: 'appointments.list' }),
  // extension: the waitlist (docs/api.md, "Waitlist"): what a client asks for, and the times open
  // for it now; which kind of session a client waits for is health information: audited
  sched('POST', '/v1/clients/{clientId}/waitlist', ['self', 'frontdesk', 'admin'], {
    body: s.waitlistSchema,
    create: true,
    audit: 'waitlist.add',
  }),
  sched('GET', '/v1/clients/{clientId}/waitlist', SELF_AND_STAFF, { audit: 'waitlist.read' }),
  sched('POST', '/v1/clients/{clientId}/waitlist/{entryId}/remove', ['self', 'frontdesk', 'admin'], {
    body: common.emptySchema,
    audit: 'waitlist.remove',
  }),
  sched('GET', '/v1/clinics/{clinicId}/waitlist', DESK, { audit: 'waitlist.list' }),
  sched('GET', '/v1/clients/{clientId}/audit', ADMIN, { query: s.auditQuerySchema, audit: 'audit.read' }),

  // Appointments
  sched('POST', '/v1/appointments', ['self', 'frontdesk', 'admin'], {
    body: s.bookSchema,
    create: true,
    rateLimit: 'sms',
    audit: 'appointment.book',
  }),
  sched('GET', '/v1/appointments/{appointmentId}', SELF_AND_STAFF, { audit: 'appointment.read' }),
  sched('POST', '/v1/appointments/{appointmentId}/reschedule', MOVE_GRANTS, {
    body: s.rescheduleSchema,
    rateLimit: 'sms',
    audit: 'appointment.reschedule',
  }),
  sched('POST', '/v1/appointments/{appointmentId}/cancel', ['self', 'frontdesk', 'admin'], {
    body: s.cancelSchema,
    rateLimit: 'sms',
    audit: 'appointment.cancel',
  }),
  // extension: a session booked self-pay paid with a program credit instead, by those who book
  // for the client; its invoice line voided as an on-time cancel voids it
  sched('POST', '/v1/appointments/{appointmentId}/use-credit', ['self', 'frontdesk', 'admin'], {
    body: s.useCreditSchema,
    audit: 'appointment.use_credit',
  }),
  sched('POST', '/v1/appointments/{appointmentId}/check-in', ['frontdesk', 'admin'], {
    body: s.checkInSchema,
    audit: 'appointment.check_in',
  }),
  sched('POST', '/v1/appointments/{appointmentId}/no-show', ['frontdesk', 'admin'], {
    body: common.emptySchema,
    audit: 'appointment.no_show',
  }),
  sched('POST', '/v1/appointments/{appointmentId}/complete', ['clinician', 'frontdesk', 'admin'], {
    body: common.emptySchema,
    audit: 'appointment.complete',
  }),
];
