// Invoices as the staff read them (web/src/pages/staff/invoice-rules.ts): what is still due and
// what is owed back, never netted; and which session a session's invoice bills.
import { describe, expect, it } from 'vitest';
import type { ClinicSetup } from '../src/lib/clinic-data.ts';
import { balancesOf, sessionOf } from '../src/pages/staff/invoice-rules.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const withBalance = (amount: number) => ({ balance: usd(amount) });

describe('what a set of invoices still has due, and what it owes back', () => {
  it('keeps money owed back apart from money still due', () => {
    // the list the reviewer saw: $2,600 due on some, $175 owed back on one; its old total said $2,425
    const list = [17_500, 17_500, 55_000, 10_000, -17_500, 0, 160_000, 0].map(withBalance);
    expect(balancesOf(list, 'USD')).toEqual({ due: usd(260_000), owedBack: usd(17_500) });
  });

  it('owes nothing back when no balance is below 0, and is 0 for no invoice', () => {
    expect(balancesOf([17_500, 0].map(withBalance), 'USD')).toEqual({ due: usd(17_500), owedBack: usd(0) });
    expect(balancesOf([], 'CAD')).toEqual({ due: { amount: 0, currency: 'CAD' }, owedBack: { amount: 0, currency: 'CAD' } });
  });

  it('adds up several refunds owed back as a positive amount', () => {
    expect(balancesOf([-17_500, -10_000, 5_000].map(withBalance), 'USD')).toEqual({ due: usd(5_000), owedBack: usd(27_500) });
  });
});

const setup = {
  clinic: { timezone: 'America/New_York' },
  services: [{ code: 'intake', name: 'Intake assessment' }],
  providers: [{ id: 'prov_1', name: 'Avery Stone' }],
} as unknown as ClinicSetup;

// a late cancellation: the session's line voided, the fee in its place
const lateFeeInvoice = {
  appointmentId: 'appt_1',
  lines: [
    { description: 'Intake assessment', service: 'intake', serviceDate: '2026-12-03', appointmentId: 'appt_1' },
    { description: 'Late cancellation fee', service: 'late_cancellation', serviceDate: '2026-12-03', appointmentId: 'appt_1' },
  ],
} as Parameters<typeof sessionOf>[0];

describe('which session an invoice bills', () => {
  it('names the service, the date and time in the clinic’s zone, the practitioner and what became of it', () => {
    const appointment = {
      service: 'intake' as const,
      // 15:00 UTC: 10:00 in New York, whatever the browser's zone
      startsAt: '2026-12-03T15:00:00Z',
      providerId: 'prov_1',
      status: 'cancelled' as const,
      late: true,
    };
    expect(sessionOf(lateFeeInvoice, appointment, setup)).toEqual({
      service: 'Intake assessment',
      when: 'Thu, Dec 3, 2026, 10:00 AM',
      date: '2026-12-03',
      practitioner: 'Avery Stone',
      outcome: 'cancelled late',
    });
    expect(sessionOf(lateFeeInvoice, { ...appointment, status: 'cancelled', late: false }, setup)?.outcome).toBe('cancelled');
    expect(sessionOf(lateFeeInvoice, { ...appointment, status: 'no_show' }, setup)?.outcome).toBe('a no-show');
    expect(sessionOf(lateFeeInvoice, { ...appointment, status: 'booked' }, setup)?.outcome).toBeUndefined();
  });

  it('without the appointment, says what the session’s own line says (not the fee’s) and its date', () => {
    expect(sessionOf(lateFeeInvoice, undefined, setup)).toEqual({
      service: 'Intake assessment',
      when: 'Dec 3, 2026',
      date: '2026-12-03',
      practitioner: undefined,
      outcome: undefined,
    });
  });

  it('is nothing for an invoice of no session (a program’s)', () => {
    expect(sessionOf({ appointmentId: undefined, lines: [] }, undefined, setup)).toBeUndefined();
  });
});
