// Which package states pay for a session (the schedule's 'unpaid' flag) and which a booking may
// draw a credit in (the condition on the credit write, and what the booking rules see).
import { describe, expect, it } from 'vitest';
import { bookingCreditState, creditsFor, creditUsableIn, packagePaidUp } from '#domain/package-rules.ts';
import { PACKAGE_STATUSES, type Package, type PackageStatus } from '#domain/packages.ts';
import { SERVICE_CODES } from '#domain/types.ts';

function pkg(status: PackageStatus, used = 0): Package {
  return {
    id: 'pkg_1',
    clinicId: 'clinic-1',
    clientId: 'cli_1',
    programId: 'prg_1',
    programName: 'Care program',
    status,
    price: { amount: 290_000, currency: 'USD' },
    payment: 'pay_in_full',
    credits: { ...creditsFor({ preparation: 2, exploration: 4, integration: 2 }), exploration: { total: 4, used } },
    payments: [],
    stripe: {},
    createdAt: 0,
    updatedAt: 0,
    version: 1,
  };
}

describe('packagePaidUp', () => {
  it('active and completed packages pay for their sessions; pending, past due and cancelled-before-use ones do not', () => {
    const paid = PACKAGE_STATUSES.filter((s) => packagePaidUp(pkg(s)));
    expect(paid).toEqual(['active', 'completed']);
  });

  it('a cancelled package: paid up when its net payments cover the value the cancel fixed as used', () => {
    const charge = (amount: number, kind: 'full' | 'refund' = 'full') =>
      ({ ref: `${kind}-${amount}`, kind, amount: { amount, currency: 'USD' }, status: 'succeeded', at: 0 }) as const;
    const cancelled = (usedValue: number | undefined, ...payments: Package['payments']) => ({
      ...pkg('cancelled'),
      payments,
      cancellation: { at: 1, refunds: [], ...(usedValue === undefined ? {} : { usedValue }) },
    });
    expect(packagePaidUp(cancelled(110_000, charge(290_000)))).toBe(true);
    expect(packagePaidUp(cancelled(110_000, charge(290_000), charge(180_000, 'refund')))).toBe(true);
    expect(packagePaidUp(cancelled(110_000, charge(100_000)))).toBe(false);
    expect(packagePaidUp(cancelled(0))).toBe(true);
    expect(packagePaidUp(cancelled(undefined, charge(290_000)))).toBe(false);
    expect(packagePaidUp(cancelled(110_000, { ...charge(290_000), status: 'failed' }))).toBe(false);
  });

  it('no package: not paid', () => {
    expect(packagePaidUp(undefined)).toBe(false);
  });
});

describe('creditUsableIn', () => {
  it('an exploration draws a credit only from an active package', () => {
    expect(creditUsableIn('exploration')).toEqual(['active']);
  });

  it('preparation and integration also while an installment is past due', () => {
    expect(creditUsableIn('preparation')).toEqual(['active', 'past_due']);
    expect(creditUsableIn('integration')).toEqual(['active', 'past_due']);
  });

  it('never from a package that is not paid yet, cancelled or completed', () => {
    for (const service of SERVICE_CODES) {
      for (const status of ['pending_payment', 'cancelled', 'completed'] as const) expect(creditUsableIn(service)).not.toContain(status);
    }
  });
});

describe('bookingCreditState', () => {
  it('the credits left on the line, and whether the package is past due', () => {
    expect(bookingCreditState(pkg('active', 1), 'exploration')).toEqual({ remaining: 3, pastDue: false });
    expect(bookingCreditState(pkg('active', 4), 'exploration')).toEqual({ remaining: 0, pastDue: false });
  });

  it('past due keeps its credits, so an exploration is refused as payment_past_due rather than no_credit', () => {
    expect(bookingCreditState(pkg('past_due'), 'exploration')).toEqual({ remaining: 4, pastDue: true });
    expect(bookingCreditState(pkg('past_due'), 'preparation')).toEqual({ remaining: 2, pastDue: true });
  });

  it('nothing left in a package that cannot be used at all', () => {
    for (const status of ['pending_payment', 'cancelled', 'completed'] as const) {
      expect(bookingCreditState(pkg(status), 'exploration')).toEqual({ remaining: 0, pastDue: false });
    }
  });

  it('nothing for a service the package holds no credits for', () => {
    expect(bookingCreditState(pkg('active'), 'intake')).toEqual({ remaining: 0, pastDue: false });
  });
});
