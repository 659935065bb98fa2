// Small helpers every part of the stub uses: ids, copies, and typed reads of decoded objects.
import { randomBytes } from 'node:crypto';
import type { StripeObject } from './types.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A Stripe-looking id: `${prefix}_` and `length` random letters and digits. */
export function randomId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${out}`;
}

export const clone = <T>(value: T): T => structuredClone(value);

export function isObj(value: unknown): value is StripeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const objAt = (o: StripeObject, key: string): StripeObject | undefined => (isObj(o[key]) ? o[key] : undefined);
export const strAt = (o: StripeObject, key: string): string | undefined => (typeof o[key] === 'string' ? o[key] : undefined);
export const listAt = (o: StripeObject, key: string): unknown[] | undefined => (Array.isArray(o[key]) ? (o[key] as unknown[]) : undefined);
