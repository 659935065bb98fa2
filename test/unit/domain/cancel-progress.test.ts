// A cancel that failed half-way is finished by the next one (package-cancel-service.ts). What that
// relies on in the domain: where a cancel stands (cancelProgress), and that the refund's shares
// come out the same on the retry, whatever refund records were added to the payments meanwhile.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cancelProgress, nextRefundShare, programInvoiceTakesPayments, type RefundShare } from '#domain/package-rules.ts';
import type { Cancellation, PaymentRecord } from '#domain/packages.ts';

const cancellation = (over: Partial<Cancellation> = {}): Cancellation => ({ at: 1, refunds: [], ...over });

describe('cancelProgress', () => {
  it('none until cancelled; unfinished while a staff cancel is not settled; settled after, or when cancelled otherwise', () => {
    expect(cancelProgress({ status: 'active', cancellation: undefined })).toBe('none');
    expect(cancelProgress({ status: 'past_due', cancellation: undefined })).toBe('none');
    expect(cancelProgress({ status: 'cancelled', cancellation: cancellation() })).toBe('unfinished');
    expect(
      cancelProgress({
        status: 'cancelled',
        cancellation: cancellation({ refundDue: 500, refunds: [{ paymentRef: 'pi_1', refundId: 're_1', amount: 200 }] }),
      }),
    ).toBe('unfinished');
    expect(cancelProgress({ status: 'cancelled', cancellation: cancellation({ refundDue: 0, settledAt: 2 }) })).toBe('settled');
    // an expired checkout cancels without a cancel record: nothing to finish
    expect(cancelProgress({ status: 'cancelled', cancellation: undefined })).toBe('settled');
  });

  it('in progress while another request holds an unfinished cancel; unfinished again once its claim ran out or was released', () => {
    const claimed = { status: 'cancelled' as const, cancellation: cancellation({ claimedUntil: 30_001 }) };
    expect(cancelProgress(claimed, 30_000)).toBe('in_progress');
    expect(cancelProgress(claimed, 30_001)).toBe('unfinished');
    expect(cancelProgress(claimed)).toBe('unfinished');
    expect(cancelProgress({ status: 'cancelled', cancellation: cancellation() }, 30_000)).toBe('unfinished');
    expect(cancelProgress({ status: 'cancelled', cancellation: cancellation({ claimedUntil: 30_001, settledAt: 2 }) }, 30_000)).toBe(
      'settled',
    );
  });
});

describe('programInvoiceTakesPayments', () => {
  it('only once the package is cancelled and its cancel settled: before, its checkout and installment plan pay the invoice', () => {
    expect(programInvoiceTakesPayments(null)).toBe(false);
    expect(programInvoiceTakesPayments({ status: 'active', cancellation: undefined })).toBe(false);
    expect(programInvoiceTakesPayments({ status: 'past_due', cancellation: undefined })).toBe(false);
    expect(programInvoiceTakesPayments({ status: 'cancelled', cancellation: cancellation() })).toBe(false);
    expect(programInvoiceTakesPayments({ status: 'cancelled', cancellation: cancellation({ refundDue: 0, settledAt: 2 }) })).toBe(true);
  });
});

const charge = (i: number, amount: number): PaymentRecord => ({
  ref: `ch_${i}`,
  kind: 'installment',
  amount: { amount, currency: 'USD' },
  status: 'succeeded',
  at: i,
});
const refund = (i: number, amount: number): PaymentRecord => ({
  ref: `re_${i}`,
  kind: 'refund',
  amount: { amount, currency: 'USD' },
  status: 'succeeded',
  at: 1_000 + i,
});

function shares(due: number, payments: PaymentRecord[]): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  let left = due;
  for (let s: RefundShare | null = nextRefundShare(left, payments); s; s = nextRefundShare(left, payments, s.index)) {
    out.push([s.payment.ref, s.amount]);
    left -= s.amount;
  }
  return out;
}

describe('refund shares on a retried cancel', () => {
  it('property: the same shares with refund records inserted anywhere in the payments list', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 100_000 })), { maxLength: 5 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (amounts, inserted, due) => {
          const charges = amounts.map((a, i) => charge(i, a));
          const withRefunds = [...charges];
          inserted.forEach(([pos, amount], i) => withRefunds.splice(pos % (withRefunds.length + 1), 0, refund(i, amount)));
          expect(shares(due, withRefunds)).toEqual(shares(due, charges));
        },
      ),
    );
  });
});
