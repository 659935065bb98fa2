// Stripe-shaped refusals of a request's parameters: the 400s and 404s endpoints answer with.
import type { StripeErrorBody, StripeObject } from './types.ts';
import { isObj } from './util.ts';

/** An HTTP-level answer: Stripe's error JSON with its status. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: StripeErrorBody,
  ) {
    super(error.message);
  }
}

export const invalid = (message: string, param?: string, code?: string): ApiFailure =>
  new ApiFailure(400, {
    type: 'invalid_request_error',
    message,
    ...(param ? { param } : {}),
    ...(code ? { code } : {}),
  });

export const missing = (objectName: string, id: string, param = 'id'): ApiFailure =>
  new ApiFailure(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${objectName}: '${id}'`,
    param,
  });

/** Unknown parameters are a 400 as on Stripe, including the ones the pinned API version removed. */
export function rejectUnknown(body: StripeObject, allowed: readonly string[], prefix = ''): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw invalid(`Received unknown parameter: ${prefix}${key}`, `${prefix}${key}`, 'parameter_unknown');
  }
}

export function positiveInt(value: unknown, param: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw invalid(`Invalid positive integer: ${param}`, param, 'parameter_invalid_integer');
  return n;
}

/** Stripe's metadata limits: 50 keys, keys ≤ 40 and values ≤ 500 characters; an empty value unsets. */
export function metadataParam(value: unknown, param: string): Record<string, string> {
  if (value === undefined || value === '') return {};
  if (!isObj(value)) throw invalid(`Invalid object: ${param}`, param);
  const out: Record<string, string> = {};
  const entries = Object.entries(value);
  if (entries.length > 50) throw invalid('Metadata may have at most 50 keys', param);
  for (const [k, v] of entries) {
    if (typeof v !== 'string') throw invalid(`Invalid string: ${param}[${k}]`, `${param}[${k}]`);
    if (k.length > 40 || v.length > 500) throw invalid('Metadata keys are limited to 40 and values to 500 characters', param);
    if (v !== '') out[k] = v;
  }
  return out;
}
