// What cancelling a package refunds (cancelRefundDue) and how the refund is taken from the
// payments made (nextRefundShare): newest first, each share at most what that charge paid.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cancelPreview, cancelRefundDue, creditsFor, nextRefundShare, type RefundShare } from '#domain/package-rules.ts';
import type { Appointment } from '#domain/types.ts';
import { appt } from './fixtures.ts';
import type { CreditService, PaymentKind, PaymentRecord, PaymentStatus } from '#domain/packages.ts';

const LIST: Record<CreditService, number> = { preparation: 17_500, exploration: 60_000, integration: 17_500 };
const pay = (ref: string, amount: number, kind: PaymentKind = 'installment', status: PaymentStatus = 'succeeded'): PaymentRecord => ({
  ref,
  kind,
  amount: { amount, currency: 'USD' },
  status,
  at: 0,
});

/** Every share of a refund of `due`, as the cancel takes them; `noIntent`: charges Stripe cannot refund. */
function allocate(due: number, payments: PaymentRecord[], noIntent: string[] = []): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  let left = due;
  for (let s: RefundShare | null = nextRefundShare(left, payments); s; s = nextRefundShare(left, payments, s.index)) {
    if (noIntent.includes(s.payment.ref)) continue;
    out.push([s.payment.ref, s.amount]);
    left -= s.amount;
  }
  return out;
}

describe('cancelRefundDue', () => {
  const used = (preparation: number, exploration: number, integration: number) => {
    const c = creditsFor({ preparation: 2, exploration: 4, integration: 2 });
    return {
      preparation: { ...c.preparation, used: preparation },
      exploration: { ...c.exploration, used: exploration },
      integration: { ...c.integration, used: integration },
    };
  };

  it('paid minus the list value of the sessions used', () => {
    expect(cancelRefundDue({ payments: [pay('pi_1', 290_000, 'full')] }, used(1, 0, 0), LIST)).toBe(272_500);
    expect(cancelRefundDue({ payments: [pay('pi_1', 290_000, 'full')] }, used(2, 1, 1), LIST)).toBe(290_000 - 35_000 - 60_000 - 17_500);
  });

  it('only succeeded charges count as paid', () => {
    const payments = [
      pay('in_1', 58_000, 'down_payment'),
      pay('in_2', 77_334, 'installment', 'failed'),
      pay('in_3', 77_333, 'installment', 'pending'),
    ];
    expect(cancelRefundDue({ payments }, used(0, 0, 0), LIST)).toBe(58_000);
  });

  it('less what was refunded already (a second cancel refunds nothing more)', () => {
    const payments = [pay('pi_1', 290_000, 'full'), pay('re_1', 272_500, 'refund')];
    expect(cancelRefundDue({ payments }, used(1, 0, 0), LIST)).toBe(0);
    const partly = [pay('pi_1', 290_000, 'full'), pay('re_1', 100_000, 'refund')];
    expect(cancelRefundDue({ payments: partly }, used(1, 0, 0), LIST)).toBe(172_500);
  });

  it('never negative: more used than paid gives nothing back', () => {
    expect(cancelRefundDue({ payments: [pay('dp', 58_000, 'down_payment')] }, used(2, 2, 0), LIST)).toBe(0);
  });
});

describe('nextRefundShare', () => {
  const plan = [pay('dp', 58_000, 'down_payment'), pay('in_1', 77_334), pay('in_2', 77_333)];

  it('newest charge first, each share at most what that charge paid', () => {
    expect(allocate(100_000, plan)).toEqual([
      ['in_2', 77_333],
      ['in_1', 22_667],
    ]);
    expect(allocate(212_667, plan)).toEqual([
      ['in_2', 77_333],
      ['in_1', 77_334],
      ['dp', 58_000],
    ]);
  });

  it('never more than the charges made, and nothing for nothing due', () => {
    expect(allocate(1_000_000, plan).reduce((s, [, a]) => s + a, 0)).toBe(212_667);
    expect(allocate(0, plan)).toEqual([]);
    expect(nextRefundShare(0, plan)).toBeNull();
  });

  it('refunds and failed or pending charges are no source', () => {
    const payments = [
      pay('dp', 58_000, 'down_payment'),
      pay('in_1', 77_334, 'installment', 'failed'),
      pay('re_1', 10_000, 'refund'),
      pay('in_2', 77_333, 'installment', 'pending'),
    ];
    expect(allocate(100_000, payments)).toEqual([['dp', 58_000]]);
  });

  it('a charge that cannot be refunded passes its share to the next older one', () => {
    expect(allocate(100_000, plan, ['in_2'])).toEqual([
      ['in_1', 77_334],
      ['dp', 22_666],
    ]);
  });

  it('property: the shares add up to min(due, charges that can be refunded), each within its charge, newest first', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(100_000), { maxLength: 6 }),
        fc.nat(400_000),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (amounts, due, refundable) => {
          const payments = amounts.map((a, i) => pay(`p${i}`, a));
          const blocked = payments.filter((_, i) => !refundable[i]).map((p) => p.ref);
          const shares = allocate(due, payments, blocked);
          const open = payments.filter((p) => !blocked.includes(p.ref));
          expect(shares.reduce((s, [, a]) => s + a, 0)).toBe(
            Math.min(
              due,
              open.reduce((s, p) => s + p.amount.amount, 0),
            ),
          );
          for (const [ref, a] of shares) expect(a).toBeLessThanOrEqual(payments.find((p) => p.ref === ref)!.amount.amount);
          const order = shares.map(([ref]) => Number(ref.slice(1)));
          expect(order).toEqual([...order].sort((x, y) => y - x));
        },
      ),
    );
  });
});

describe('cancelPreview: what a cancel would do, said before it is confirmed', () => {
  const NOW = Date.parse('2026-12-10T15:00:00Z');
  const HOUR = 3_600_000;
  const credits = (preparation: number, exploration: number, integration: number) => {
    const c = creditsFor({ preparation: 2, exploration: 4, integration: 2 });
    return {
      preparation: { ...c.preparation, used: preparation },
      exploration: { ...c.exploration, used: exploration },
      integration: { ...c.integration, used: integration },
    };
  };
  const ofPackage = (service: 'preparation' | 'exploration' | 'integration', startsAt: number, status: Appointment['status'] = 'booked') =>
    appt(service, startsAt, { packageId: 'pkg_1', status });
  // two preparations done, one exploration done, one exploration and its integration still to come
  const pkg = { id: 'pkg_1', payments: [pay('pi_1', 290_000, 'full')], credits: credits(2, 2, 1) };
  const appointments = [
    ofPackage('preparation', NOW - 300 * HOUR, 'completed'),
    ofPackage('preparation', NOW - 200 * HOUR, 'completed'),
    ofPackage('exploration', NOW - 100 * HOUR, 'completed'),
    ofPackage('exploration', NOW + 50 * HOUR),
    ofPackage('integration', NOW + 70 * HOUR),
    // another package's, and a self-pay session: not this package's
    appt('exploration', NOW + 90 * HOUR, { packageId: 'pkg_2', status: 'booked' }),
    appt('integration', NOW + 95 * HOUR, { status: 'booked' }),
  ];

  it('gives the future sessions’ credits back first, as the cancel does, then reckons paid less the list value used', () => {
    const preview = cancelPreview(pkg, appointments, LIST, NOW);
    const keeps = 2 * 17_500 + 60_000;
    expect(preview).toEqual({ refund: 290_000 - keeps, paid: 290_000, keeps, futureSessions: 2, unresolvedSessions: 0 });
    // the same as the cancel's own reckoning on the credits it will have
    expect(preview.refund).toBe(cancelRefundDue(pkg, credits(2, 1, 0), LIST));
  });

  it('counts a session that started and is not marked yet: the cancel waits for it', () => {
    const started = [...appointments.slice(0, 3), ofPackage('exploration', NOW - HOUR, 'checked_in')];
    expect(cancelPreview({ ...pkg, credits: credits(2, 2, 0) }, started, LIST, NOW)).toMatchObject({
      futureSessions: 0,
      unresolvedSessions: 1,
      keeps: 2 * 17_500 + 2 * 60_000,
    });
  });

  it('only this package’s sessions still booked after now give their credits back; one starting now is unresolved', () => {
    const sessions = [
      ofPackage('exploration', NOW + 50 * HOUR), // future: its credit comes back
      ofPackage('exploration', NOW + 60 * HOUR, 'cancelled'), // gave its credit back when cancelled
      ofPackage('integration', NOW + HOUR, 'checked_in'), // checked in early: it takes place
      ofPackage('exploration', NOW), // starts now: not future, and not marked yet
      appt('integration', NOW + 90 * HOUR, { packageId: 'pkg_2', status: 'booked' }),
      appt('exploration', NOW - 2 * HOUR, { packageId: 'pkg_2', status: 'booked' }),
    ];
    const preview = cancelPreview({ ...pkg, credits: credits(2, 3, 1) }, sessions, LIST, NOW);
    expect(preview).toMatchObject({ futureSessions: 1, unresolvedSessions: 1, keeps: 2 * 17_500 + 2 * 60_000 + 17_500 });
  });

  it('what was paid counts succeeded charges only, less what was refunded', () => {
    const payments = [pay('pi_1', 290_000, 'full'), pay('pi_2', 50_000, 'full', 'failed'), pay('re_1', 40_000, 'refund')];
    expect(cancelPreview({ ...pkg, payments }, appointments, LIST, NOW).paid).toBe(250_000);
  });

  it('refunds nothing when what was used is worth more than what was paid, and what was refunded already counts', () => {
    const plan = { ...pkg, payments: [pay('in_1', 58_000, 'down_payment')] };
    expect(cancelPreview(plan, appointments, LIST, NOW)).toMatchObject({ refund: 0, paid: 58_000 });
    const refunded = { ...pkg, payments: [pay('pi_1', 290_000, 'full'), pay('re_1', 100_000, 'refund')] };
    expect(cancelPreview(refunded, appointments, LIST, NOW)).toMatchObject({ refund: 290_000 - 95_000 - 100_000, paid: 190_000 });
  });
});
