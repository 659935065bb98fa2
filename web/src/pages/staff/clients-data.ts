// What the front desk's client pages share: one client's record read fresh (never cached: the
// chart may have just changed it), the name as shown, and where the links go.
import { ApiError, ok, type Api } from '../../api/client.ts';
import type { Appointment, Client } from '../../lib/clinic-data.ts';
import { localDateOf } from '../../lib/format.ts';
import { withClinic, type StaffSession } from './common.tsx';

export const fetchClient = (api: Api, clientId: string): Promise<Client> =>
  ok(api.GET('/v1/clients/{clientId}', { params: { path: { clientId } } }));

/** The client's appointments, soonest first. */
export const clientAppointments = (api: Api, clientId: string): Promise<Appointment[]> =>
  ok(api.GET('/v1/clients/{clientId}/appointments', { params: { path: { clientId } } }));

/** A 409 slot_unavailable that is the client's own session at that time (the booking page found it): its message says which. */
export class ClientBusyError extends ApiError {
  constructor(message: string) {
    super(409, 'slot_unavailable', message);
  }
}

export const fullName = (c: Pick<Client, 'firstName' | 'lastName'>) => `${c.firstName} ${c.lastName}`;

/** The roles that book, move and add clients (the API's policy: POST /v1/appointments, /v1/clients). */
export const booksForClients = (session: StaffSession) => session.role === 'frontdesk' || session.role === 'admin';

const id = (s: string) => encodeURIComponent(s);

export const staffLinks = (session: StaffSession, clinicId: string | undefined) => ({
  chart: (clientId: string) => withClinic(`/staff/clients/${id(clientId)}`, session, clinicId),
  book: (clientId: string) => withClinic(`/staff/clients/${id(clientId)}/book`, session, clinicId),
  sellProgram: (clientId: string) => withClinic(`/staff/clients/${id(clientId)}/programs/new`, session, clinicId),
  reschedule: (appointmentId: string) => withClinic(`/staff/appointments/${id(appointmentId)}/reschedule`, session, clinicId),
  /** The day of a time the API gave in the clinic's own offset. */
  day: (startsAt: string) => withClinic(`/staff/day?date=${localDateOf(startsAt)}`, session, clinicId),
  invoice: (invoiceId: string) => withClinic(`/staff/invoices/${id(invoiceId)}`, session, clinicId),
});
