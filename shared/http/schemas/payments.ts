// Request shapes of the payments API (the single source of validation and of the OpenAPI document).
import { z } from 'zod';
import { PAYMENT_MODES } from '#domain/packages.ts';
import { freeText, idSchema as id } from './scheduling.ts';

const count = (max: number) => z.number().int('Must be a whole number').min(0).max(max);

export const createProgramSchema = z.strictObject({
  name: freeText(100),
  explorations: z.number().int().min(1).max(12),
  tier: z.enum(['standard', 'extra_support']),
  includes: z.strictObject({ preparation: count(12), exploration: count(12), integration: count(12) }),
  price: z.number().int('Integer minor units').min(1).max(10_000_000).optional(),
});

export const purchaseSchema = z.strictObject({
  clientId: id,
  programId: id,
  payment: z.enum(PAYMENT_MODES),
  installments: z
    .strictObject({
      count: z.number().int().min(1).max(60),
      downPaymentPercent: z.number().min(0).max(100),
    })
    .optional(),
});

export const emptySchema = z.strictObject({});
