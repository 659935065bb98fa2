// Invoices as the staff read them, in figures and words: what a set of invoices still has due and
// what it owes back (never netted against each other), and which session an invoice bills.
import type { Appointment, ClinicSetup, Invoice } from '../../lib/clinic-data.ts';
import { serviceName } from '../../lib/clinic-data.ts';
import type { Money } from '../../lib/format.ts';
import { formatDate, formatDateTime, localDateOf } from '../../lib/format.ts';

export interface Balances {
  /** The positive balances added up: what clients still have to pay. */
  due: Money;
  /** The negative balances added up, as a positive amount: what is still to be given back. */
  owedBack: Money;
}

/**
 * What the invoices still have due, and what they owe back to clients. A balance below 0 is a
 * refund still to be made: adding it to the others would hide as much money still due (a list
 * with $2,600 due and $175 owed back is not "$2,425 due").
 */
export function balancesOf(invoices: readonly Pick<Invoice, 'balance'>[], currency: string): Balances {
  let due = 0;
  let owedBack = 0;
  for (const { balance } of invoices) {
    if (balance.amount > 0) due += balance.amount;
    else owedBack -= balance.amount;
  }
  return { due: { amount: due, currency }, owedBack: { amount: owedBack, currency } };
}

/** Lines that are what was charged for a session's absence or a program's cancel, not the session itself. */
const NOT_THE_SESSION = new Set(['late_cancellation', 'no_show', 'package_credit']);

type SessionAppointment = Pick<Appointment, 'service' | 'startsAt' | 'providerId' | 'status'> & { late?: boolean };
type SessionInvoice = Pick<Invoice, 'appointmentId'> & {
  lines: Pick<Invoice['lines'][number], 'description' | 'service' | 'serviceDate' | 'appointmentId'>[];
};

export interface SessionWords {
  /** "Intake assessment" */
  service: string;
  /** "Thu, Dec 3, 2026, 10:00 AM" in the clinic's zone; only the date when the appointment could not be read */
  when: string | undefined;
  /** The clinic-local date (YYYY-MM-DD): the day view to link to */
  date: string | undefined;
  practitioner: string | undefined;
  /** What became of it, when that is why the invoice bills what it does ("cancelled late", "a no-show") */
  outcome: string | undefined;
}

/**
 * The session a session's invoice bills, in words: its service, date and time in the clinic's
 * zone and practitioner from the appointment; without it (a read refused or failed), what the
 * invoice's own lines say (the session's line, not the fee that replaced it, and its date).
 * Undefined for an invoice of no session (a program's).
 */
export function sessionOf(inv: SessionInvoice, appointment: SessionAppointment | undefined, setup: ClinicSetup): SessionWords | undefined {
  if (!inv.appointmentId) return undefined;
  const lines = inv.lines.filter((l) => !l.appointmentId || l.appointmentId === inv.appointmentId);
  const line = lines.find((l) => !NOT_THE_SESSION.has(l.service)) ?? lines[0];
  if (appointment) {
    return {
      service: serviceName(setup, appointment.service),
      when: formatDateTime(appointment.startsAt, setup.clinic.timezone),
      date: localDateOf(appointment.startsAt),
      practitioner: setup.providers.find((p) => p.id === appointment.providerId)?.name,
      outcome: outcomeOf(appointment),
    };
  }
  return {
    service: line?.description ?? 'A session',
    when: line?.serviceDate ? formatDate(line.serviceDate) : undefined,
    date: line?.serviceDate ?? undefined,
    practitioner: undefined,
    outcome: undefined,
  };
}

function outcomeOf(a: SessionAppointment): string | undefined {
  if (a.status === 'cancelled') return a.late ? 'cancelled late' : 'cancelled';
  if (a.status === 'no_show') return 'a no-show';
  if (a.status === 'completed') return 'completed';
  return undefined;
}
