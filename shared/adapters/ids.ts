import { randomUUID } from 'node:crypto';

export type IdGenerator = (prefix: string) => string;

/** Opaque ids: a short type prefix for humans reading logs, then a random UUID. */
export const newId: IdGenerator = (prefix) => `${prefix}_${randomUUID().replace(/-/g, '')}`;
