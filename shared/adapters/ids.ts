import { createHash, randomUUID } from 'node:crypto';

export type IdGenerator = (prefix: string) => string;

/** Opaque ids: a short type prefix for humans reading logs, then a random UUID. */
export const newId: IdGenerator = (prefix) => `${prefix}_${randomUUID().replace(/-/g, '')}`;

/**
 * Ids that every attempt of one request shares: derived from `seed` (who sent it, the route and
 * its Idempotency-Key), one per prefix. A retry of a write whose answer was lost then names the
 * very record the lost attempt made, and can recognise it (AppointmentService.book).
 */
export function keyedIds(seed: string): IdGenerator {
  return (prefix) => `${prefix}_${createHash('sha256').update(`${seed}\n${prefix}`).digest('hex').slice(0, 32)}`;
}
