// Invoice properties: for any sequence of bookings, moves, cancellations, no-shows, package
// cancels, payments and refund reports (with duplicate and out-of-order deliveries), the totals
// follow a simple model, the status is the one docs/api.md defines, the ledger adds up to the
// balance, and applying any fact again changes nothing.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  REFUND_STATUS_RANK,
  applyCancellation,
  applyMove,
  applyPackageCancel,
  applyPayment,
  applyRefund,
  ledgerEntries,
  newProgramInvoice,
  newSessionInvoice,
  refundDue,
  totals,
  type CancellationKind,
  type Invoice,
  type InvoiceStatus,
  type RefundStatus,
} from '#domain/invoices.ts';
import { localDate } from '#domain/time.ts';
import type { Currency, Mode, ServiceCode } from '#domain/types.ts';
import { NY, REGINA, appt, at, service } from './fixtures.ts';

const MINUTE = 60_000;
const T0 = at('2026-06-01', '12:00');
const START = at('2026-06-20', '10:00');
const ZONES = [NY, REGINA, 'America/Los_Angeles', 'America/St_Johns'];
const REFS = 4;

type Op =
  | { op: 'move'; startsAt: number; mode: Mode }
  | { op: 'cancel'; kind: CancellationKind; fee: number; at: number }
  | { op: 'package_cancel'; used: number; at: number }
  | { op: 'pay'; ref: number; at: number }
  | { op: 'refund'; ref: number; status: RefundStatus; at: number }
  | { op: 'replay'; index: number };

interface Scenario {
  kind: 'session' | 'program';
  currency: Currency;
  zone: string;
  code: ServiceCode;
  mode: Mode;
  /** The booking's start; moves go from there. */
  startsAt: number;
  price: number;
  payAmounts: number[];
  refundAmounts: number[];
  ops: Op[];
  shuffleKeys: number[];
}

// Starts from 3 days before to 10 days after START, any quarter hour (late evenings are the next day in UTC).
const QUARTER_HOURS = fc.integer({ min: -3 * 96, max: 10 * 96 });
const atArb = fc.integer({ min: 0, max: 40 * 1_440 }).map((m) => T0 + m * MINUTE);

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    kind: fc.constantFrom<'session' | 'program'>('session', 'program'),
    currency: fc.constantFrom<Currency>('USD', 'CAD'),
    zone: fc.constantFrom(...ZONES),
    code: fc.constantFrom<ServiceCode>('intake', 'preparation', 'exploration', 'integration'),
    mode: fc.constantFrom<Mode>('in_person', 'telehealth'),
    startsAt: QUARTER_HOURS.map((q) => START + q * 15 * MINUTE),
    price: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400_000 })),
  })
  .chain((base) => {
    const p = Math.max(1, base.price);
    // Partial, exact and over-payments of the price.
    const payment = fc.oneof(fc.constant(p), fc.integer({ min: 1, max: p }), fc.integer({ min: p + 1, max: 2 * p + 1 }));
    const lineOps: fc.Arbitrary<Op>[] =
      base.kind === 'session'
        ? [
            fc.record({
              op: fc.constant('move' as const),
              startsAt: QUARTER_HOURS.map((q) => START + q * 15 * MINUTE),
              mode: fc.constantFrom<Mode>('in_person', 'telehealth'),
            }),
            fc.record({
              op: fc.constant('cancel' as const),
              kind: fc.constantFrom<CancellationKind>('on_time', 'late', 'no_show'),
              fee: fc.integer({ min: 0, max: base.price + 20_000 }),
              at: atArb,
            }),
          ]
        : [fc.record({ op: fc.constant('package_cancel' as const), used: fc.integer({ min: 0, max: base.price + 50_000 }), at: atArb })];
    const op: fc.Arbitrary<Op> = fc.oneof(
      ...lineOps,
      fc.record({ op: fc.constant('pay' as const), ref: fc.integer({ min: 0, max: REFS - 1 }), at: atArb }),
      fc.record({
        op: fc.constant('refund' as const),
        ref: fc.integer({ min: 0, max: REFS - 1 }),
        status: fc.constantFrom<RefundStatus>('pending', 'succeeded', 'failed'),
        at: atArb,
      }),
      fc.record({ op: fc.constant('replay' as const), index: fc.nat() }),
    );
    return fc.record({
      kind: fc.constant(base.kind),
      currency: fc.constant(base.currency),
      zone: fc.constant(base.zone),
      code: fc.constant(base.code),
      mode: fc.constant(base.mode),
      startsAt: fc.constant(base.startsAt),
      price: fc.constant(base.price),
      payAmounts: fc.array(payment, { minLength: REFS, maxLength: REFS }),
      refundAmounts: fc.array(fc.integer({ min: 1, max: p }), { minLength: REFS, maxLength: REFS }),
      ops: fc.array(op, { maxLength: 25 }),
      shuffleKeys: fc.array(fc.nat(), { minLength: 25, maxLength: 25 }),
    });
  });

/** The definitions of docs/api.md, "Invoices", each on its own: exactly one must hold, and it is the status. */
const DEFINITIONS: Record<InvoiceStatus, (t: { paid: number; refunded: number; balance: number }) => boolean> = {
  open: (t) => t.balance > 0 && t.paid - t.refunded <= 0,
  partially_paid: (t) => t.balance > 0 && t.paid - t.refunded > 0,
  paid: (t) => t.balance <= 0 && t.paid > 0 && t.paid - t.refunded > 0,
  void: (t) => t.balance <= 0 && t.paid === 0,
  refunded: (t) => t.balance <= 0 && t.paid > 0 && t.refunded >= t.paid,
};

function newInvoice(sc: Scenario): Invoice {
  const base = { id: 'inv', clinicId: 'clinic-1', clientId: 'client-1', currency: sc.currency, at: T0 };
  if (sc.kind === 'program') {
    return newProgramInvoice({
      ...base,
      package: { id: 'pkg', programName: 'Program', price: { amount: sc.price, currency: sc.currency } },
    });
  }
  return newSessionInvoice({
    ...base,
    appointment: appt(sc.code, sc.startsAt, { id: 'appt', mode: sc.mode }),
    service: service(sc.code, { price: { amount: sc.price, currency: sc.currency } }),
    zone: sc.zone,
  });
}

type Fact = Exclude<Op, { op: 'replay' }>;

function apply(inv: Invoice, f: Fact, sc: Scenario): Invoice {
  const money = (amount: number) => ({ amount, currency: sc.currency });
  switch (f.op) {
    case 'move':
      return applyMove(inv, { appointmentId: 'appt', startsAt: f.startsAt, mode: f.mode }, sc.zone);
    case 'cancel':
      return f.kind === 'on_time'
        ? applyCancellation(inv, { appointmentId: 'appt', kind: 'on_time', at: f.at })
        : applyCancellation(inv, { appointmentId: 'appt', kind: f.kind, fee: money(f.fee), at: f.at });
    case 'package_cancel':
      return applyPackageCancel(inv, { used: money(f.used), at: f.at });
    case 'pay':
      return applyPayment(inv, { reference: `pi_${f.ref}`, amount: money(sc.payAmounts[f.ref]!), at: f.at, method: 'card' });
    case 'refund':
      return applyRefund(inv, { reference: `re_${f.ref}`, amount: money(sc.refundAmounts[f.ref]!), at: f.at, status: f.status });
  }
}

/** What the invoice should say, from the facts alone. */
function model(sc: Scenario, facts: Fact[]) {
  let total = sc.price;
  let session = { startsAt: sc.startsAt, mode: sc.mode, voided: false };
  let creditApplied = false;
  const payments = new Map<number, number>();
  const refunds = new Map<number, RefundStatus>();
  for (const f of facts) {
    if (f.op === 'move' && !session.voided) session = { ...session, startsAt: f.startsAt, mode: f.mode };
    if (f.op === 'cancel' && !session.voided) {
      session = { ...session, voided: true };
      total = f.kind === 'on_time' ? 0 : f.fee;
    }
    // the first cancel that credits something adds the line; one whose value used reaches the price adds none
    if (f.op === 'package_cancel' && !creditApplied && f.used < sc.price) {
      creditApplied = true;
      total = f.used;
    }
    if (f.op === 'pay') payments.set(f.ref, sc.payAmounts[f.ref]!);
    if (f.op === 'refund') {
      const seen = refunds.get(f.ref);
      if (!seen || REFUND_STATUS_RANK[f.status] > REFUND_STATUS_RANK[seen]) refunds.set(f.ref, f.status);
    }
  }
  const paid = [...payments.values()].reduce((s, x) => s + x, 0);
  const refunded = [...refunds].reduce((s, [ref, status]) => (status === 'failed' ? s : s + sc.refundAmounts[ref]!), 0);
  return { total, paid, refunded, balance: total - paid + refunded, session };
}

function checkInvariants(inv: Invoice, sc: Scenario, facts: Fact[]): void {
  const t = totals(inv);
  const m = model(sc, facts);
  expect({ total: t.total, paid: t.paid, refunded: t.refunded, balance: t.balance }).toEqual({
    total: m.total,
    paid: m.paid,
    refunded: m.refunded,
    balance: m.balance,
  });
  expect(t.balance).toBe(t.total - t.paid + t.refunded);

  const holding = (Object.keys(DEFINITIONS) as InvoiceStatus[]).filter((s) => DEFINITIONS[s](t));
  expect(holding).toEqual([t.status]);

  const due = refundDue(inv);
  expect(due).toBeGreaterThanOrEqual(0);
  expect(due).toBe(Math.max(0, t.paid - t.refunded - t.total));

  const entries = ledgerEntries(inv, sc.zone);
  expect(entries.reduce((s, e) => s + e.amount, 0)).toBe(t.balance);
  for (const e of entries) {
    expect(e.date).toBe(localDate(e.at, sc.zone));
    expect(e.currency).toBe(sc.currency);
    if (e.kind === 'charge' || e.kind === 'refund') expect(e.amount).toBeGreaterThan(0);
    if (e.kind === 'credit' || e.kind === 'payment') expect(e.amount).toBeLessThan(0);
  }

  if (sc.kind === 'session') {
    const line = inv.lines.find((l) => l.id === 'session:appt')!;
    expect(line.voided).toBe(m.session.voided);
    expect(line.serviceDate).toBe(localDate(m.session.startsAt, sc.zone));
    expect(line.placeOfService).toBe(m.session.mode === 'telehealth' ? '10' : '11');
    expect(line.modifiers).toEqual(m.session.mode === 'telehealth' ? ['95'] : []);
    for (const fee of inv.lines.filter((l) => l.service === 'late_cancellation' || l.service === 'no_show')) {
      expect(fee).toMatchObject({ billable: false, cptCode: null, placeOfService: null, voided: false });
    }
  }
  expect(inv.lines.every((l) => l.units === 1 && Number.isSafeInteger(l.amount) && !Object.is(l.amount, -0))).toBe(true);
}

describe('invoice properties', () => {
  it('totals follow the facts, status matches the definitions, the ledger sums to the balance, and any fact applied again is a no-op', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        let inv = newInvoice(sc);
        const facts: Fact[] = [];
        checkInvariants(inv, sc, facts);
        for (const o of sc.ops) {
          if (o.op === 'replay') {
            // A late duplicate of any earlier fact but a move (a move back is a real move).
            const past = facts.filter((f) => f.op !== 'move');
            if (past.length === 0) continue;
            const again = apply(inv, past[o.index % past.length]!, sc);
            expect(again).toEqual(inv);
            continue;
          }
          inv = apply(inv, o, sc);
          facts.push(o);
          // The same delivery twice in a row changes nothing.
          expect(apply(inv, o, sc)).toEqual(inv);
          checkInvariants(inv, sc, facts);
        }

        // Payments and refund reports in any order give the same invoice.
        const lineFacts = facts.filter((f) => f.op !== 'pay' && f.op !== 'refund');
        const moneyFacts = facts
          .filter((f) => f.op === 'pay' || f.op === 'refund')
          .map((f, i) => ({ f, key: sc.shuffleKeys[i % sc.shuffleKeys.length]! * 100 + i }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.f);
        let reordered = newInvoice(sc);
        for (const f of [...moneyFacts, ...lineFacts]) reordered = apply(reordered, f, sc);
        expect(reordered).toEqual(inv);
      }),
      { seed: 20_260_601, numRuns: 250 },
    );
  });
});
