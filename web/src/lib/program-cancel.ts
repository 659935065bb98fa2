// What cancelling a program will do, in the words of the staff's confirmation: said from the
// API's own reckoning (GET /v1/packages/{id}/cancel-preview) before anyone confirms, so that the
// refund is a figure, not a rule to work out. Pure: web/test/program-cancel.test.ts.
import type { paths } from '../api/openapi';
import { formatMoney } from './format.ts';

export type CancelPreview = paths['/v1/packages/{packageId}/cancel-preview']['get']['responses'][200]['content']['application/json'];

const sessions = (n: number) => (n === 1 ? '1 session' : `${n} sessions`);

/** The confirmation's points, in order, and whether the cancel can go ahead now. */
export function cancelTerms(p: CancelPreview, installments: boolean): { points: string[]; blocked: boolean } {
  const points: string[] = [];
  if (p.refund.amount > 0 && p.keeps.amount === 0) {
    points.push(`The client gets back ${formatMoney(p.refund)}: all that was paid, as no session was used or missed.`);
  } else if (p.refund.amount > 0) {
    points.push(
      `The client gets back ${formatMoney(p.refund)}: ${formatMoney(p.paid)} paid, less ${formatMoney(p.keeps)} for the sessions used or missed.`,
    );
  } else if (p.paid.amount === 0) {
    points.push('Nothing has been paid, so nothing is refunded.');
  } else {
    points.push(
      `Nothing is refunded: the sessions used or missed are worth ${formatMoney(p.keeps)}, as much as the ${formatMoney(p.paid)} paid or more; what was used beyond that stays due on this invoice.`,
    );
  }
  points.push(
    p.futureSessions === 0
      ? 'No booked session is left to cancel.'
      : `${p.futureSessions === 1 ? 'Its 1 booked session' : `Its ${p.futureSessions} booked sessions`} still to come ${p.futureSessions === 1 ? 'is' : 'are'} cancelled free of charge.`,
  );
  if (installments) points.push('No more installments are taken.');
  const blocked = p.unresolvedSessions > 0;
  if (blocked) {
    points.push(
      `${sessions(p.unresolvedSessions)} that started must be marked completed or no-show first (on the day’s schedule or the chart).`,
    );
  }
  return { points, blocked };
}
