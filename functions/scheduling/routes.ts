// The scheduling API's route handlers: parse → authorize → call the service → map the result.
import type { z } from 'zod';
import type { ApiRequest, ApiResult, RouteHandler } from '#http/api.ts';
import { parseWith } from '#http/validation.ts';
import { requireRole } from '#shared/auth/principal.ts';
import { NotFoundError, ValidationError } from '#domain/errors.ts';
import type { ClinicService } from '#services/clinic-service.ts';
import type { ClientService } from '#services/client-service.ts';
import type { AppointmentService } from '#services/appointment-service.ts';
import * as s from '#http/schemas/scheduling.ts';
import * as v from './views.ts';

export interface SchedulingServices {
  clinics: ClinicService;
  clients: ClientService;
  appointments: AppointmentService;
}

// an absent body is an empty object; a JSON null is not an object and is refused
const body = <S extends z.ZodType>(schema: S, req: ApiRequest): z.infer<S> => parseWith(schema, req.body === undefined ? {} : req.body, '');
const query = <S extends z.ZodType>(schema: S, req: ApiRequest): z.infer<S> => parseWith(schema, req.query, '');

/** A body is required for creates: an absent one is a 400, not an empty object. */
function requiredBody<S extends z.ZodType>(schema: S, req: ApiRequest): z.infer<S> {
  if (req.body === undefined) throw new ValidationError([{ path: '', message: 'A JSON body is required' }]);
  return body(schema, req);
}

/** The longest id any record can have (ids in bodies are at most this long too, schemas.ts). */
const MAX_ID_LENGTH = 100;

function param(req: ApiRequest, name: string): string {
  const value = req.pathParams[name];
  if (!value) throw new ValidationError([{ path: name, message: 'Missing path parameter' }]);
  // No record has a longer id; looking one up would exceed DynamoDB's key size and answer 500.
  if (value.length > MAX_ID_LENGTH) throw new NotFoundError(name.replace(/Id$/, ''));
  return value;
}

const ok = (b: unknown): ApiResult => ({ status: 200, body: b });
const created = (b: unknown): ApiResult => ({ status: 201, body: b });

export function schedulingRoutes(svc: SchedulingServices): Record<string, RouteHandler> {
  return {
    'GET /v1/health': async () => ok({ status: 'ok' }),

    // Clinics and their setup
    'GET /v1/clinics': async () => ok((await svc.clinics.list()).map(v.clinicSummary)),
    'POST /v1/clinics': async (req) => {
      requireRole(req.principal, ['admin']);
      const input = requiredBody(s.createClinicSchema, req);
      return created(v.clinicView(await svc.clinics.create(req.principal, input)));
    },
    'GET /v1/clinics/{clinicId}': async (req) => ok(v.clinicView(await svc.clinics.get(param(req, 'clinicId')))),
    'PATCH /v1/clinics/{clinicId}': async (req) => {
      requireRole(req.principal, ['admin']);
      const input = requiredBody(s.patchClinicSchema, req);
      return ok(v.clinicView(await svc.clinics.update(req.principal, param(req, 'clinicId'), input)));
    },
    'POST /v1/clinics/{clinicId}/providers': async (req) => {
      requireRole(req.principal, ['admin']);
      const input = requiredBody(s.createProviderSchema, req);
      return created(v.providerView(await svc.clinics.addProvider(req.principal, param(req, 'clinicId'), input)));
    },
    'GET /v1/clinics/{clinicId}/providers': async (req) =>
      ok((await svc.clinics.providers(param(req, 'clinicId'))).map(v.providerView)),
    'POST /v1/clinics/{clinicId}/rooms': async (req) => {
      requireRole(req.principal, ['admin']);
      const input = requiredBody(s.createRoomSchema, req);
      return created(v.roomView(await svc.clinics.addRoom(req.principal, param(req, 'clinicId'), input)));
    },
    'GET /v1/clinics/{clinicId}/rooms': async (req) =>
      ok((await svc.clinics.rooms(req.principal, param(req, 'clinicId'))).map(v.roomView)),
    'GET /v1/clinics/{clinicId}/services': async (req) =>
      ok((await svc.clinics.services(param(req, 'clinicId'))).services.map(v.serviceView)),
    'GET /v1/clinics/{clinicId}/availability': async (req) => {
      const q = query(s.availabilityQuerySchema, req);
      const { clinic, slots } = await svc.clinics.availability(req.principal, param(req, 'clinicId'), q);
      return ok({ slots: slots.map((slot) => v.slotView(slot, clinic.timezone)) });
    },
    'GET /v1/clinics/{clinicId}/schedule': async (req) => {
      const q = query(s.scheduleQuerySchema, req);
      const { timezone, entries } = await svc.appointments.schedule(req.principal, param(req, 'clinicId'), q.date);
      return ok({ date: q.date, timezone, appointments: entries.map((e) => v.scheduleEntryView(e, timezone)) });
    },

    // Clients
    'POST /v1/clients': async (req) => {
      const input = requiredBody(s.createClientSchema, req);
      const client = await svc.clients.create(req.principal, input);
      return created(v.clientView(client, await svc.clients.statusOf(client)));
    },
    'GET /v1/clients/{clientId}': async (req) => {
      const { client, status } = await svc.clients.getWithStatus(req.principal, param(req, 'clientId'));
      return ok(v.clientView(client, status));
    },
    'PATCH /v1/clients/{clientId}': async (req) => {
      const input = requiredBody(s.patchClientSchema, req);
      const { client, status } = await svc.clients.update(req.principal, param(req, 'clientId'), input);
      return ok(v.clientView(client, status));
    },
    'POST /v1/clients/{clientId}/clearance': async (req) => {
      requireRole(req.principal, ['clinician']);
      const input = requiredBody(s.clearanceSchema, req);
      const { client, status } = await svc.clients.recordClearance(req.principal, param(req, 'clientId'), input);
      return created(v.clientView(client, status));
    },
    'GET /v1/clients/{clientId}/appointments': async (req) => {
      const { appointments, timezone } = await svc.clients.appointments(req.principal, param(req, 'clientId'));
      return ok(appointments.map((a) => v.appointmentView(a, timezone)));
    },

    // Appointments
    'POST /v1/appointments': async (req) => {
      requireRole(req.principal, ['client', 'frontdesk']);
      const input = requiredBody(s.bookSchema, req);
      const { appointment, timezone } = await svc.appointments.book(req.principal, input);
      return created(v.appointmentView(appointment, timezone));
    },
    'GET /v1/appointments/{appointmentId}': async (req) => {
      const { appointment, timezone } = await svc.appointments.get(req.principal, param(req, 'appointmentId'));
      return ok(v.appointmentView(appointment, timezone));
    },
    'POST /v1/appointments/{appointmentId}/reschedule': async (req) => {
      requireRole(req.principal, ['client', 'frontdesk']);
      const input = requiredBody(s.rescheduleSchema, req);
      const { appointment, timezone } = await svc.appointments.reschedule(req.principal, param(req, 'appointmentId'), input);
      return ok(v.appointmentView(appointment, timezone));
    },
    'POST /v1/appointments/{appointmentId}/cancel': async (req) => {
      requireRole(req.principal, ['client', 'frontdesk']);
      const input = body(s.cancelSchema, req);
      const { appointment, timezone } = await svc.appointments.cancel(req.principal, param(req, 'appointmentId'), input.reason);
      return ok(v.appointmentView(appointment, timezone));
    },
    'POST /v1/appointments/{appointmentId}/check-in': async (req) => {
      requireRole(req.principal, ['frontdesk']);
      body(s.emptySchema, req);
      const { appointment, timezone } = await svc.appointments.checkIn(req.principal, param(req, 'appointmentId'));
      return ok(v.appointmentView(appointment, timezone));
    },
    'POST /v1/appointments/{appointmentId}/no-show': async (req) => {
      requireRole(req.principal, ['frontdesk']);
      body(s.emptySchema, req);
      const { appointment, timezone } = await svc.appointments.noShow(req.principal, param(req, 'appointmentId'));
      return ok(v.appointmentView(appointment, timezone));
    },
    'POST /v1/appointments/{appointmentId}/complete': async (req) => {
      requireRole(req.principal, ['clinician', 'frontdesk']);
      body(s.emptySchema, req);
      const { appointment, timezone } = await svc.appointments.complete(req.principal, param(req, 'appointmentId'));
      return ok(v.appointmentView(appointment, timezone));
    },
  };
}
