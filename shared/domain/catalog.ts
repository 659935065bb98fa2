// The default service catalog (docs/domain.md, "The catalog and who provides what").
// Names may appear in SMS and on receipts, so none names the treatment or a drug.

import type { Currency, Service } from '#domain/types.ts';

export function defaultCatalog(currency: Currency): Service[] {
  const price = (amount: number) => ({ amount, currency });
  return [
    {
      code: 'intake',
      name: 'Intake assessment',
      durationMinutes: 60,
      price: price(17_500),
      billable: true,
      cptCode: '90791',
      telehealthAllowed: true,
      roomKind: 'therapy',
      providerRole: 'therapist',
    },
    {
      code: 'medical_evaluation',
      name: 'Medical evaluation',
      durationMinutes: 60,
      price: price(17_500),
      billable: true,
      cptCode: '90792',
      telehealthAllowed: true,
      roomKind: 'therapy',
      providerRole: 'prescriber',
    },
    {
      code: 'preparation',
      name: 'Preparation session',
      durationMinutes: 60,
      price: price(17_500),
      billable: true,
      cptCode: '90837',
      telehealthAllowed: true,
      roomKind: 'therapy',
      providerRole: 'therapist',
    },
    {
      // Off-label use: plans do not cover it, so not billable and no CPT code (docs/domain.md).
      // In person only, in a dosing room.
      code: 'exploration',
      name: 'Exploration session',
      durationMinutes: 180,
      price: price(55_000),
      billable: false,
      cptCode: null,
      telehealthAllowed: false,
      roomKind: 'dosing',
      providerRole: 'therapist',
    },
    {
      code: 'integration',
      name: 'Integration session',
      durationMinutes: 60,
      price: price(17_500),
      billable: true,
      cptCode: '90837',
      telehealthAllowed: true,
      roomKind: 'therapy',
      providerRole: 'therapist',
    },
    {
      code: 'ongoing_care',
      name: 'Ongoing care session',
      durationMinutes: 60,
      price: price(17_500),
      billable: true,
      cptCode: '90837',
      telehealthAllowed: true,
      roomKind: 'therapy',
      providerRole: 'therapist',
    },
  ];
}
