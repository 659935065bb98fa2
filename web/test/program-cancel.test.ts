// The staff's confirmation of a program cancel (web/src/lib/program-cancel.ts): the refund as a
// figure from the API's preview, the sessions cancelled, and what holds the cancel up.
import { describe, expect, it } from 'vitest';
import { cancelTerms } from '../src/lib/program-cancel.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const preview = (refund: number, paid: number, keeps: number, futureSessions = 0, unresolvedSessions = 0) => ({
  refund: usd(refund),
  paid: usd(paid),
  keeps: usd(keeps),
  futureSessions,
  unresolvedSessions,
});

describe('what a program cancel will do, said first', () => {
  it('names the refund and how it is reckoned', () => {
    expect(cancelTerms(preview(272_500, 290_000, 17_500, 3), false)).toEqual({
      points: [
        'The client gets back $2,725.00: $2,900.00 paid, less $175.00 for the sessions used or missed.',
        'Its 3 booked sessions still to come are cancelled free of charge.',
      ],
      blocked: false,
    });
  });

  it('says all comes back when nothing was used', () => {
    expect(cancelTerms(preview(290_000, 290_000, 0), false).points[0]).toBe(
      'The client gets back $2,900.00: all that was paid, as no session was used or missed.',
    );
  });

  it('says when nothing is refunded, and why', () => {
    expect(cancelTerms(preview(0, 0, 0), false).points[0]).toBe('Nothing has been paid, so nothing is refunded.');
    expect(cancelTerms(preview(0, 58_000, 95_000, 1), true).points).toEqual([
      'Nothing is refunded: the sessions used or missed are worth $950.00, as much as the $580.00 paid or more; what was used beyond that stays due on this invoice.',
      'Its 1 booked session still to come is cancelled free of charge.',
      'No more installments are taken.',
    ]);
  });

  it('holds the cancel while a session that started is not marked', () => {
    const terms = cancelTerms(preview(100_000, 290_000, 190_000, 0, 2), false);
    expect(terms.blocked).toBe(true);
    expect(terms.points).toContain(
      '2 sessions that started must be marked completed or no-show first (on the day’s schedule or the chart).',
    );
    expect(cancelTerms(preview(100_000, 290_000, 190_000), false).points[1]).toBe('No booked session is left to cancel.');
  });
});
