// Revenue properties (shared/domain/revenue.ts, "IDENTITIES"): on generated clinic histories —
// packages at list or bundle prices paid in full or in installments over time, their sessions
// completed, missed, cancelled late or on time, still booked, at random times, some cancelled by
// staff with the refund the cancel rule gives (paid − value used, made at once, later or not yet);
// self-pay sessions paid or not (or twice), completed, missed, cancelled late or on time — the
// report's figures follow the identities for any range, and the totals over all time are what
// docs/domain.md, "Revenue", says they are.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { totals } from '#domain/invoices.ts';
import type { CreditService } from '#domain/packages.ts';
import { revenueAccounts, revenueFigures, type RevenueAccount, type RevenueFigures } from '#domain/revenue.ts';
import { addDays } from '#domain/time.ts';
import type { ServiceCode } from '#domain/types.ts';
import { at, HOUR } from './fixtures.ts';
import { LIST, World } from './revenue-world.ts';

const MINUTE = 60_000;
/** Histories start here (a Tuesday in September: DST ends on the way). */
const T0 = at('2026-09-01', '08:00');
/** Every date a history reaches lies from FIRST to LAST (with room either side). */
const FIRST = '2026-08-25';
const LAST = '2027-09-30';

type Outcome = 'completed' | 'no_show' | 'late' | 'on_time' | 'booked' | 'checked_in';
const CONSUMING: readonly Outcome[] = ['completed', 'no_show', 'late'];
const ANY_OUTCOME: readonly Outcome[] = ['completed', 'no_show', 'late', 'on_time', 'booked', 'checked_in'];

interface SessionPlan {
  service: CreditService;
  /** Minutes after the purchase. */
  after: number;
  outcome: Outcome;
}

interface PackagePlan {
  fate: 'open' | 'used_up' | 'cancelled';
  includes: Record<CreditService, number>;
  /** null: at list (the sum of the list prices of what it includes). */
  bundlePrice: number | null;
  /** Minutes after T0. */
  purchase: number;
  /** The price split into these many charges (1: in full); the first `paid` of them are paid. */
  parts: number;
  paid: number;
  /** Minutes between charges. */
  gaps: number[];
  sessions: SessionPlan[];
  /** Minutes after the purchase. */
  cancelAfter: number;
  /** Minutes after the cancel; null: not made yet. */
  refundAfter: number | null;
}

interface SelfPayPlan {
  service: ServiceCode;
  /** Minutes after T0. */
  booked: number;
  /** Minutes from booking to the start. */
  lead: number;
  pay: 'none' | 'full' | 'twice';
  /** Minutes from booking to each payment. */
  payAfter: number;
  outcome: Outcome;
  fee: number;
  /** Minutes after the last change until what is owed back is refunded; null: not yet. */
  refundAfter: number | null;
}

interface Plan {
  forfeitsOnLate: boolean;
  listPrices: Record<CreditService, number>;
  packages: PackagePlan[];
  selfPay: SelfPayPlan[];
}

const minutes = (maxDays: number) => fc.integer({ min: 1, max: maxDays * 1_440 });

const includesArb = fc.record({
  preparation: fc.integer({ min: 0, max: 3 }),
  exploration: fc.integer({ min: 1, max: 3 }),
  integration: fc.integer({ min: 0, max: 3 }),
});

function sessionsArb(
  includes: Record<CreditService, number>,
  fate: PackagePlan['fate'],
  forfeitsOnLate: boolean,
): fc.Arbitrary<SessionPlan[]> {
  const consuming = CONSUMING.filter((o) => o !== 'late' || forfeitsOnLate);
  const per = (service: CreditService) => {
    const one = fc.record({
      service: fc.constant(service),
      after: minutes(90),
      outcome: fc.constantFrom(...(fate === 'used_up' ? consuming : ANY_OUTCOME)),
    });
    const n = includes[service];
    return fate === 'used_up' ? fc.array(one, { minLength: n, maxLength: n }) : fc.array(one, { maxLength: n });
  };
  return fc.tuple(per('preparation'), per('exploration'), per('integration')).map(([a, b, c]) => [...a, ...b, ...c]);
}

const packageArb = (forfeitsOnLate: boolean, settled: boolean): fc.Arbitrary<PackagePlan> =>
  fc
    .record({
      fate: settled
        ? fc.constantFrom<PackagePlan['fate']>('used_up', 'cancelled')
        : fc.constantFrom<PackagePlan['fate']>('open', 'used_up', 'cancelled'),
      includes: includesArb,
      bundlePrice: fc.option(fc.integer({ min: 1, max: 500_000 }), { nil: null }),
      purchase: minutes(60),
      parts: fc.integer({ min: 1, max: 4 }),
    })
    .chain((base) =>
      fc.record({
        fate: fc.constant(base.fate),
        includes: fc.constant(base.includes),
        bundlePrice: fc.constant(base.bundlePrice),
        purchase: fc.constant(base.purchase),
        parts: fc.constant(base.parts),
        paid: fc.integer({ min: 0, max: base.parts }),
        gaps: fc.array(minutes(31), { minLength: base.parts, maxLength: base.parts }),
        sessions: sessionsArb(base.includes, base.fate, forfeitsOnLate),
        cancelAfter: minutes(100),
        refundAfter: settled ? fc.integer({ min: 0, max: 10 * 1_440 }) : fc.option(fc.integer({ min: 0, max: 10 * 1_440 }), { nil: null }),
      }),
    );

const selfPayArb = (settled: boolean): fc.Arbitrary<SelfPayPlan> =>
  fc.record({
    service: fc.constantFrom<ServiceCode>('intake', 'preparation', 'exploration', 'integration', 'ongoing_care'),
    booked: minutes(120),
    lead: fc.integer({ min: 60, max: 30 * 1_440 }),
    pay: fc.constantFrom<SelfPayPlan['pay']>('none', 'full', 'twice'),
    payAfter: fc.integer({ min: 0, max: 40 * 1_440 }),
    outcome: fc.constantFrom(...(settled ? ANY_OUTCOME.filter((o) => o !== 'booked' && o !== 'checked_in') : ANY_OUTCOME)),
    fee: fc.integer({ min: 0, max: 20_000 }),
    refundAfter: settled ? fc.integer({ min: 0, max: 10 * 1_440 }) : fc.option(fc.integer({ min: 0, max: 10 * 1_440 }), { nil: null }),
  });

const planArb = (settled = false): fc.Arbitrary<Plan> =>
  fc.boolean().chain((forfeitsOnLate) =>
    fc.record({
      forfeitsOnLate: fc.constant(forfeitsOnLate),
      listPrices: fc.oneof(
        fc.constant(LIST),
        fc.record({
          preparation: fc.integer({ min: 0, max: 60_000 }),
          exploration: fc.integer({ min: 0, max: 120_000 }),
          integration: fc.integer({ min: 0, max: 60_000 }),
        }),
      ),
      packages: fc.array(packageArb(forfeitsOnLate, settled), { maxLength: 3 }),
      selfPay: fc.array(selfPayArb(settled), { maxLength: 5 }),
    }),
  );

/** `total` in `n` parts that add up to it exactly (the first carries the remainder). */
function split(total: number, n: number): number[] {
  const part = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => (i === 0 ? total - part * (n - 1) : part));
}

interface Built {
  world: World;
  /** Per package invoice: its fate and whether its cancel's refund was made. */
  packages: Map<string, { fate: PackagePlan['fate']; price: number; refundMade: boolean }>;
}

function build(plan: Plan): Built {
  const world = new World(plan.forfeitsOnLate, plan.listPrices);
  const packages: Built['packages'] = new Map();
  for (const p of plan.packages) {
    const list = (Object.keys(p.includes) as CreditService[]).reduce((s, k) => s + p.includes[k] * plan.listPrices[k], 0);
    const price = p.bundlePrice ?? list;
    const bought = T0 + p.purchase * MINUTE;
    const { pkg, invoice } = world.buy(p.includes, price, bought);
    const cancelAt = p.fate === 'cancelled' ? bought + p.cancelAfter * MINUTE : Infinity;
    let t = bought;
    split(price, p.parts).forEach((amount, i) => {
      t += i === 0 ? 0 : p.gaps[i]! * MINUTE;
      // a plan stops at the cancel: nothing is charged after it
      if (i < p.paid && amount > 0 && t <= cancelAt) world.pay(invoice, amount, t + MINUTE);
    });
    for (const s of p.sessions) {
      const start = bought + s.after * MINUTE;
      // the cancel frees what was still to come: only sessions before it can have happened
      const outcome: Outcome = start > cancelAt ? 'booked' : s.outcome;
      if (outcome === 'late' || outcome === 'on_time') world.packageSession(pkg, s.service, start, 'cancelled', outcome === 'late');
      else world.packageSession(pkg, s.service, start, outcome);
    }
    let refundMade = false;
    if (p.fate === 'cancelled') {
      const refundAt = p.refundAfter === null ? null : cancelAt + p.refundAfter * MINUTE;
      world.cancelPackage(pkg, cancelAt, refundAt);
      refundMade = refundAt !== null;
    }
    packages.set(invoice, { fate: p.fate, price, refundMade });
  }
  for (const s of plan.selfPay) {
    const booked = T0 + s.booked * MINUTE;
    const start = booked + s.lead * MINUTE;
    const { appointment, invoice } = world.selfPay(s.service, start, booked);
    const price = totals(world.invoices.get(invoice)!).total;
    if (s.pay !== 'none' && price > 0) world.pay(invoice, price, booked + s.payAfter * MINUTE);
    if (s.pay === 'twice' && price > 0) world.pay(invoice, price, booked + s.payAfter * MINUTE + HOUR);
    let last = booked + (s.payAfter + 60) * MINUTE;
    switch (s.outcome) {
      case 'completed':
      case 'checked_in':
        world.setStatus(appointment, s.outcome);
        break;
      case 'no_show':
        world.cancelSelfPay(appointment, 'no_show', start + HOUR, s.fee);
        last = Math.max(last, start + HOUR);
        break;
      case 'late': {
        const when = Math.max(booked, start - Math.min(47 * HOUR, Math.floor(s.lead / 2) * MINUTE));
        world.cancelSelfPay(appointment, 'late', when, s.fee);
        last = Math.max(last, when);
        break;
      }
      case 'on_time':
        world.cancelSelfPay(appointment, 'on_time', booked);
        break;
      case 'booked':
        break;
    }
    if (s.refundAfter !== null) world.settleRefund(invoice, last + s.refundAfter * MINUTE);
  }
  return { world, packages };
}

const dateArb = fc.integer({ min: 0, max: 400 }).map((d) => addDays(FIRST, d));
const sum = (list: readonly { amount: number }[]) => list.reduce((s, x) => s + x.amount, 0);
const allTime = (accounts: readonly RevenueAccount[]) => revenueFigures(accounts, FIRST, LAST);

const FLOWS = ['recognized', 'billed', 'collected', 'refunded'] as const;

describe('revenue identities', () => {
  it('adjacent ranges add up, and the end of one is the start of the next', () => {
    fc.assert(
      fc.property(planArb(), fc.tuple(dateArb, dateArb, dateArb), (plan, dates) => {
        const [a, b, c] = [...dates].sort();
        fc.pre(b! < c!);
        const accounts = revenueAccounts(build(plan).world.facts());
        const whole = revenueFigures(accounts, a!, c!);
        const first = revenueFigures(accounts, a!, b!);
        const second = revenueFigures(accounts, addDays(b!, 1), c!);
        for (const k of FLOWS) expect(whole[k], k).toBe(first[k] + second[k]);
        expect(first.deferredAtEnd).toBe(second.deferredAtStart);
        expect(first.earnedUnpaidAtEnd).toBe(second.earnedUnpaidAtStart);
        expect(whole.deferredAtStart).toBe(first.deferredAtStart);
        expect(whole.deferredAtEnd).toBe(second.deferredAtEnd);
      }),
      { numRuns: 300 },
    );
  });

  it('deferredAtEnd − earnedUnpaidAtEnd = deferredAtStart − earnedUnpaidAtStart + collected − refunded − recognized; nothing negative', () => {
    fc.assert(
      fc.property(planArb(), dateArb, dateArb, (plan, d1, d2) => {
        const [from, to] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const f: RevenueFigures = revenueFigures(revenueAccounts(build(plan).world.facts()), from, to);
        expect(f.deferredAtEnd - f.earnedUnpaidAtEnd).toBe(
          f.deferredAtStart - f.earnedUnpaidAtStart + f.collected - f.refunded - f.recognized,
        );
        for (const k of [
          'deferredAtStart',
          'deferredAtEnd',
          'earnedUnpaidAtStart',
          'earnedUnpaidAtEnd',
          'collected',
          'refunded',
        ] as const) {
          expect(f[k], k).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the same records in any order give the same figures', () => {
    fc.assert(
      fc.property(planArb(), fc.integer(), dateArb, (plan, seed, from) => {
        const facts = build(plan).world.facts();
        const shuffle = <T>(xs: readonly T[]) =>
          fc.sample(fc.shuffledSubarray([...xs], { minLength: xs.length }), { seed, numRuns: 1 })[0]!;
        const shuffled = {
          ...facts,
          invoices: shuffle(facts.invoices),
          packages: shuffle(facts.packages),
          appointments: shuffle(facts.appointments),
        };
        expect(revenueFigures(revenueAccounts(shuffled), from, LAST)).toEqual(revenueFigures(revenueAccounts(facts), from, LAST));
      }),
      { numRuns: 100 },
    );
  });
});

describe('revenue over all time', () => {
  it('billed is what the invoices charge, collected − refunded what they hold; nothing earns more than it charges', () => {
    fc.assert(
      fc.property(planArb(), (plan) => {
        const { world } = build(plan);
        const accounts = revenueAccounts(world.facts());
        const f = allTime(accounts);
        const invoices = [...world.invoices.values()];
        expect(f.billed).toBe(invoices.reduce((s, i) => s + totals(i).total, 0));
        expect(f.collected - f.refunded).toBe(invoices.reduce((s, i) => s + world.kept(i.id), 0));
        for (const a of accounts) expect(sum(a.earned)).toBeLessThanOrEqual(totals(world.invoices.get(a.invoiceId)!).total);
      }),
      { numRuns: 300 },
    );
  });

  it('a package used up and paid in full has earned its price; a cancelled one what it keeps (earned + refunded = paid)', () => {
    fc.assert(
      fc.property(planArb(), (plan) => {
        const { world, packages } = build(plan);
        for (const a of revenueAccounts(world.facts())) {
          const p = packages.get(a.invoiceId);
          if (!p) continue;
          const t = totals(world.invoices.get(a.invoiceId)!);
          const earned = sum(a.earned);
          if (p.fate === 'used_up' && t.paid === p.price) expect(earned).toBe(p.price);
          if (p.fate === 'cancelled') {
            // what the cancel left to refund is owed, not earned, until the refund is made
            expect(earned + t.refunded + (p.refundMade ? 0 : t.paid - t.refunded - Math.min(t.paid - t.refunded, t.total))).toBe(t.paid);
            if (p.refundMade) expect(earned + t.refunded).toBe(t.paid);
            const settledOn = a.earned.find((e) => e.source === 'package_settlement')?.date;
            if (settledOn) expect(a.earned.every((e) => e.date <= settledOn)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a self-pay session over earns its invoice’s total: the session completed, or the fee', () => {
    fc.assert(
      fc.property(planArb(), (plan) => {
        const { world } = build(plan);
        for (const a of revenueAccounts(world.facts())) {
          const invoice = world.invoices.get(a.invoiceId)!;
          if (invoice.appointmentId === undefined) continue;
          const status = world.appointments.get(invoice.appointmentId)!.status;
          const over = status === 'completed' || status === 'no_show' || status === 'cancelled';
          expect(sum(a.earned)).toBe(over ? totals(invoice).total : 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('when every package is used up or cancelled, every session over and every refund owed made, nothing is deferred at the end', () => {
    fc.assert(
      fc.property(planArb(true), (plan) => {
        const f = allTime(revenueAccounts(build(plan).world.facts()));
        expect(f.deferredAtEnd).toBe(0);
        expect(f.deferredAtStart).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the generated histories reach the cases', () => {
  it('settlements both ways, receivables and deferrals occur', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(planArb(), dateArb, (plan, date) => {
        const accounts = revenueAccounts(build(plan).world.facts());
        for (const a of accounts)
          for (const e of a.earned) seen.add(`${e.source}${e.source === 'package_settlement' ? (e.amount < 0 ? '-' : '+') : ''}`);
        const f = revenueFigures(accounts, date, date);
        if (f.deferredAtEnd > 0) seen.add('deferred');
        if (f.earnedUnpaidAtEnd > 0) seen.add('earnedUnpaid');
      }),
      { numRuns: 500, seed: 7 },
    );
    expect([...seen].sort()).toEqual(
      ['deferred', 'earnedUnpaid', 'fee', 'package_session', 'package_settlement+', 'package_settlement-', 'session'].sort(),
    );
  });
});
