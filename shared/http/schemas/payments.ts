// Request shapes of the payments API (the single source of validation and of the OpenAPI document).
// Built on first use, not at import, as in ./scheduling.ts (./lazy.ts); the shared pieces are in ./common.ts.
import * as z from './zod.ts';
import { PAYMENT_MODES, type PaymentMode } from '#domain/packages.ts';
import { installmentsTermsIssues } from '#domain/installments.ts';
import { route } from './lazy.ts';
import { MAX_PROGRAM_NAME_LENGTH, programIncludesIssues, programNameProblem } from '#domain/programs.ts';
import { across, fieldRule, freeText, idSchema as id, intRange } from './common.ts';

const count = (max: number) => intRange(0, max, 'Must be a whole number');

export const createProgramSchema = route(() =>
  z
    .strictObject({
      name: freeText(MAX_PROGRAM_NAME_LENGTH).check(fieldRule(programNameProblem)),
      explorations: intRange(1, 12),
      tier: z.enum(['standard', 'extra_support']),
      includes: z.strictObject({ preparation: count(12), exploration: count(12), integration: count(12) }),
      price: z.optional(intRange(1, 10_000_000, 'Integer minor units')),
    })
    .check(
      across(['explorations', 'includes.exploration'], (p: { explorations: number; includes: { exploration: number } }) =>
        programIncludesIssues(p.explorations, p.includes),
      ),
    ),
);

export const purchaseSchema = route(() =>
  z
    .strictObject({
      clientId: id(),
      programId: id(),
      payment: z.enum(PAYMENT_MODES),
      installments: z.optional(
        z.strictObject({
          count: intRange(1, 60),
          downPaymentPercent: z.number().check(z.gte(0), z.lte(100)),
        }),
      ),
    })
    .check(
      across(['payment', 'installments'], (p: { payment: PaymentMode; installments?: object | undefined }) =>
        installmentsTermsIssues(p.payment, p.installments),
      ),
    ),
);
