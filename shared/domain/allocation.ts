// A package's price (or what was paid on it) spread over the sessions of its program, in
// proportion to their list prices, exact to the cent: what a superbill charges for a session paid
// by a package, and what the revenue report earns when that session is used.
//
// Largest remainder (Hamilton): each session gets the floor of its exact share, and the cents
// left over go one each to the sessions with the largest remainders (ties: the earlier session in
// the canonical order). So the shares are never more than a cent from the exact proportion, and
// always add up to the amount. Integer arithmetic only.
//
// The canonical order of a program's sessions: CREDIT_SERVICES order (preparation, exploration,
// integration), then the 1st, 2nd, … session of each. The n-th session of a service a client
// used is given the n-th share of that service.
import type { CreditService } from './packages.ts';
import { CREDIT_SERVICES } from './packages.ts';
import type { Appointment } from './types.ts';
import { creditServiceFor } from './package-rules.ts';

/** One slot of a program: the k-th (0-based) session of a service. */
export interface SessionSlot {
  service: CreditService;
  index: number;
}

/** The program's slots in canonical order. */
export function programSlots(includes: Record<CreditService, number>): SessionSlot[] {
  const out: SessionSlot[] = [];
  for (const service of CREDIT_SERVICES) {
    const n = includes[service] ?? 0;
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Not a session count for ${service}: ${n}`);
    for (let index = 0; index < n; index++) out.push({ service, index });
  }
  return out;
}

/**
 * `amount` (minor units, ≥ 0) split over `weights` (≥ 0) in proportion, exact: the parts add up
 * to `amount`. All weights 0: split evenly (as if all were 1). No weights: RangeError unless the
 * amount is 0.
 */
export function allocate(amount: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`Not an amount to allocate: ${amount}`);
  for (const w of weights) if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`Not a weight: ${w}`);
  if (weights.length === 0) {
    if (amount === 0) return [];
    throw new RangeError('Nothing to allocate over');
  }
  const total = weights.reduce((s, w) => s + w, 0);
  const ws = total === 0 ? weights.map(() => 1) : weights;
  const sum = total === 0 ? weights.length : total;
  // BigInt: amount × weight may pass 2^53 for a large package
  const big = BigInt(amount);
  const bigSum = BigInt(sum);
  const parts = ws.map((w) => Number((big * BigInt(w)) / bigSum));
  const remainders = ws.map((w, i) => ({ i, r: (big * BigInt(w)) % bigSum }));
  let left = amount - parts.reduce((s, p) => s + p, 0);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; left > 0; k++, left--) parts[remainders[k % remainders.length]!.i]! += 1;
  return parts;
}

/**
 * Each slot's share of `amount` (a package's price, or what was paid on it), weighted by the list
 * price of its service, by service then index: `shares.exploration[2]` is the third exploration's.
 */
export function packageShares(
  amount: number,
  includes: Record<CreditService, number>,
  listPrices: Record<CreditService, number>,
): Record<CreditService, number[]> {
  const slots = programSlots(includes);
  const parts = allocate(
    amount,
    slots.map((s) => listPrices[s.service] ?? 0),
  );
  const out: Record<CreditService, number[]> = { preparation: [], exploration: [], integration: [] };
  slots.forEach((s, i) => out[s.service].push(parts[i]!));
  return out;
}

/**
 * Whether an appointment of a package took one of its credits and keeps it taken: booked, checked
 * in, completed or missed; cancelled only when late and the clinic's policy forfeits the credit
 * (appointments do not record the forfeit: the policy as it is now decides). The superbill and the
 * revenue report rank a package's sessions by this one rule.
 */
export function tookCredit(a: Pick<Appointment, 'status' | 'late'>, lateCancellationForfeitsCredit: boolean): boolean {
  switch (a.status) {
    case 'completed':
    case 'checked_in':
    case 'booked':
    case 'no_show':
      return true;
    case 'cancelled':
      return a.late === true && lateCancellationForfeitsCredit;
  }
}

/**
 * Which slot of its program each credit-taking appointment of package `packageId` has: the k-th
 * (by start, then id) of a service takes that service's k-th share (packageShares), by appointment
 * id. Appointments of other packages, and services a package has no credit for, are left out.
 */
export function creditSlots(
  packageId: string,
  appointments: readonly Pick<Appointment, 'id' | 'packageId' | 'service' | 'startsAt' | 'status' | 'late'>[],
  lateCancellationForfeitsCredit: boolean,
): Map<string, SessionSlot> {
  const ranked = appointments
    .filter((a) => a.packageId === packageId && tookCredit(a, lateCancellationForfeitsCredit))
    .sort((a, b) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const next: Record<CreditService, number> = { preparation: 0, exploration: 0, integration: 0 };
  const out = new Map<string, SessionSlot>();
  for (const a of ranked) {
    const service = creditServiceFor(a.service);
    if (service === null) continue;
    out.set(a.id, { service, index: next[service]++ });
  }
  return out;
}
