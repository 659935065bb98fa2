// The scheduling API's route handlers: the router has already authenticated the caller, checked
// the route's policy and validated the input (shared/http/api.ts); a handler calls the service
// with the caller and maps the result, naming the client records it touched for the audit trail.
import type { ApiRequest, ApiResult, AuditTarget, RouteHandler } from '#http/api.ts';
import { bodyInput, queryInput } from '#http/api.ts';
import { retrySeed } from '#http/idempotency.ts';
import type { Appointment, Client } from '#domain/types.ts';
import type { WaitlistEntry } from '#domain/waitlist.ts';
import type { ClinicService } from '#services/clinic-service.ts';
import type { ClientService } from '#services/client-service.ts';
import { diagnosesTarget, type DiagnosisService } from '#services/diagnosis-service.ts';
import type { AppointmentService } from '#services/appointment-service.ts';
import type { WaitlistService } from '#services/waitlist-service.ts';
import * as s from '#http/schemas/scheduling.ts';
import { MOVE_GRANTS } from '#http/route-table/scheduling.ts';
import * as v from './views.ts';

export interface SchedulingServices {
  clinics: ClinicService;
  clients: ClientService;
  diagnoses: DiagnosisService;
  appointments: AppointmentService;
  waitlist: WaitlistService;
}

const param = (req: ApiRequest, name: string): string => req.pathParams[name]!;

const ok = (body: unknown, audit?: AuditTarget[]): ApiResult => ({ status: 200, body, ...(audit ? { audit } : {}) });
const created = (body: unknown, audit?: AuditTarget[]): ApiResult => ({ status: 201, body, ...(audit ? { audit } : {}) });

const clientRecord = (c: Pick<Client, 'id' | 'clinicId'>): AuditTarget => ({
  clientId: c.id,
  clinicId: c.clinicId,
  record: { type: 'client', id: c.id },
});
/** Client writes put their audit entry in their own transaction (ClientService). */
const changedClient = (c: Pick<Client, 'id' | 'clinicId'>): AuditTarget => ({ ...clientRecord(c), recorded: true });
const appointmentRecord = (a: Pick<Appointment, 'id' | 'clientId' | 'clinicId'>): AuditTarget => ({
  clientId: a.clientId,
  clinicId: a.clinicId,
  record: { type: 'appointment', id: a.id },
});

const waitlistRecord = (e: Pick<WaitlistEntry, 'id' | 'clientId' | 'clinicId'>): AuditTarget => ({
  clientId: e.clientId,
  clinicId: e.clinicId,
  record: { type: 'waitlist', id: e.id },
});

/** Appointment changes write their audit entry in their own transaction (AppointmentService). */
const changedAppointment = (a: Pick<Appointment, 'id' | 'clientId' | 'clinicId'>): AuditTarget => ({
  ...appointmentRecord(a),
  recorded: true,
});

export function schedulingRoutes(svc: SchedulingServices): Record<string, RouteHandler> {
  /** An appointment as answered, with its `videoUrl` (one read of its provider when it may show one). */
  const appointmentBody = async (a: Appointment, timezone: string, caller: ApiRequest['caller']) =>
    v.appointmentView(a, timezone, caller, (await svc.clinics.videoUrls([a])).get(a.id) ?? null);
  const appointmentChange =
    (change: (req: ApiRequest) => Promise<{ appointment: Appointment; timezone: string; unchanged?: boolean }>): RouteHandler =>
    async (req) => {
      const { appointment, timezone, unchanged } = await change(req);
      // nothing written (a move to where it already is): the answer's entry is written here
      return ok(await appointmentBody(appointment, timezone, req.caller), [
        unchanged ? appointmentRecord(appointment) : changedAppointment(appointment),
      ]);
    };

  return {
    'GET /v1/health': async () => ok({ status: 'ok' }),
    // a read of the table: a database that is unreachable, too slow or throttling answers 503 (router)
    'GET /v1/health/ready': async () => {
      await svc.clinics.ready();
      return ok({ status: 'ready' });
    },

    // Clinics and their setup
    'GET /v1/clinics': async () => ok((await svc.clinics.list()).map(v.clinicSummary)),
    'POST /v1/clinics': async (req) =>
      created(v.clinicView(await svc.clinics.create(req.caller, bodyInput(req, s.createClinicSchema)), req.caller)),
    // the billing profile only to the clinic's staff and admin (visibility, shared/auth/policy.ts)
    'GET /v1/clinics/{clinicId}': async (req) => ok(v.clinicView(await svc.clinics.get(param(req, 'clinicId')), req.caller)),
    'PATCH /v1/clinics/{clinicId}': async (req) =>
      ok(v.clinicView(await svc.clinics.update(req.caller, param(req, 'clinicId'), bodyInput(req, s.patchClinicSchema)), req.caller)),
    'POST /v1/clinics/{clinicId}/providers': async (req) =>
      created(
        v.providerView(
          await svc.clinics.addProvider(req.caller, param(req, 'clinicId'), bodyInput(req, s.createProviderSchema)),
          req.caller,
        ),
      ),
    // a public list: the video room links only to the clinic's staff and admin (visibility, shared/auth/policy.ts)
    'GET /v1/clinics/{clinicId}/providers': async (req) =>
      ok((await svc.clinics.providers(param(req, 'clinicId'))).map((p) => v.providerView(p, req.caller))),
    'PUT /v1/clinics/{clinicId}/providers/{providerId}/video-room': async (req) => {
      const { url } = bodyInput(req, s.videoRoomSchema);
      return ok(
        v.providerView(await svc.clinics.setVideoRoom(req.caller, param(req, 'clinicId'), param(req, 'providerId'), url), req.caller),
      );
    },
    'POST /v1/clinics/{clinicId}/providers/{providerId}/time-off': async (req) => {
      const { timeOff, held, timezone } = await svc.clinics.addTimeOff(
        req.caller,
        param(req, 'clinicId'),
        param(req, 'providerId'),
        bodyInput(req, s.timeOffSchema),
      );
      return created(v.timeOffAddedView(timeOff, held, timezone));
    },
    'POST /v1/clinics/{clinicId}/time-off': async (req) => {
      const { timeOff, held, timezone } = await svc.clinics.addTimeOff(
        req.caller,
        param(req, 'clinicId'),
        null,
        bodyInput(req, s.timeOffSchema),
      );
      return created(v.timeOffAddedView(timeOff, held, timezone));
    },
    'GET /v1/clinics/{clinicId}/time-off': async (req) => {
      const q = queryInput(req, s.timeOffQuerySchema);
      const { timeOff, timezone } = await svc.clinics.timeOff(req.caller, param(req, 'clinicId'), q.from, q.to);
      return ok({ timeOff: timeOff.map((t) => v.timeOffView(t, timezone)) });
    },
    'POST /v1/clinics/{clinicId}/time-off/{timeOffId}/remove': async (req) => {
      const { timeOff, timezone } = await svc.clinics.removeTimeOff(req.caller, param(req, 'clinicId'), param(req, 'timeOffId'));
      return ok({ timeOff: v.timeOffView(timeOff, timezone) });
    },
    'POST /v1/clinics/{clinicId}/rooms': async (req) =>
      created(v.roomView(await svc.clinics.addRoom(req.caller, param(req, 'clinicId'), bodyInput(req, s.createRoomSchema)))),
    'GET /v1/clinics/{clinicId}/rooms': async (req) => ok((await svc.clinics.rooms(req.caller, param(req, 'clinicId'))).map(v.roomView)),
    'GET /v1/clinics/{clinicId}/services': async (req) =>
      ok((await svc.clinics.services(param(req, 'clinicId'))).services.map(v.serviceView)),
    'GET /v1/clinics/{clinicId}/availability': async (req) => {
      const { excluding, ...q } = queryInput(req, s.availabilityQuerySchema);
      // the appointment being moved is checked as its move is: under the reschedule route's grants
      const move = excluding ? { appointmentId: excluding, caller: req.caller.under(MOVE_GRANTS) } : undefined;
      const { clinic, slots, moving } = await svc.clinics.availability(req.caller, param(req, 'clinicId'), q, move);
      // an answer around a client's appointment shows when that client is busy: a read of it
      return ok({ slots: slots.map((slot) => v.slotView(slot, clinic.timezone)) }, moving ? [appointmentRecord(moving)] : []);
    },
    'GET /v1/clinics/{clinicId}/schedule': async (req) => {
      const q = queryInput(req, s.scheduleQuerySchema);
      const { timezone, entries } = await svc.appointments.schedule(req.caller, param(req, 'clinicId'), q.date);
      const videoUrls = await svc.clinics.videoUrls(entries.map((e) => e.appointment));
      return ok(
        {
          date: q.date,
          timezone,
          appointments: entries.map((e) => v.scheduleEntryView(e, timezone, req.caller, videoUrls.get(e.appointment.id) ?? null)),
        },
        entries.map((e) => appointmentRecord(e.appointment)),
      );
    },

    // Clients
    'POST /v1/clients': async (req) => {
      const client = await svc.clients.create(req.caller, bodyInput(req, s.createClientSchema), { retrySeed: retrySeed(req) });
      return created(v.clientView(client, await svc.clients.statusOf(client), req.caller), [changedClient(client)]);
    },
    'POST /v1/clinics/{clinicId}/clients/search': async (req) => {
      const clinicId = param(req, 'clinicId');
      const hits = await svc.clients.search(req.caller, clinicId, bodyInput(req, s.clientSearchSchema).q);
      return ok(
        { clients: hits.map(v.clientSearchHitView) },
        hits.map((c) => clientRecord({ id: c.id, clinicId })),
      );
    },
    'GET /v1/clients/{clientId}': async (req) => {
      const { client, status } = await svc.clients.getWithStatus(req.caller, param(req, 'clientId'));
      return ok(v.clientView(client, status, req.caller), [clientRecord(client)]);
    },
    'PATCH /v1/clients/{clientId}': async (req) => {
      const { client, status } = await svc.clients.update(req.caller, param(req, 'clientId'), bodyInput(req, s.patchClientSchema));
      return ok(v.clientView(client, status, req.caller), [changedClient(client)]);
    },
    'POST /v1/clients/{clientId}/clearance': async (req) => {
      const { client, status } = await svc.clients.recordClearance(req.caller, param(req, 'clientId'), bodyInput(req, s.clearanceSchema));
      return created(v.clientView(client, status, req.caller), [changedClient(client)]);
    },
    'GET /v1/clients/{clientId}/clearances': async (req) => {
      const { client, clearances, timezone } = await svc.clients.clearances(req.caller, param(req, 'clientId'));
      return ok({ clearances: clearances.map((c) => v.clearanceEntryView(c, timezone)) }, [clientRecord(client)]);
    },
    'GET /v1/clients/{clientId}/appointments': async (req) => {
      const { client, appointments, timezone } = await svc.clients.appointments(req.caller, param(req, 'clientId'));
      const videoUrls = await svc.clinics.videoUrls(appointments);
      return ok(
        appointments.map((a) => v.appointmentView(a, timezone, req.caller, videoUrls.get(a.id) ?? null)),
        [clientRecord(client)],
      );
    },
    'POST /v1/clients/{clientId}/waitlist': async (req) => {
      const { item, timezone, written } = await svc.waitlist.add(req.caller, param(req, 'clientId'), bodyInput(req, s.waitlistSchema), {
        retrySeed: retrySeed(req),
      });
      // a new entry wrote its audit entry in its own transaction (WaitlistService); one found again is audited here
      return created({ entry: v.waitlistItemView(item, timezone) }, [{ ...waitlistRecord(item.entry), recorded: written }]);
    },
    'GET /v1/clients/{clientId}/waitlist': async (req) => {
      const { client, clinic, items } = await svc.waitlist.ofClient(req.caller, param(req, 'clientId'));
      return ok({ entries: items.map((i) => v.waitlistItemView(i, clinic.timezone)) }, [clientRecord(client)]);
    },
    'POST /v1/clients/{clientId}/waitlist/{entryId}/remove': async (req) => {
      const { entry, timezone } = await svc.waitlist.remove(req.caller, param(req, 'clientId'), param(req, 'entryId'));
      return ok({ entry: v.waitlistEntryView(entry, timezone) }, [{ ...waitlistRecord(entry), recorded: true }]);
    },
    'GET /v1/clinics/{clinicId}/waitlist': async (req) => {
      const { clinic, items, names } = await svc.waitlist.ofClinic(req.caller, param(req, 'clinicId'));
      const entries = items.map((i) => ({
        ...v.waitlistItemView(i, clinic.timezone),
        client: { id: i.entry.clientId, name: names.get(i.entry.clientId) ?? '' },
      }));
      return ok(
        { entries },
        items.map((i) => waitlistRecord(i.entry)),
      );
    },
    'PUT /v1/clients/{clientId}/diagnoses': async (req) => {
      const { codes, expectedVersion } = bodyInput(req, s.diagnosesSchema);
      const { client, diagnoses, timezone } = await svc.diagnoses.replace(req.caller, param(req, 'clientId'), codes, expectedVersion);
      // the change wrote its audit entry in its own transaction (DiagnosisService)
      return ok(v.diagnosesView(diagnoses, timezone), [{ ...diagnosesTarget(client), recorded: true }]);
    },
    'GET /v1/clients/{clientId}/diagnoses': async (req) => {
      const { client, diagnoses, timezone } = await svc.diagnoses.read(req.caller, param(req, 'clientId'));
      return ok(v.diagnosesView(diagnoses, timezone), [diagnosesTarget(client)]);
    },
    'GET /v1/clients/{clientId}/audit': async (req) => {
      const { cursor } = queryInput(req, s.auditQuerySchema);
      const { client, entries, nextCursor, timezone } = await svc.clients.auditTrail(req.caller, param(req, 'clientId'), cursor);
      return ok({ entries: entries.map((e) => v.auditEntryView(e, timezone)), nextCursor }, [clientRecord(client)]);
    },

    // Appointments
    'POST /v1/appointments': async (req) => {
      const { appointment, timezone } = await svc.appointments.book(req.caller, bodyInput(req, s.bookSchema), {
        retrySeed: retrySeed(req),
      });
      return created(await appointmentBody(appointment, timezone, req.caller), [changedAppointment(appointment)]);
    },
    'GET /v1/appointments/{appointmentId}': async (req) => {
      const { appointment, timezone } = await svc.appointments.get(req.caller, param(req, 'appointmentId'));
      return ok(await appointmentBody(appointment, timezone, req.caller), [appointmentRecord(appointment)]);
    },
    'POST /v1/appointments/{appointmentId}/reschedule': appointmentChange((req) =>
      svc.appointments.reschedule(req.caller, param(req, 'appointmentId'), bodyInput(req, s.rescheduleSchema)),
    ),
    'POST /v1/appointments/{appointmentId}/cancel': appointmentChange((req) => {
      const body = bodyInput(req, s.cancelSchema);
      return svc.appointments.cancel(req.caller, param(req, 'appointmentId'), body.reason, body.waiveFee === true, body.expectedLate);
    }),
    'POST /v1/appointments/{appointmentId}/use-credit': async (req) => {
      const { packageId } = bodyInput(req, s.useCreditSchema);
      const { appointment, timezone, invoice } = await svc.appointments.useCredit(req.caller, param(req, 'appointmentId'), packageId);
      return ok(
        { appointment: await appointmentBody(appointment, timezone, req.caller), invoice: invoice ? v.voidedInvoiceView(invoice) : null },
        [changedAppointment(appointment)],
      );
    },
    'POST /v1/appointments/{appointmentId}/check-in': appointmentChange((req) =>
      svc.appointments.checkIn(req.caller, param(req, 'appointmentId'), bodyInput(req, s.checkInSchema).arrivedAt),
    ),
    'POST /v1/appointments/{appointmentId}/no-show': appointmentChange((req) =>
      svc.appointments.noShow(req.caller, param(req, 'appointmentId')),
    ),
    'POST /v1/appointments/{appointmentId}/complete': appointmentChange((req) =>
      svc.appointments.complete(req.caller, param(req, 'appointmentId')),
    ),
  };
}
