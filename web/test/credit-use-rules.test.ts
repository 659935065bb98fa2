// "Use program credit" (web/src/lib/credit-use-rules.ts): which of the client's programs is offered
// for a session booked and paid singly, and what the confirmation says happens to the money.
import { describe, expect, it } from 'vitest';
import type { Appointment, Package } from '../src/lib/clinic-data.ts';
import { creditMoney, creditPayer } from '../src/lib/credit-use-rules.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });

const session = (over: Partial<Appointment> = {}): Appointment => ({
  id: 'apt_1',
  status: 'booked',
  startsAt: '2026-12-14T10:00:00-05:00',
  endsAt: '2026-12-14T11:00:00-05:00',
  providerId: 'demo-nyc-ther-2',
  roomId: null,
  service: 'preparation',
  mode: 'telehealth',
  clientId: 'cli_1',
  clinicId: 'demo-nyc',
  packageId: null,
  explorationId: null,
  invoiceId: 'inv_1',
  videoUrl: null,
  ...over,
});

const credits = (left: number) => ({ total: 2, used: 2 - left, remaining: left });
const program = (id: string, over: Partial<Package> = {}, left = { preparation: 1, exploration: 4, integration: 2 }): Package =>
  ({
    id,
    clientId: 'cli_1',
    clinicId: 'demo-nyc',
    programName: 'Care program 4 - standard support',
    status: 'active',
    credits: { preparation: credits(left.preparation), exploration: credits(left.exploration), integration: credits(left.integration) },
    ...over,
  }) as Package;

describe('creditPayer: the program offered to pay for a session booked singly', () => {
  it('an active program with a credit of the session’s service', () => {
    expect(creditPayer(session(), [program('pkg_1')])?.id).toBe('pkg_1');
    expect(creditPayer(session({ status: 'checked_in' }), [program('pkg_1')])?.id).toBe('pkg_1');
  });

  it('of several, the oldest (the list comes newest first)', () => {
    expect(creditPayer(session(), [program('pkg_new'), program('pkg_old')])?.id).toBe('pkg_old');
    // the oldest without credit left: the next one that has
    const spent = program('pkg_old', {}, { preparation: 0, exploration: 4, integration: 2 });
    expect(creditPayer(session(), [program('pkg_new'), spent])?.id).toBe('pkg_new');
  });

  it('none for a session no longer booked, paid by a program already, or without its own invoice', () => {
    for (const status of ['completed', 'cancelled', 'no_show'] as const)
      expect(creditPayer(session({ status }), [program('p')])).toBeUndefined();
    expect(creditPayer(session({ packageId: 'pkg_0' }), [program('p')])).toBeUndefined();
    expect(creditPayer(session({ invoiceId: null }), [program('p')])).toBeUndefined();
  });

  it('none when no program covers the service or has a credit of it left', () => {
    expect(creditPayer(session({ service: 'intake' }), [program('p')])).toBeUndefined();
    expect(creditPayer(session({ service: 'ongoing_care' }), [program('p')])).toBeUndefined();
    expect(creditPayer(session(), [program('p', {}, { preparation: 0, exploration: 4, integration: 2 })])).toBeUndefined();
  });

  it('none from a program that cannot pay now; a past-due one still pays a preparation, not a dosing session', () => {
    for (const status of ['pending_payment', 'cancelled', 'completed'] as const) {
      expect(creditPayer(session(), [program('p', { status })]), status).toBeUndefined();
    }
    expect(creditPayer(session(), [program('p', { status: 'past_due' })])?.id).toBe('p');
    expect(creditPayer(session({ service: 'exploration' }), [program('p', { status: 'past_due' })])).toBeUndefined();
    expect(creditPayer(session({ service: 'exploration' }), [program('p')])?.id).toBe('p');
  });

  it('none from another client’s or clinic’s program', () => {
    expect(creditPayer(session(), [program('p', { clientId: 'cli_2' })])).toBeUndefined();
    expect(creditPayer(session(), [program('p', { clinicId: 'demo-tor' })])).toBeUndefined();
  });
});

describe('creditMoney: what happens to the money of the session', () => {
  it('what was paid and not refunded is refunded', () => {
    expect(creditMoney({ paid: usd(17_500), refunded: usd(0) })).toEqual({ kind: 'refund', amount: usd(17_500) });
    expect(creditMoney({ paid: usd(17_500), refunded: usd(5_000) })).toEqual({ kind: 'refund', amount: usd(12_500) });
  });

  it('nothing paid, or all of it refunded already: nothing is charged', () => {
    expect(creditMoney({ paid: usd(0), refunded: usd(0) })).toEqual({ kind: 'nothing' });
    expect(creditMoney({ paid: usd(17_500), refunded: usd(17_500) })).toEqual({ kind: 'nothing' });
  });
});
