// A clinic's booking policy: its defaults (docs/operations.md, "Clinic policy"),
// overridden field by field by what the clinic configured.

import type { Currency, Policy } from '#domain/types.ts';
import type { FieldIssue } from '#domain/errors.ts';

/** Policy defaults. The late-cancellation fee has no currency here: it takes the clinic's. */
export type PolicyDefaults = Omit<Policy, 'lateCancellationFee'> & {
  lateCancellationFee: { amount: number };
};

export const DEFAULT_POLICY_VALUES: PolicyDefaults = Object.freeze({
  cancellationWindowHours: 48,
  minimumNoticeHours: 24,
  bookingWindowDays: 90,
  explorationSpacingHours: 48,
  integrationWithinDays: 7,
  requiredPreparationSessions: 2,
  reminderOffsetsHours: Object.freeze([48, 2]) as number[],
  quietHours: Object.freeze({ start: '21:00', end: '08:00' }),
  lateCancellationFee: Object.freeze({ amount: 10_000 }),
  slotStepMinutes: 30,
  lateCancellationForfeitsCredit: true,
  installments: Object.freeze({
    minimumTotal: 100_000,
    allowedCounts: Object.freeze([3, 6, 12]) as number[],
    minimumDownPaymentPercent: 20,
  }),
  checkInLeadMinutes: 120,
});

/**
 * The complete policy for a clinic. Fields the clinic left out (or set to undefined) take the
 * default; the fee's currency defaults to the clinic's. Returns fresh objects, never the frozen
 * defaults, so callers may modify the result.
 */
export function resolvePolicy(partial: Partial<Policy> | undefined, currency: Currency): Policy {
  const p = partial ?? {};
  const d = DEFAULT_POLICY_VALUES;
  const fee = p.lateCancellationFee as Partial<Policy['lateCancellationFee']> | undefined;
  return {
    cancellationWindowHours: p.cancellationWindowHours ?? d.cancellationWindowHours,
    minimumNoticeHours: p.minimumNoticeHours ?? d.minimumNoticeHours,
    bookingWindowDays: p.bookingWindowDays ?? d.bookingWindowDays,
    explorationSpacingHours: p.explorationSpacingHours ?? d.explorationSpacingHours,
    integrationWithinDays: p.integrationWithinDays ?? d.integrationWithinDays,
    requiredPreparationSessions: p.requiredPreparationSessions ?? d.requiredPreparationSessions,
    reminderOffsetsHours: [...(p.reminderOffsetsHours ?? d.reminderOffsetsHours)],
    quietHours: { ...(p.quietHours ?? d.quietHours) },
    lateCancellationFee: {
      amount: fee?.amount ?? d.lateCancellationFee.amount,
      currency: fee?.currency ?? currency,
    },
    slotStepMinutes: p.slotStepMinutes ?? d.slotStepMinutes,
    lateCancellationForfeitsCredit: p.lateCancellationForfeitsCredit ?? d.lateCancellationForfeitsCredit,
    installments: {
      minimumTotal: p.installments?.minimumTotal ?? d.installments.minimumTotal,
      allowedCounts: [...(p.installments?.allowedCounts ?? d.installments.allowedCounts)],
      minimumDownPaymentPercent: p.installments?.minimumDownPaymentPercent ?? d.installments.minimumDownPaymentPercent,
    },
    checkInLeadMinutes: p.checkInLeadMinutes ?? d.checkInLeadMinutes,
  };
}

/** What is wrong with a late-cancellation fee's currency for a clinic of `currency`: it must be the clinic's. */
export function feeCurrencyIssues(currency: Currency, feeCurrency: Currency): FieldIssue[] {
  return feeCurrency === currency
    ? []
    : [{ path: 'policy.lateCancellationFee.currency', message: `Must be the clinic's currency (${currency})` }];
}
