// InvoiceRepository on DynamoDB Local: invoice numbers (consecutive per clinic under concurrency,
// never consumed by a refused transaction), reads, listings and the optimistic lock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createTestTable, type TestTable } from '#test/helpers/db.ts';
import { InvoiceRepository, INVOICE_PAGE_SIZE, invoiceWriteError, type StoredInvoice } from '#db/invoice-repo.ts';
import { keys } from '#db/keys.ts';
import { readCancellation, StaleReadError, transactionError } from '#db/errors.ts';
import { ConflictError, NotFoundError, ValidationError } from '#domain/errors.ts';
import { applyPayment, newProgramInvoice, totals, type Invoice } from '#domain/invoices.ts';

let t: TestTable;
let repo: InvoiceRepository;

beforeAll(async () => {
  t = await createTestTable();
  repo = new InvoiceRepository(t.doc, t.tableName);
});
afterAll(async () => t.drop());

const T0 = Date.parse('2027-03-01T14:00:00Z');
const MINUTE = 60_000;

const invoice = (id: string, over: { clinicId?: string; clientId?: string; at?: number } = {}): Invoice =>
  newProgramInvoice({
    id,
    clinicId: over.clinicId ?? 'c1',
    clientId: over.clientId ?? 'k1',
    currency: 'USD',
    at: over.at ?? T0,
    package: { id: `pkg-${id}`, programName: 'Six-session program', price: { amount: 120_000, currency: 'USD' } },
  });

const numbersOf = (invoices: StoredInvoice[]) => invoices.map((i) => Number(i.number)).sort((a, b) => a - b);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function counterNext(clinicId: string): Promise<unknown> {
  const res = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: keys.invoiceCounter(clinicId), ConsistentRead: true }));
  return res.Item?.next;
}

describe('invoice numbers', () => {
  it('30 parallel creates for one clinic take the numbers 1..30, each once, and the counter ends at 31', async () => {
    const created = await Promise.all(oneTo(30).map((i) => repo.create(invoice(`par-${i}`, { clinicId: 'c-par' }))));
    expect(numbersOf(created)).toEqual(oneTo(30));
    // what was stored is what create answered: one invoice per number
    const stored = await Promise.all(created.map((c) => repo.require(c.id)));
    expect(stored).toEqual(created);
    expect(numbersOf(stored)).toEqual(oneTo(30));
    expect(await counterNext('c-par')).toBe(31);
    expect(await repo.nextNumber('c-par')).toBe(31);
  });

  it('numbers each clinic on its own, also when clinics create in parallel', async () => {
    const clinicsIds = ['c-a', 'c-b', 'c-c'];
    const created = await Promise.all(
      oneTo(12).flatMap((i) => clinicsIds.map((clinicId) => repo.create(invoice(`${clinicId}-${i}`, { clinicId })))),
    );
    for (const clinicId of clinicsIds) {
      expect(numbersOf(created.filter((c) => c.clinicId === clinicId))).toEqual(oneTo(12));
      expect(await repo.nextNumber(clinicId)).toBe(13);
    }
    // a clinic that has no invoice yet starts at 1, with no counter item
    expect(await repo.nextNumber('c-none')).toBe(1);
    expect(await counterNext('c-none')).toBeUndefined();
    expect((await repo.create(invoice('none-1', { clinicId: 'c-none' }))).number).toBe('1');
  });

  it('a transaction refused for another reason takes no number: the next invoice takes it', async () => {
    await repo.create(invoice('fail-1', { clinicId: 'c-fail' }));
    await repo.create(invoice('fail-2', { clinicId: 'c-fail' }));
    const n = await repo.nextNumber('c-fail');
    expect(n).toBe(3);

    // A caller's own transaction: the invoice's writes plus an item whose condition fails (here a
    // check that a clinic item exists; there is none).
    const writes = repo.invoiceWrites(invoice('fail-refused', { clinicId: 'c-fail' }), n);
    expect(writes.items).toHaveLength(2);
    expect(writes.invoice.number).toBe('3');
    const roles = [...writes.roles, 'clinic'] as const;
    let refusal: unknown;
    try {
      await t.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            ...writes.items,
            { ConditionCheck: { TableName: t.tableName, Key: keys.clinic('c-fail'), ConditionExpression: 'attribute_exists(PK)' } },
          ],
        }),
      );
    } catch (err) {
      refusal = err;
    }
    expect(readCancellation(refusal, roles)?.failed).toEqual(['clinic']);
    // the invoice's roles mean nothing here: the caller's own failure comes back as it came
    expect(transactionError(refusal, roles, invoiceWriteError)).toBe(refusal);

    expect(await repo.get('fail-refused')).toBeNull();
    expect(await counterNext('c-fail')).toBe(3);
    expect(await repo.nextNumber('c-fail')).toBe(3);
    expect((await repo.create(invoice('fail-3', { clinicId: 'c-fail' }))).number).toBe('3');
    // the refused invoice, tried again, takes the number after
    expect((await repo.create(invoice('fail-refused', { clinicId: 'c-fail' }))).number).toBe('4');
  });

  it('writes built on a number taken meanwhile are refused as a stale read, and take nothing', async () => {
    await repo.create(invoice('stale-1', { clinicId: 'c-stale' }));
    const writes = repo.invoiceWrites(invoice('stale-late', { clinicId: 'c-stale' }), 1); // 1 is taken
    const err = await t.doc.send(new TransactWriteCommand({ TransactItems: writes.items })).catch((e: unknown) => e);
    expect(transactionError(err, writes.roles, invoiceWriteError)).toBeInstanceOf(StaleReadError);
    expect(await repo.get('stale-late')).toBeNull();
    expect(await repo.nextNumber('c-stale')).toBe(2);
  });

  it('creating an invoice whose id exists is a conflict and takes no number', async () => {
    await repo.create(invoice('dup', { clinicId: 'c-dup' }));
    await expect(repo.create(invoice('dup', { clinicId: 'c-dup' }))).rejects.toBeInstanceOf(ConflictError);
    expect(await repo.nextNumber('c-dup')).toBe(2);
  });

  it('refuses an invoice that has a number already, and a number below 1', () => {
    expect(() => repo.invoiceWrites({ ...invoice('numbered'), number: '7' }, 1)).toThrow(RangeError);
    expect(() => repo.invoiceWrites(invoice('zero'), 0)).toThrow(RangeError);
    expect(() => repo.invoiceWrites(invoice('half'), 1.5)).toThrow(RangeError);
  });
});

describe('reads', () => {
  it('get and require return the invoice as stored; a missing one is null / NotFoundError', async () => {
    const created = await repo.create(invoice('read-1', { clinicId: 'c-read', clientId: 'k-read' }));
    expect(created).toEqual({ ...invoice('read-1', { clinicId: 'c-read', clientId: 'k-read' }), number: '1', version: 1 });
    expect(await repo.get('read-1')).toEqual(created);
    expect(await repo.require('read-1')).toEqual(created);
    expect(await repo.get('read-missing')).toBeNull();
    await expect(repo.require('read-missing')).rejects.toBeInstanceOf(NotFoundError);
  });

  it("lists a client's invoices newest first, and no one else's", async () => {
    // created out of date order, at two clinics
    await repo.create(invoice('kl-mid', { clinicId: 'c-kl1', clientId: 'k-list', at: T0 + 2 * MINUTE }));
    await repo.create(invoice('kl-new', { clinicId: 'c-kl2', clientId: 'k-list', at: T0 + 3 * MINUTE }));
    await repo.create(invoice('kl-old', { clinicId: 'c-kl1', clientId: 'k-list', at: T0 + MINUTE }));
    await repo.create(invoice('kl-other', { clinicId: 'c-kl1', clientId: 'k-other', at: T0 + 4 * MINUTE }));
    const list = await repo.listByClient('k-list');
    expect(list.map((i) => i.id)).toEqual(['kl-new', 'kl-mid', 'kl-old']);
    expect(list[0]).toEqual(await repo.require('kl-new'));
    expect(await repo.listByClient('k-nobody')).toEqual([]);
  });
});

describe("a clinic's invoices by issue date", () => {
  const CLINIC = 'c-range';
  const FROM = T0 + 10 * MINUTE;
  const TO = T0 + 130 * MINUTE;
  // one invoice a minute from T0 to T0 + 139 min, plus one at TO - 1 ms (in) and another clinic's
  const inRange: string[] = [];

  beforeAll(async () => {
    const all: Invoice[] = oneTo(140).map((i) =>
      invoice(`rg-${String(i - 1).padStart(3, '0')}`, { clinicId: CLINIC, at: T0 + (i - 1) * MINUTE }),
    );
    all.push(invoice('rg-last-ms', { clinicId: CLINIC, at: TO - 1 }));
    // in batches of 10, in parallel: numbering stays per clinic
    for (let i = 0; i < all.length; i += 10) await Promise.all(all.slice(i, i + 10).map((inv) => repo.create(inv)));
    await repo.create(invoice('rg-elsewhere', { clinicId: 'c-range-other', at: FROM + MINUTE }));
    for (const inv of all) if (inv.createdAt >= FROM && inv.createdAt < TO) inRange.push(inv.id);
    inRange.sort((a, b) => {
      const x = all.find((i) => i.id === a)!.createdAt;
      const y = all.find((i) => i.id === b)!.createdAt;
      return x - y;
    });
    expect(inRange).toHaveLength(121);
  });

  it(`pages [from, to) oldest first, at most ${INVOICE_PAGE_SIZE} a page, with an opaque cursor`, async () => {
    const first = await repo.listByClinic(CLINIC, FROM, TO);
    expect(first.invoices).toHaveLength(INVOICE_PAGE_SIZE);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(first.nextCursor).not.toMatch(/INVOICE|CLINIC|rg-/);
    const second = await repo.listByClinic(CLINIC, FROM, TO, first.nextCursor);
    expect(second.invoices).toHaveLength(21);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.invoices, ...second.invoices].map((i) => i.id);
    expect(ids).toEqual(inRange);
    expect(ids.at(-1)).toBe('rg-last-ms');
    expect(second.invoices.at(-1)).toEqual(await repo.require('rg-last-ms'));
    // all of the clinic's invoices, page by page: numbers 1..141, whatever their dates
    const all: StoredInvoice[] = [];
    let cursor: string | null = null;
    do {
      const page: { invoices: StoredInvoice[]; nextCursor: string | null } = await repo.listByClinic(CLINIC, 0, T0 + 1000 * MINUTE, cursor);
      all.push(...page.invoices);
      cursor = page.nextCursor;
    } while (cursor);
    expect(numbersOf(all)).toEqual(oneTo(141));
  });

  it('with a filter, pages are filled from as many reads as it takes; the cursor goes on from the last kept', async () => {
    // every other invoice of the range: 61 of its 121, kept from two reads
    const even = (i: StoredInvoice) => Number(i.id.slice(3)) % 2 === 0;
    const wanted = inRange.filter((id) => id.startsWith('rg-') && /^\d+$/.test(id.slice(3)) && Number(id.slice(3)) % 2 === 0);
    const one = await repo.listByClinic(CLINIC, FROM, TO, null, even);
    expect(one.invoices.map((i) => i.id)).toEqual(wanted);
    expect(one.nextCursor).toBeNull();
    // a page's worth kept from several reads: the whole clinic, one in three
    const third = (i: StoredInvoice) => /^rg-\d+$/.test(i.id) && Number(i.id.slice(3)) % 3 === 0;
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: { invoices: StoredInvoice[]; nextCursor: string | null } = await repo.listByClinic(
        CLINIC,
        0,
        T0 + 1000 * MINUTE,
        cursor,
        third,
      );
      pages.push(page.invoices.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    // 140 invoices rg-000..rg-139, 47 of them divisible by 3: one page, read through to the end
    expect(pages).toEqual([
      oneTo(140)
        .map((i) => i - 1)
        .filter((n) => n % 3 === 0)
        .map((n) => `rg-${String(n).padStart(3, '0')}`),
    ]);
    // nothing kept: one answer, empty, no cursor (the range is read to its end)
    expect(await repo.listByClinic(CLINIC, FROM, TO, null, () => false)).toEqual({ invoices: [], nextCursor: null });
  });

  it('a filtered page of 100 is followed by a cursor from its last invoice, not from where reading stopped', async () => {
    const all = (await repo.listByClinic(CLINIC, 0, T0 + 1000 * MINUTE)).invoices; // the first 100, oldest first
    const skipFirst = (i: StoredInvoice) => i.id !== all[0]!.id;
    const first = await repo.listByClinic(CLINIC, 0, T0 + 1000 * MINUTE, null, skipFirst);
    expect(first.invoices.map((i) => i.id)).toEqual([...all.slice(1).map((i) => i.id), expect.any(String)]);
    const rest = await repo.listByClinic(CLINIC, 0, T0 + 1000 * MINUTE, first.nextCursor, skipFirst);
    expect(rest.invoices).toHaveLength(141 - 1 - INVOICE_PAGE_SIZE);
    expect(new Set([...first.invoices, ...rest.invoices].map((i) => i.id)).size).toBe(140);
    expect(rest.nextCursor).toBeNull();
  });

  it('a range holding exactly one page has no cursor; an empty range is empty', async () => {
    const page = await repo.listByClinic(CLINIC, FROM, FROM + INVOICE_PAGE_SIZE * MINUTE);
    expect(page.invoices).toHaveLength(INVOICE_PAGE_SIZE);
    expect(page.nextCursor).toBeNull();
    expect(await repo.listByClinic(CLINIC, T0 - 60 * MINUTE, T0)).toEqual({ invoices: [], nextCursor: null });
    expect(await repo.listByClinic('c-range-none', FROM, TO)).toEqual({ invoices: [], nextCursor: null });
  });

  it('refuses a cursor that is not one, or not of this range', async () => {
    const { nextCursor } = await repo.listByClinic(CLINIC, FROM, TO);
    await expect(repo.listByClinic(CLINIC, FROM, TO, 'not a cursor!')).rejects.toBeInstanceOf(ValidationError);
    await expect(repo.listByClinic(CLINIC, FROM, TO, Buffer.from('INVOICE#x').toString('base64url'))).rejects.toBeInstanceOf(
      ValidationError,
    );
    // a cursor of this range, used with a range that ends before it
    await expect(repo.listByClinic(CLINIC, FROM, FROM + MINUTE, nextCursor)).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('replace', () => {
  const pay = (inv: Invoice, reference: string, at = T0 + MINUTE) =>
    applyPayment(inv, { reference, amount: { amount: 20_000, currency: 'USD' }, at, method: 'card' });

  it('writes the change on the version read, and a stale version is refused', async () => {
    const v1 = await repo.create(invoice('rep-1', { clinicId: 'c-rep' }));
    const v2 = await repo.replace(v1, pay(v1, 'pi_1'));
    expect(v2.version).toBe(2);
    expect(v2.number).toBe(v1.number);
    expect(await repo.require('rep-1')).toEqual(v2);
    expect(totals(v2).paid).toBe(20_000);

    // a writer that read version 1 loses
    await expect(repo.replace(v1, pay(v1, 'pi_2'))).rejects.toBeInstanceOf(StaleReadError);
    expect(await repo.require('rep-1')).toEqual(v2);

    // re-read, apply again: both payments stand
    const fresh = await repo.require('rep-1');
    const v3 = await repo.replace(fresh, pay(fresh, 'pi_2'));
    expect(v3.version).toBe(3);
    expect((await repo.require('rep-1')).payments.map((p) => p.reference)).toEqual(['pi_1', 'pi_2']);
    // the listings read the replaced item
    expect((await repo.listByClient('k1')).find((i) => i.id === 'rep-1')).toEqual(v3);
  });

  it('a change already recorded (the same object) writes nothing; the keys and number never change', async () => {
    const v1 = await repo.create(invoice('rep-2', { clinicId: 'c-rep' }));
    const v2 = await repo.replace(v1, pay(v1, 'pi_1'));
    expect(await repo.replace(v2, pay(v2, 'pi_1'))).toBe(v2); // a redelivered payment
    expect((await repo.require('rep-2')).version).toBe(2);
    await expect(repo.replace(v2, { ...v2, number: '99' })).rejects.toBeInstanceOf(RangeError);
    await expect(repo.replace(v2, { ...v2, clinicId: 'c-other' })).rejects.toBeInstanceOf(RangeError);
    await expect(repo.replace(v2, { ...v2, createdAt: v2.createdAt + 1 })).rejects.toBeInstanceOf(RangeError);
  });
});
