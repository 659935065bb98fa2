// Superbills and receipts for insurance (shared/domain/superbill.ts): what is listed, what each
// line charges and what was paid on it (self-pay: its invoice; a package: its share), the codes,
// the Canadian form, the rules, and properties over random clients.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DIAGNOSIS_LETTERS, packageSessionAmounts, periodIssues, superbill, type SuperbillInput } from '#domain/superbill.ts';
import { packageNetPaid, packagePaidUp } from '#domain/package-rules.ts';
import { packageShares, tookCredit } from '#domain/allocation.ts';
import { creditListPrices } from '#domain/programs.ts';
import { creditsFor } from '#domain/package-rules.ts';
import { applyPayment, applyRefund, newProgramInvoice, newSessionInvoice, type Invoice } from '#domain/invoices.ts';
import { defaultCatalog } from '#domain/catalog.ts';
import { resolvePolicy } from '#domain/policy.ts';
import { RuleViolation } from '#domain/errors.ts';
import { CREDIT_SERVICES, type CreditService, type Package } from '#domain/packages.ts';
import type { Appointment, AppointmentStatus, BillingProfile, Currency, Mode, Provider, ServiceCode } from '#domain/types.ts';
import { DAY, HOUR, NY, TORONTO, at } from './fixtures.ts';

const US_BILLING: BillingProfile = {
  legalName: 'Hudson Wellness PLLC',
  address: { line1: '350 Hudson Street', line2: 'Suite 400', city: 'New York', region: 'NY', postalCode: '10014', country: 'US' },
  phone: '+12125550100',
  taxId: '13-4567890',
  npi: '1843927561',
};
const CA_BILLING: BillingProfile = {
  legalName: 'Lakeshore Therapy Inc.',
  address: { line1: '200 Queens Quay West', city: 'Toronto', region: 'ON', postalCode: 'M5J 2Y5', country: 'CA' },
  phone: '+14165550142',
  taxId: '864213574RT0001',
  taxNote: 'Psychotherapy services are exempt from GST/HST.',
};

const usClinic = (over: Partial<SuperbillInput['clinic']> = {}): SuperbillInput['clinic'] => ({
  name: 'Hudson Wellness',
  country: 'US',
  currency: 'USD',
  timezone: NY,
  billing: US_BILLING,
  policy: resolvePolicy({}, 'USD'),
  ...over,
});
const caClinic = (): SuperbillInput['clinic'] => ({
  name: 'Lakeshore Therapy',
  country: 'CA',
  currency: 'CAD',
  timezone: TORONTO,
  billing: CA_BILLING,
  policy: resolvePolicy({}, 'CAD'),
});

const THERAPIST: Provider = {
  id: 'p1',
  clinicId: 'c1',
  name: 'Jordan Reyes',
  role: 'therapist',
  credentials: 'PsyD',
  npi: '1245319599',
  licence: { number: '021734', jurisdiction: 'NY' },
  telehealth: true,
  weeklyHours: [],
};

let seq = 0;
function appointment(service: ServiceCode, startsAt: number, over: Partial<Appointment> = {}): Appointment {
  seq += 1;
  return {
    id: `a${String(seq).padStart(4, '0')}`,
    clinicId: 'c1',
    clientId: 'cl1',
    providerId: 'p1',
    roomId: null,
    service,
    mode: 'in_person',
    startsAt,
    endsAt: startsAt + HOUR,
    status: 'completed',
    createdAt: 0,
    updatedAt: 0,
    version: 1,
    ...over,
  };
}

/** A self-pay session and its invoice, paid `paid` (0: nothing). */
function selfPay(
  service: ServiceCode,
  startsAt: number,
  o: { paid?: number; refunded?: number; mode?: Mode; currency?: Currency; zone?: string; status?: AppointmentStatus } = {},
): { appt: Appointment; invoice: Invoice } {
  const currency = o.currency ?? 'USD';
  const id = `inv-${++seq}`;
  const appt = appointment(service, startsAt, { invoiceId: id, mode: o.mode ?? 'in_person', status: o.status ?? 'completed' });
  let invoice = newSessionInvoice({
    id,
    clinicId: 'c1',
    clientId: 'cl1',
    currency,
    at: startsAt - DAY,
    zone: o.zone ?? NY,
    service: defaultCatalog(currency).find((s) => s.code === service)!,
    appointment: appt,
  });
  if (o.paid)
    invoice = applyPayment(invoice, { reference: `pi_${id}`, amount: { amount: o.paid, currency }, at: startsAt, method: 'card' });
  if (o.refunded) {
    invoice = applyRefund(invoice, { reference: `re_${id}`, amount: { amount: o.refunded, currency }, at: startsAt, status: 'succeeded' });
  }
  return { appt, invoice };
}

function pkg(includes: Record<CreditService, number>, price: number, paid: number, over: Partial<Package> = {}): Package {
  return {
    id: `pkg-${++seq}`,
    clinicId: 'c1',
    clientId: 'cl1',
    programId: 'prg',
    programName: 'Care program',
    status: 'active',
    price: { amount: price, currency: 'USD' },
    payment: 'pay_in_full',
    credits: creditsFor(includes),
    payments: paid > 0 ? [{ ref: 'pi_pkg', kind: 'full', amount: { amount: paid, currency: 'USD' }, status: 'succeeded', at: 0 }] : [],
    stripe: {},
    createdAt: 0,
    updatedAt: 0,
    version: 1,
    ...over,
  };
}

const DEC = (d: number, time = '10:00', zone = NY) => at(`2026-12-${String(d).padStart(2, '0')}`, time, zone);

function input(over: Partial<SuperbillInput> = {}): SuperbillInput {
  return {
    clinic: usClinic(),
    client: { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1985-04-12' },
    diagnosisCodes: ['F33.2', 'F43.10'],
    from: '2026-12-01',
    to: '2026-12-31',
    appointments: [],
    invoices: [],
    packages: [],
    services: defaultCatalog('USD'),
    providers: [THERAPIST],
    ...over,
  };
}

const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const LIST = creditListPrices(defaultCatalog('USD'), 'USD');

describe('the US superbill', () => {
  it('lists a completed self-pay session with its CPT, place of service, modifier, pointers, provider, charge and paid', () => {
    const office = selfPay('preparation', DEC(14), { paid: 17_500 });
    const video = selfPay('integration', DEC(15), { mode: 'telehealth' });
    const doc = superbill(input({ appointments: [video.appt, office.appt], invoices: [office.invoice, video.invoice] }));
    expect(doc).toEqual({
      kind: 'superbill',
      clinic: {
        legalName: 'Hudson Wellness PLLC',
        address: { line1: '350 Hudson Street', line2: 'Suite 400', city: 'New York', region: 'NY', postalCode: '10014', country: 'US' },
        phone: '+12125550100',
        taxId: '13-4567890',
        npi: '1843927561',
      },
      client: { name: 'Ada Lovelace', dateOfBirth: '1985-04-12' },
      diagnosisCodes: ['F33.2', 'F43.10'],
      lines: [
        {
          serviceDate: '2026-12-14',
          service: 'preparation',
          cptCode: '90837',
          modifiers: [],
          placeOfService: '11',
          units: 1,
          diagnosisPointers: ['A', 'B'],
          provider: { name: 'Jordan Reyes', npi: '1245319599', licence: { number: '021734', jurisdiction: 'NY' } },
          charge: usd(17_500),
          paid: usd(17_500),
        },
        {
          serviceDate: '2026-12-15',
          service: 'integration',
          cptCode: '90837',
          modifiers: ['95'],
          placeOfService: '10',
          units: 1,
          diagnosisPointers: ['A', 'B'],
          provider: { name: 'Jordan Reyes', npi: '1245319599', licence: { number: '021734', jurisdiction: 'NY' } },
          charge: usd(17_500),
          paid: usd(0),
        },
      ],
      totals: { charge: usd(35_000), paid: usd(17_500) },
    });
  });

  it('lists only completed sessions of billable services on clinic-local dates in the period', () => {
    const listed = selfPay('intake', DEC(1, '00:30'));
    const sessions = [
      listed,
      selfPay('exploration', DEC(2)), // never billed
      selfPay('preparation', DEC(3), { status: 'cancelled' }),
      selfPay('preparation', DEC(4), { status: 'no_show' }),
      selfPay('preparation', DEC(5), { status: 'booked' }),
      selfPay('preparation', DEC(6), { status: 'checked_in' }),
      selfPay('preparation', at('2026-11-30', '23:30')), // Nov 30 in New York (Dec 1 in UTC)
      selfPay('preparation', at('2027-01-01', '00:10')),
    ];
    const doc = superbill(input({ appointments: sessions.map((s) => s.appt), invoices: sessions.map((s) => s.invoice) }));
    expect(doc.lines.map((l) => [l.serviceDate, l.service])).toEqual([['2026-12-01', 'intake']]);
  });

  it('the period’s last day is in it: a session late on `to` is listed', () => {
    const last = selfPay('preparation', at('2026-12-31', '23:30'));
    const doc = superbill(input({ appointments: [last.appt], invoices: [last.invoice] }));
    expect(doc.lines.map((l) => l.serviceDate)).toEqual(['2026-12-31']);
  });

  it('lines come by start, whatever the order of the appointments’ ids', () => {
    const p = pkg({ preparation: 2, exploration: 0, integration: 0 }, 35_000, 35_000);
    const early = appointment('preparation', DEC(3), { packageId: p.id, id: 'z-early' });
    const late = appointment('preparation', DEC(5), { packageId: p.id, id: 'a-late' });
    const doc = superbill(input({ appointments: [late, early], packages: [p] }));
    expect(doc.lines.map((l) => l.serviceDate)).toEqual(['2026-12-03', '2026-12-05']);
  });

  it('only billable services with a CPT code: a billable one without a code, or a code on one not billable, is left off', () => {
    const prep = selfPay('preparation', DEC(3));
    const intake = selfPay('intake', DEC(4));
    const services = defaultCatalog('USD').map((x) =>
      x.code === 'preparation' ? { ...x, cptCode: null } : x.code === 'intake' ? { ...x, billable: false } : x,
    );
    const doc = superbill(input({ appointments: [prep.appt, intake.appt], invoices: [prep.invoice, intake.invoice], services }));
    expect(doc.lines).toEqual([]);
  });

  it('refuses (RangeError) an invoice or a package in another currency than the clinic’s', () => {
    const cad = selfPay('preparation', DEC(3), { currency: 'CAD' });
    expect(() => superbill(input({ appointments: [cad.appt], invoices: [cad.invoice] }))).toThrow(RangeError);
    const p = pkg({ preparation: 2, exploration: 0, integration: 0 }, 35_000, 0, { price: { amount: 35_000, currency: 'CAD' } });
    expect(() => superbill(input({ packages: [p] }))).toThrow(RangeError);
  });

  it('never lists an exploration, even when a catalog marks it billable', () => {
    const s = selfPay('exploration', DEC(2));
    const services = defaultCatalog('USD').map((x) => (x.code === 'exploration' ? { ...x, billable: true, cptCode: '90837' } : x));
    expect(superbill(input({ appointments: [s.appt], invoices: [s.invoice], services })).lines).toEqual([]);
  });

  it('self-pay paid: what the invoice holds (paid − refunded), at most the charge, never below 0', () => {
    const twice = selfPay('preparation', DEC(7), { paid: 35_000 });
    const refunded = selfPay('preparation', DEC(8), { paid: 17_500, refunded: 5_000 });
    const doc = superbill(input({ appointments: [twice.appt, refunded.appt], invoices: [twice.invoice, refunded.invoice] }));
    expect(doc.lines.map((l) => [l.charge.amount, l.paid.amount])).toEqual([
      [17_500, 17_500],
      [17_500, 12_500],
    ]);
  });

  it('leaves out a self-pay session whose invoice is missing', () => {
    const s = selfPay('preparation', DEC(7), { paid: 17_500 });
    expect(superbill(input({ appointments: [s.appt] })).lines).toEqual([]);
  });

  it('points every line at the first four diagnoses, and letters up to twelve', () => {
    const s = selfPay('preparation', DEC(7));
    const codes = ['F33.2', 'F43.10', 'F41.1', 'Z63.0', 'F10.20', 'F32.1'];
    const doc = superbill(input({ appointments: [s.appt], invoices: [s.invoice], diagnosisCodes: codes }));
    expect(doc.diagnosisCodes).toEqual(codes);
    expect(doc.lines[0]!.diagnosisPointers).toEqual(['A', 'B', 'C', 'D']);
    expect(DIAGNOSIS_LETTERS).toHaveLength(12);
  });

  it('422 billing_profile_missing, diagnosis_required and provider_npi_missing, in that order', () => {
    const s = selfPay('preparation', DEC(7));
    const rule = (i: SuperbillInput) => {
      try {
        superbill(i);
      } catch (err) {
        expect(err).toBeInstanceOf(RuleViolation);
        return (err as RuleViolation).rule;
      }
      return null;
    };
    const noNpi = { ...THERAPIST, npi: undefined };
    expect(rule(input({ clinic: usClinic({ billing: undefined }), diagnosisCodes: [] }))).toBe('billing_profile_missing');
    expect(rule(input({ diagnosisCodes: [], providers: [noNpi] }))).toBe('diagnosis_required');
    expect(rule(input({ appointments: [s.appt], invoices: [s.invoice], providers: [noNpi] }))).toBe('provider_npi_missing');
    // a provider without NPI whose sessions are not listed does not matter
    expect(rule(input({ providers: [noNpi] }))).toBeNull();
    // the message names no code, provider or date
    try {
      superbill(input({ appointments: [s.appt], invoices: [s.invoice], providers: [noNpi] }));
    } catch (err) {
      expect((err as Error).message).not.toMatch(/Jordan|F33|2026/);
    }
  });
});

describe('sessions paid by a package', () => {
  it('the k-th session of a service is charged the k-th share of the price, and paid the same share of what the package holds', () => {
    const includes = { preparation: 2, exploration: 4, integration: 2 };
    const price = 300_000; // a bundle below list (350,000)
    const p = pkg(includes, price, 150_000);
    const prep1 = appointment('preparation', DEC(2), { packageId: p.id });
    const prep2 = appointment('preparation', DEC(3), { packageId: p.id });
    const expl = appointment('exploration', DEC(4), { packageId: p.id });
    const integ = appointment('integration', DEC(5), { packageId: p.id, mode: 'telehealth' });
    const doc = superbill(input({ appointments: [integ, prep2, expl, prep1], packages: [p] }));
    const charge = packageShares(price, includes, LIST);
    const paid = packageShares(150_000, includes, LIST);
    expect(doc.lines.map((l) => [l.service, l.charge.amount, l.paid.amount])).toEqual([
      ['preparation', charge.preparation[0], paid.preparation[0]],
      ['preparation', charge.preparation[1], paid.preparation[1]],
      ['integration', charge.integration[0], paid.integration[0]],
    ]);
    expect(doc.lines[2]).toMatchObject({ placeOfService: '10', modifiers: ['95'], cptCode: '90837' });
  });

  it('ranks among the sessions that took a credit: an on-time cancel gives its rank back, a late cancel and a no-show keep it', () => {
    const includes = { preparation: 3, exploration: 0, integration: 0 };
    const p = pkg(includes, 100_000, 100_000); // shares 33,334 / 33,333 / 33,333
    const freed = appointment('preparation', DEC(1), { packageId: p.id, status: 'cancelled', late: false });
    const late = appointment('preparation', DEC(2), { packageId: p.id, status: 'cancelled', late: true });
    const done = appointment('preparation', DEC(3), { packageId: p.id });
    const amounts = packageSessionAmounts(p, [done, late, freed], LIST);
    expect([...amounts.keys()]).toEqual([late.id, done.id]);
    expect(amounts.get(done.id)).toEqual({ charge: 33_333, paid: 33_333 });
    // a clinic whose late cancels give the credit back: the late one does not rank
    expect(packageSessionAmounts(p, [done, late, freed], LIST, false).get(done.id)).toEqual({ charge: 33_334, paid: 33_334 });
    expect(tookCredit({ status: 'no_show' }, true)).toBe(true);
    expect(tookCredit({ status: 'cancelled', late: false }, true)).toBe(false);
    expect(tookCredit({ status: 'cancelled', late: true }, false)).toBe(false);
  });

  it('ranks by start, then id', () => {
    const p = pkg({ preparation: 2, exploration: 0, integration: 0 }, 1, 1);
    const same = DEC(9);
    const b = appointment('preparation', same, { packageId: p.id, id: 'b' });
    const a = appointment('preparation', same, { packageId: p.id, id: 'a' });
    const amounts = packageSessionAmounts(p, [b, a], LIST);
    expect(amounts.get('a')).toEqual({ charge: 1, paid: 1 });
    expect(amounts.get('b')).toEqual({ charge: 0, paid: 0 });
  });

  it('a session beyond the package’s credits, or of a package of none, gets a share of 0', () => {
    const p = pkg({ preparation: 1, exploration: 0, integration: 0 }, 17_500, 17_500);
    const one = appointment('preparation', DEC(2), { packageId: p.id });
    const two = appointment('preparation', DEC(3), { packageId: p.id });
    expect(packageSessionAmounts(p, [one, two], LIST).get(two.id)).toEqual({ charge: 0, paid: 0 });
    // a package of no session at all: nothing to spread, every session 0
    const empty = pkg({ preparation: 0, exploration: 0, integration: 0 }, 10_000, 10_000);
    const stray = appointment('preparation', DEC(4), { packageId: empty.id });
    expect(packageSessionAmounts(empty, [stray], LIST).get(stray.id)).toEqual({ charge: 0, paid: 0 });
  });

  it('what the package holds: succeeded charges less succeeded refunds, between 0 and the price', () => {
    const p = pkg({ preparation: 1, exploration: 0, integration: 0 }, 10_000, 0, {
      payments: [
        { ref: 'a', kind: 'down_payment', amount: usd(4_000), status: 'succeeded', at: 0 },
        { ref: 'b', kind: 'installment', amount: usd(3_000), status: 'failed', at: 1 },
        { ref: 'c', kind: 'installment', amount: usd(3_000), status: 'succeeded', at: 2 },
        { ref: 'r', kind: 'refund', amount: usd(1_000), status: 'succeeded', at: 3 },
      ] as Package['payments'],
    });
    expect(packageNetPaid(p)).toBe(6_000);
    expect(packageNetPaid({ ...p, payments: [{ ref: 'x', kind: 'full', amount: usd(99_999), status: 'succeeded', at: 0 }] })).toBe(10_000);
  });

  it('a cancelled package: the sessions used are charged the value its invoice kept, and share what it still holds', () => {
    // 1 preparation used; list value kept 17,500; 120,000 paid, 102,500 refunded
    const p = pkg({ preparation: 2, exploration: 4, integration: 2 }, 120_000, 120_000, {
      status: 'cancelled',
      credits: { preparation: { total: 2, used: 1 }, exploration: { total: 4, used: 0 }, integration: { total: 2, used: 0 } },
      payments: [
        { ref: 'pi', kind: 'full', amount: usd(120_000), status: 'succeeded', at: 0 },
        { ref: 're', kind: 'refund', amount: usd(102_500), status: 'succeeded', at: 1 },
      ],
      cancellation: { at: DEC(10), usedValue: 17_500, refundDue: 102_500, refunds: [], settledAt: DEC(10) },
    });
    const used = appointment('preparation', DEC(3), { packageId: p.id });
    const freed = appointment('preparation', DEC(20), { packageId: p.id, status: 'cancelled', late: false });
    const doc = superbill(input({ appointments: [used, freed], packages: [p] }));
    expect(doc.lines.map((l) => [l.charge.amount, l.paid.amount])).toEqual([[17_500, 17_500]]);
  });

  it('a cancelled package: what its invoice holds beyond the package (the rest paid on its checkout) is paid on the sessions', () => {
    // cancelled after 525.00 of sessions (list) with 300.00 paid; the 225.00 left paid on its invoice's checkout
    const program = newProgramInvoice({
      id: 'inv-prog',
      clinicId: 'c1',
      clientId: 'cl1',
      currency: 'USD',
      at: DEC(1),
      package: { id: 'pkg-held', programName: 'Care program', price: usd(290_000) },
    });
    const invoice = [
      { reference: 'pi_down', amount: usd(30_000), at: DEC(1), method: 'card' },
      { reference: 'cs_rest', amount: usd(22_500), at: DEC(12), method: 'card' },
    ].reduce(applyPayment, program);
    const p = pkg({ preparation: 2, exploration: 4, integration: 2 }, 290_000, 30_000, {
      id: 'pkg-held',
      invoiceId: 'inv-prog',
      status: 'cancelled',
      credits: { preparation: { total: 2, used: 2 }, exploration: { total: 4, used: 0 }, integration: { total: 2, used: 1 } },
      cancellation: { at: DEC(11), usedValue: 52_500, refundDue: 0, refunds: [], settledAt: DEC(11) },
    });
    const sessions = [
      appointment('preparation', DEC(3), { packageId: p.id }),
      appointment('preparation', DEC(5), { packageId: p.id }),
      appointment('integration', DEC(8), { packageId: p.id }),
    ];
    const lines = (invoices: Invoice[]) =>
      superbill(input({ appointments: sessions, packages: [p], invoices })).lines.map((l) => [l.charge.amount, l.paid.amount]);
    expect(lines([invoice])).toEqual([
      [17_500, 17_500],
      [17_500, 17_500],
      [17_500, 17_500],
    ]);
    // without its invoice, only the 300.00 the package holds is shared out
    expect(lines([])).toEqual([
      [17_500, 10_000],
      [17_500, 10_000],
      [17_500, 10_000],
    ]);
  });

  it('a cancelled package used for more than its price: the sessions share the price its invoice still charges, never more', () => {
    // 2 preparations used (list 35,000) of a package sold at 20,000 and paid in full; nothing refunded
    const p = pkg({ preparation: 2, exploration: 0, integration: 0 }, 20_000, 20_000, {
      status: 'cancelled',
      credits: { preparation: { total: 2, used: 2 }, exploration: { total: 0, used: 0 }, integration: { total: 0, used: 0 } },
      payments: [{ ref: 'pi', kind: 'full', amount: usd(20_000), status: 'succeeded', at: 0 }],
      cancellation: { at: DEC(10), usedValue: 35_000, refundDue: 0, refunds: [], settledAt: DEC(10) },
    });
    const first = appointment('preparation', DEC(3), { packageId: p.id });
    const second = appointment('preparation', DEC(4), { packageId: p.id });
    const doc = superbill(input({ appointments: [first, second], packages: [p] }));
    expect(doc.lines.map((l) => [l.charge.amount, l.paid.amount])).toEqual([
      [10_000, 10_000],
      [10_000, 10_000],
    ]);
    expect(doc.totals.charge.amount).toBe(20_000);
    expect(packagePaidUp(p)).toBe(true); // paid what its invoice charges
  });
});

describe('the Canadian receipt for insurance', () => {
  it('has the business number and tax note, credentials and college registration, and no CPT, place of service or modifier', () => {
    const s = selfPay('integration', DEC(14, '10:00', TORONTO), { currency: 'CAD', zone: TORONTO, paid: 17_500, mode: 'telehealth' });
    const provider: Provider = {
      ...THERAPIST,
      name: 'Sam Okafor',
      credentials: 'RP',
      npi: undefined,
      licence: { number: '10234', jurisdiction: 'ON' },
    };
    const doc = superbill(
      input({
        clinic: caClinic(),
        diagnosisCodes: [], // not required in Canada
        from: '2026-12-01',
        to: '2026-12-31',
        appointments: [s.appt],
        invoices: [s.invoice],
        services: defaultCatalog('CAD'),
        providers: [provider],
      }),
    );
    expect(doc).toEqual({
      kind: 'receipt',
      clinic: {
        legalName: 'Lakeshore Therapy Inc.',
        address: { line1: '200 Queens Quay West', line2: null, city: 'Toronto', region: 'ON', postalCode: 'M5J 2Y5', country: 'CA' },
        phone: '+14165550142',
        taxId: '864213574RT0001',
        taxNote: 'Psychotherapy services are exempt from GST/HST.',
      },
      client: { name: 'Ada Lovelace', dateOfBirth: '1985-04-12' },
      diagnosisCodes: [],
      lines: [
        {
          serviceDate: '2026-12-14',
          service: 'integration',
          units: 1,
          diagnosisPointers: [],
          provider: { name: 'Sam Okafor', credentials: 'RP', licence: { number: '10234', jurisdiction: 'ON' } },
          charge: { amount: 17_500, currency: 'CAD' },
          paid: { amount: 17_500, currency: 'CAD' },
        },
      ],
      totals: { charge: { amount: 17_500, currency: 'CAD' }, paid: { amount: 17_500, currency: 'CAD' } },
    });
  });
});

describe('the Canadian receipt: diagnoses', () => {
  it('points its lines at the diagnoses given, as the US form does', () => {
    const s = selfPay('integration', DEC(14, '10:00', TORONTO), { currency: 'CAD', zone: TORONTO, paid: 17_500 });
    const doc = superbill(
      input({
        clinic: caClinic(),
        diagnosisCodes: ['F33.2', 'F43.10'],
        appointments: [s.appt],
        invoices: [s.invoice],
        services: defaultCatalog('CAD'),
      }),
    );
    expect(doc.lines.map((l) => l.diagnosisPointers)).toEqual([['A', 'B']]);
  });
});

describe('the period', () => {
  it('a date that is none is an issue on its own field', () => {
    expect(periodIssues('2026-02-30', '2026-12-01')).toEqual([{ path: 'from', message: 'Must be a date YYYY-MM-DD' }]);
    expect(periodIssues('2026-12-01', '2026-12-32')).toEqual([{ path: 'to', message: 'Must be a date YYYY-MM-DD' }]);
    expect(periodIssues('2026-01-01', '2027-01-02')).toEqual([{ path: 'to', message: 'A superbill covers at most 366 days' }]);
  });

  it('to before from, or more than 366 days (both ends included), is an issue on `to`', () => {
    expect(periodIssues('2026-12-01', '2026-12-01')).toEqual([]);
    expect(periodIssues('2024-01-01', '2024-12-31')).toEqual([]); // 366 days, a leap year
    expect(periodIssues('2026-12-02', '2026-12-01')).toEqual([{ path: 'to', message: 'Must not be before from' }]);
    expect(periodIssues('2026-01-01', '2027-01-02')[0]?.path).toBe('to'); // 367 days
    expect(periodIssues('2026-01-01', '2027-01-01')).toEqual([]); // 366 days
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const SERVICES: ServiceCode[] = ['intake', 'medical_evaluation', 'preparation', 'exploration', 'integration', 'ongoing_care'];
const STATUSES: AppointmentStatus[] = ['booked', 'checked_in', 'completed', 'cancelled', 'no_show'];

/** A random client: self-pay sessions and sessions of one package, in any status, around December. */
const scenario = fc
  .record({
    includes: fc.record({
      preparation: fc.integer({ min: 0, max: 4 }),
      exploration: fc.integer({ min: 0, max: 8 }),
      integration: fc.integer({ min: 0, max: 8 }),
    }),
    price: fc.integer({ min: 0, max: 2_000_000 }),
    paidPart: fc.double({ min: 0, max: 1, noNaN: true }),
    selfPay: fc.array(
      fc.record({
        service: fc.constantFrom(...SERVICES),
        day: fc.integer({ min: -5, max: 40 }),
        status: fc.constantFrom(...STATUSES),
        paid: fc.integer({ min: 0, max: 40_000 }),
        mode: fc.constantFrom<Mode>('in_person', 'telehealth'),
      }),
      { maxLength: 12 },
    ),
    packaged: fc.array(
      fc.record({
        service: fc.constantFrom<CreditService>(...CREDIT_SERVICES),
        day: fc.integer({ min: -5, max: 40 }),
        status: fc.constantFrom(...STATUSES),
        late: fc.boolean(),
      }),
      { maxLength: 20 },
    ),
    country: fc.constantFrom('US', 'CA'),
  })
  .map((s) => {
    const p = pkg(s.includes, s.price, Math.floor(s.price * s.paidPart));
    const base = at('2026-12-01', '09:00');
    const appointments: Appointment[] = [];
    const invoices: Invoice[] = [];
    for (const x of s.selfPay) {
      const made = selfPay(x.service, base + x.day * DAY, { paid: x.paid, mode: x.mode, status: x.status });
      appointments.push(made.appt);
      invoices.push(made.invoice);
    }
    for (const x of s.packaged) {
      appointments.push(appointment(x.service, base + x.day * DAY + HOUR, { packageId: p.id, status: x.status, late: x.late }));
    }
    const us = s.country === 'US';
    return {
      pkg: p,
      input: input({
        clinic: us ? usClinic() : { ...usClinic(), country: 'CA', billing: CA_BILLING },
        appointments,
        invoices,
        packages: [p],
      }),
    };
  });

describe('properties', () => {
  it('totals are the sums of the lines; every line is completed, billable, in the period and never an exploration', () => {
    fc.assert(
      fc.property(scenario, ({ input: i }) => {
        const doc = superbill(i);
        expect(doc.totals.charge.amount).toBe(doc.lines.reduce((s, l) => s + l.charge.amount, 0));
        expect(doc.totals.paid.amount).toBe(doc.lines.reduce((s, l) => s + l.paid.amount, 0));
        const completed = i.appointments.filter((a) => a.status === 'completed');
        for (const l of doc.lines) {
          expect(l.service).not.toBe('exploration');
          expect(l.serviceDate >= i.from && l.serviceDate <= i.to).toBe(true);
          expect(l.paid.amount).toBeLessThanOrEqual(l.charge.amount);
          expect(l.paid.amount).toBeGreaterThanOrEqual(0);
        }
        expect(doc.lines.length).toBeLessThanOrEqual(completed.length);
      }),
    );
  });

  it('a Canadian receipt has no CPT, place of service or modifier key anywhere; a US superbill has them on every line', () => {
    fc.assert(
      fc.property(scenario, ({ input: i }) => {
        const doc = superbill(i);
        for (const line of doc.lines) {
          const keys = Object.keys(line);
          if (doc.kind === 'receipt') {
            expect(keys).not.toContain('cptCode');
            expect(keys).not.toContain('placeOfService');
            expect(keys).not.toContain('modifiers');
            expect(Object.keys(line.provider)).toEqual(['name', 'credentials', 'licence']);
          } else {
            expect(keys).toEqual(expect.arrayContaining(['cptCode', 'placeOfService', 'modifiers']));
          }
        }
        expect(JSON.stringify(doc).includes('cptCode')).toBe(doc.kind === 'superbill' && doc.lines.length > 0);
      }),
    );
  });

  it('over a fully used package, the shares of all its sessions add up to the price, and the paid shares to at most what it holds', () => {
    fc.assert(
      fc.property(
        fc.record({
          preparation: fc.integer({ min: 0, max: 4 }),
          exploration: fc.integer({ min: 0, max: 8 }),
          integration: fc.integer({ min: 0, max: 8 }),
        }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.constantFrom<AppointmentStatus>('completed', 'checked_in', 'booked', 'no_show'), { minLength: 20, maxLength: 20 }),
        (includes, price, part, statuses) => {
          fc.pre(includes.preparation + includes.exploration + includes.integration > 0);
          const held = Math.floor(price * part);
          const p = pkg(includes, price, held);
          let n = 0;
          const appts = CREDIT_SERVICES.flatMap((s) =>
            Array.from({ length: includes[s] }, (_, k) =>
              appointment(s, at('2026-12-01', '09:00') + (n++ * 7 + k) * HOUR, { packageId: p.id, status: statuses[n % 20]! }),
            ),
          );
          const amounts = [...packageSessionAmounts(p, appts, LIST).values()];
          expect(amounts).toHaveLength(appts.length);
          expect(amounts.reduce((s, a) => s + a.charge, 0)).toBe(price);
          const paid = amounts.reduce((s, a) => s + a.paid, 0);
          expect(paid).toBeLessThanOrEqual(held);
          // capping a paid share at its charge loses at most a cent a session
          expect(held - paid).toBeLessThanOrEqual(amounts.length);
        },
      ),
    );
  });

  it('a US superbill with sessions always has codes and pointers; Canada needs none', () => {
    fc.assert(
      fc.property(scenario, ({ input: i }) => {
        const doc = superbill({ ...i, diagnosisCodes: i.clinic.country === 'US' ? ['F33.2'] : [] });
        for (const l of doc.lines) expect(l.diagnosisPointers).toEqual(doc.kind === 'superbill' ? ['A'] : []);
      }),
    );
  });
});
