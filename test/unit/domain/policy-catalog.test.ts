import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '#domain/catalog.ts';
import { DEFAULT_POLICY_VALUES, resolvePolicy } from '#domain/policy.ts';
import { SERVICE_CODES } from '#domain/types.ts';

describe('policy', () => {
  it('defaults are the contract’s', () => {
    expect(resolvePolicy(undefined, 'USD')).toEqual({
      cancellationWindowHours: 48,
      minimumNoticeHours: 24,
      bookingWindowDays: 90,
      explorationSpacingHours: 48,
      integrationWithinDays: 7,
      requiredPreparationSessions: 2,
      reminderOffsetsHours: [48, 2],
      quietHours: { start: '21:00', end: '08:00' },
      lateCancellationFee: { amount: 10000, currency: 'USD' },
      // extensions beyond the published API's list
      slotStepMinutes: 30,
      lateCancellationForfeitsCredit: true,
      installments: { minimumTotal: 100000, allowedCounts: [3, 6, 12], minimumDownPaymentPercent: 20 },
      checkInLeadMinutes: 120,
    });
    expect(DEFAULT_POLICY_VALUES.lateCancellationFee.amount).toBe(10000);
  });

  it('the fee takes the clinic currency unless one is configured', () => {
    expect(resolvePolicy({}, 'CAD').lateCancellationFee).toEqual({ amount: 10000, currency: 'CAD' });
    expect(resolvePolicy({ lateCancellationFee: { amount: 5000, currency: 'CAD' } }, 'CAD').lateCancellationFee).toEqual({
      amount: 5000,
      currency: 'CAD',
    });
  });

  it('configured fields override, the rest default, undefined counts as not configured', () => {
    const p = resolvePolicy(
      { minimumNoticeHours: 2, reminderOffsetsHours: [24], quietHours: { start: '22:00', end: '07:00' }, bookingWindowDays: undefined },
      'USD',
    );
    expect(p.minimumNoticeHours).toBe(2);
    expect(p.reminderOffsetsHours).toEqual([24]);
    expect(p.quietHours).toEqual({ start: '22:00', end: '07:00' });
    expect(p.bookingWindowDays).toBe(90);
    expect(p.cancellationWindowHours).toBe(48);
    // Zero is a real setting, not a missing one.
    expect(resolvePolicy({ minimumNoticeHours: 0 }, 'USD').minimumNoticeHours).toBe(0);
  });

  it('a resolved policy is a fresh copy the caller may change', () => {
    const p = resolvePolicy(undefined, 'USD');
    p.reminderOffsetsHours.push(1);
    p.quietHours.start = '20:00';
    expect(resolvePolicy(undefined, 'USD').reminderOffsetsHours).toEqual([48, 2]);
    expect(DEFAULT_POLICY_VALUES.quietHours.start).toBe('21:00');
  });
});

describe('default catalog', () => {
  const catalog = defaultCatalog('CAD');
  const byCode = Object.fromEntries(catalog.map((s) => [s.code, s]));

  it('has the six services in the clinic currency', () => {
    expect(catalog.map((s) => s.code)).toEqual([...SERVICE_CODES]);
    expect(catalog.every((s) => s.price.currency === 'CAD')).toBe(true);
  });

  it('matches the reference prices, durations, codes and rooms', () => {
    expect(byCode.intake).toMatchObject({
      name: 'Intake assessment',
      durationMinutes: 60,
      price: { amount: 17500 },
      billable: true,
      cptCode: '90791',
      telehealthAllowed: true,
      roomKind: 'therapy',
      providerRole: 'therapist',
    });
    expect(byCode.medical_evaluation).toMatchObject({
      name: 'Medical evaluation',
      cptCode: '90792',
      providerRole: 'prescriber',
      telehealthAllowed: true,
    });
    expect(byCode.preparation).toMatchObject({
      name: 'Preparation session',
      cptCode: '90837',
      telehealthAllowed: true,
      roomKind: 'therapy',
    });
    expect(byCode.exploration).toEqual({
      code: 'exploration',
      name: 'Exploration session',
      durationMinutes: 180,
      price: { amount: 55000, currency: 'CAD' },
      billable: false,
      cptCode: null,
      telehealthAllowed: false,
      roomKind: 'dosing',
      providerRole: 'therapist',
    });
    expect(byCode.integration).toMatchObject({ name: 'Integration session', price: { amount: 17500 }, billable: true, cptCode: '90837' });
    expect(byCode.ongoing_care).toMatchObject({ name: 'Ongoing care session', price: { amount: 17500 }, billable: true, cptCode: '90837' });
  });

  it('no service name names the treatment or a drug (names reach SMS and receipts)', () => {
    for (const s of catalog) expect(s.name).not.toMatch(/ketamine|dosing|drug/i);
  });
});
