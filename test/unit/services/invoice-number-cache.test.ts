// InvoiceNumberCache with a fake repository: the counter is read only when the instance does not
// know the clinic's next number, a committed number moves it on (never back), and a number the
// counter refused is forgotten so that the next booking reads it again.
import { describe, expect, it } from 'vitest';
import type { InvoiceRepository } from '#db/invoice-repo.ts';
import { InvoiceNumberCache } from '#services/invoice-number-cache.ts';
import { calls, fake } from './fakes.ts';

function setup(counter: Record<string, number>) {
  const repo = fake<InvoiceRepository>('invoices', { nextNumber: async (clinicId: string) => counter[clinicId] ?? 1 });
  return { cache: new InvoiceNumberCache(repo), reads: calls(repo, 'nextNumber') };
}

describe('InvoiceNumberCache', () => {
  it('reads a clinic’s counter once, then answers from memory; each clinic on its own', async () => {
    const { cache, reads } = setup({ c1: 7 });
    expect(await cache.get('c1')).toBe(7);
    expect(await cache.get('c1')).toBe(7);
    expect(await cache.get('c2')).toBe(1);
    expect(reads.mock.calls).toEqual([['c1'], ['c2']]);
  });

  it('a committed number moves the next one on, without a read', async () => {
    const { cache, reads } = setup({ c1: 7 });
    await cache.get('c1');
    cache.taken('c1', 7);
    expect(await cache.get('c1')).toBe(8);
    // a number taken by an unknown clinic is remembered too
    cache.taken('c3', 4);
    expect(await cache.get('c3')).toBe(5);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('never moves back: a slower request of the same instance committing an earlier number', async () => {
    const { cache } = setup({});
    cache.taken('c1', 9);
    cache.taken('c1', 8);
    expect(await cache.get('c1')).toBe(10);
  });

  it('a refused number is forgotten: the next get reads the counter again', async () => {
    const counter: Record<string, number> = { c1: 3 };
    const { cache, reads } = setup(counter);
    expect(await cache.get('c1')).toBe(3);
    counter.c1 = 5; // another instance took 3 and 4
    cache.invalidate('c1');
    expect(await cache.get('c1')).toBe(5);
    expect(reads).toHaveBeenCalledTimes(2);
  });
});
