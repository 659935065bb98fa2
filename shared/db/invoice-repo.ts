// Invoices (shared/domain/invoices.ts) as stored, and their numbers.
//
// One item per invoice (`INVOICE#<id>` / `INVOICE`), the domain value as it is plus `version`
// (optimistic locking), listed through two existing indexes with new key shapes: GSI1 a client's
// invoices, GSI2 a clinic's invoices, both by issue date (the invoice's `createdAt`).
//
// Numbers: consecutive integers per clinic from 1, with no gap and no repeat under any
// concurrency. A counter item per clinic (`CLINIC#<id>` / `INVOICE_COUNTER`) holds `next`, the
// number the next invoice takes. The transaction that puts an invoice also moves `next` on by
// one, on the condition that it still holds the number the invoice took. So:
//  - two writers that read the same `next` cannot both commit: the loser's condition fails, it
//    re-reads the counter and tries again (StaleReadError, withOptimisticRetry);
//  - a transaction refused for any reason (a condition of another of its items, contention,
//    throttling) moves nothing, so the number it meant to take is still the next one;
//  - an invoice never exists without its number, nor a number without its invoice.
// A caller that puts an invoice together with its own items (a self-pay booking) adds
// `invoiceWrites(invoice, n)` to its transaction, with `n` from `nextNumber`, and maps a failed
// condition among those items with `invoiceWriteError`. A caller that changes an invoice together
// with its own items (a cancelled, no-show or moved self-pay appointment) adds `replaceWrites` the
// same way: the invoice Put on its version read, whose failed condition is a stale read.
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { refundDue, refundState, type Invoice, type RefundJobState } from '#domain/invoices.ts';
import { ConflictError, NotFoundError, ValidationError } from '#domain/errors.ts';
import { keys } from './keys.ts';
import { queryAll } from './query-all.ts';
import { StaleReadError, backoff, isConditionalFailure, transactionError, withOptimisticRetry } from './errors.ts';
import { stripKeys } from './clinic-repo.ts';

type WriteItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** An invoice as stored: numbered, with the version its optimistic lock is on. */
export type StoredInvoice = Invoice & { number: string; version: number };

/**
 * The roles of the items `invoiceWrites` gives, in their order ('invoice_counter', 'invoice'), and
 * of the one `replaceWrites` gives ('invoice_version'); see transactionError.
 */
export type InvoiceWriteRole = 'invoice_counter' | 'invoice' | 'invoice_version' | 'refund_todo';

export interface InvoiceWrites {
  /** The invoice as it is stored once the transaction commits (numbered; version 1 when new). */
  invoice: StoredInvoice;
  /**
   * The items to add to a TransactWriteItems: the counter Update and the invoice Put (invoiceWrites),
   * or the invoice Put on its version, or nothing when unchanged (replaceWrites).
   */
  items: WriteItem[];
  /** The role of each item of `items`, same order. */
  roles: InvoiceWriteRole[];
}

/** A clinic listing's page: at most this many invoices. */
export const INVOICE_PAGE_SIZE = 100;

/** At most this many reads of the index fill one filtered page of listByClinic (10 × 101 invoices). */
export const INVOICE_MAX_READS = 10;

/**
 * A page of the ledger export's read (issuedBefore). With a Limit, DynamoDB stops at this many
 * items (or 1 MB, whichever comes first: about 1,000 invoices); without one, DynamoDB Local reads
 * the whole partition for every 1 MB page (measured: 50,000 invoices, 340 ms a page instead of
 * 35). 500 keeps each page, and what of it outlives the next await, small.
 */
const LEDGER_PAGE_SIZE = 500;

/**
 * Attempts of `create` before a 503. A clinic's numbers are taken one at a time, so of the writers
 * racing for one number all but one retry: 30 creates at once for one clinic on DynamoDB Local took
 * up to 9 attempts each (median 6). Twice withOptimisticRetry's default, for bursts a clinic's usual
 * pace never reaches; the backoff (capped at 400 ms) then stays within a function's 10 s timeout.
 */
export const NUMBERING_ATTEMPTS = 24;

/** How an invoice number is written on the invoice (the domain carries it as a string). */
const formatNumber = (n: number): string => String(n);

/**
 * The clinic's counter no longer held the number the invoice meant to take: another invoice took
 * it first. A StaleReadError (withOptimisticRetry retries it) that says which read was stale, so a
 * caller that keeps the next number in memory drops it and re-reads the counter.
 */
export class InvoiceNumberTakenError extends StaleReadError {}

/**
 * What a failed condition among an invoice's writes means, for `transactionError`'s `onCondition`
 * (it may be given the roles of the caller's own items too; they are left to the caller):
 *  - the counter: another invoice took the number first. An InvoiceNumberTakenError (a
 *    StaleReadError): re-read the counter (`nextNumber`) and build the transaction again
 *    (withOptimisticRetry).
 *  - the invoice: an invoice with this id exists already (a create retried after it committed).
 *    A ConflictError. Checked after the counter, whose refusal is the one to retry.
 *  - the invoice's version (replaceWrites): it changed since it was read. A StaleReadError: re-read
 *    it and apply the change again (withOptimisticRetry).
 */
export function invoiceWriteError(failed: readonly unknown[]): Error | undefined {
  if (failed.includes('invoice_counter')) return new InvoiceNumberTakenError();
  if (failed.includes('invoice')) return new ConflictError('The invoice exists already');
  if (failed.includes('invoice_version')) return new StaleReadError();
  return undefined;
}

const badCursor = () => new ValidationError([{ path: 'cursor', message: 'Not a valid cursor' }]);

/** An invoice listing's sort key (`<iso createdAt>#<invoiceId>`): the instant, then the id. */
const SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#(.+)$/;

export class InvoiceRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The number the clinic's next invoice takes, read consistently: 1 before its first. */
  async nextNumber(clinicId: string): Promise<number> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.invoiceCounter(clinicId), ConsistentRead: true }));
    const next = res.Item?.next as unknown;
    return typeof next === 'number' ? next : 1;
  }

  /**
   * The two items that store `invoice` as number `expectedNumber` of its clinic: the counter
   * Update (`next` from `expectedNumber` to `expectedNumber + 1`, on `next = expectedNumber`, or
   * on no counter yet for 1) and the invoice Put (`attribute_not_exists`). The transaction they go
   * in commits both or neither; map its failure with `transactionError(err, roles, …)` and
   * `invoiceWriteError`.
   */
  invoiceWrites(invoice: Invoice, expectedNumber: number): InvoiceWrites {
    if (!Number.isSafeInteger(expectedNumber) || expectedNumber < 1) {
      throw new RangeError(`An invoice number is a whole number from 1: ${expectedNumber}`);
    }
    if (invoice.number !== null) throw new RangeError(`Invoice ${invoice.id} has a number already`);
    const stored: StoredInvoice = { ...invoice, number: formatNumber(expectedNumber), version: 1 };
    const first = expectedNumber === 1;
    const counter: WriteItem = {
      Update: {
        TableName: this.table,
        Key: keys.invoiceCounter(invoice.clinicId),
        UpdateExpression: 'SET #next = :after, #type = :type, clinicId = :clinicId',
        ConditionExpression: first ? 'attribute_not_exists(#next)' : '#next = :expected',
        ExpressionAttributeNames: { '#next': 'next', '#type': 'type' },
        ExpressionAttributeValues: {
          ':after': expectedNumber + 1,
          ':type': 'invoice_counter',
          ':clinicId': invoice.clinicId,
          ...(first ? {} : { ':expected': expectedNumber }),
        },
      },
    };
    const put: WriteItem = { Put: { TableName: this.table, Item: this.item(stored), ConditionExpression: 'attribute_not_exists(PK)' } };
    return { invoice: stored, items: [counter, put], roles: ['invoice_counter', 'invoice'] };
  }

  /**
   * Stores a new invoice (`number` null) under its clinic's next number, and returns it numbered:
   * read the counter, then one transaction of the counter and the invoice; a number taken in
   * between is re-read and tried again. ConflictError if the invoice's id is taken.
   */
  async create(invoice: Invoice): Promise<StoredInvoice> {
    return withOptimisticRetry(async () => {
      const writes = this.invoiceWrites(invoice, await this.nextNumber(invoice.clinicId));
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: writes.items }));
      } catch (err) {
        throw transactionError(err, writes.roles, invoiceWriteError);
      }
      return writes.invoice;
    }, NUMBERING_ATTEMPTS);
  }

  async get(invoiceId: string): Promise<StoredInvoice | null> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.invoice(invoiceId), ConsistentRead: true }));
    return res.Item ? stripKeys<StoredInvoice>(res.Item) : null;
  }

  async require(invoiceId: string): Promise<StoredInvoice> {
    const invoice = await this.get(invoiceId);
    if (!invoice) throw new NotFoundError('invoice');
    return invoice;
  }

  /**
   * Replaces the invoice if its version is still the one read (`before`): StaleReadError if not
   * (re-read and apply the change again). `after` is `before` changed by the domain's functions;
   * the same object (the change was recorded already) writes nothing. What keys and numbers the
   * invoice (id, number, clinic, client, createdAt) and its currency may not change: RangeError.
   */
  async replace(before: StoredInvoice, after: Invoice): Promise<StoredInvoice> {
    const writes = this.replaceWrites(before, after);
    const [put] = writes.items;
    if (!put?.Put) return writes.invoice;
    try {
      if (writes.items.length === 1) await this.doc.send(new PutCommand(put.Put));
      else await this.doc.send(new TransactWriteCommand({ TransactItems: writes.items }));
    } catch (err) {
      if (isConditionalFailure(err)) throw new StaleReadError();
      throw transactionError(err, writes.roles, invoiceWriteError);
    }
    return writes.invoice;
  }

  /**
   * `replace` as items of the caller's own transaction: the invoice Put on the version read (role
   * 'invoice_version'; map a failed condition with `invoiceWriteError`, a StaleReadError), or no
   * item when `after` is `before` (nothing to record). Same checks as `replace`.
   */
  replaceWrites(before: StoredInvoice, after: Invoice): InvoiceWrites {
    if (after === before) return { invoice: before, items: [], roles: [] };
    for (const field of ['id', 'number', 'clinicId', 'clientId', 'createdAt', 'currency'] as const) {
      if (after[field] !== before[field]) throw new RangeError(`An invoice's ${field} does not change`);
    }
    const owedBefore = refundDue(before) > 0;
    const owedAfter = refundDue(after) > 0;
    // nothing owed back any more: the job's state goes with the debt
    const settled = owedBefore && !owedAfter ? { refundJob: undefined } : {};
    const next: StoredInvoice = { ...after, ...settled, number: before.number, version: before.version + 1 };
    const put: WriteItem = {
      Put: {
        TableName: this.table,
        Item: this.item(next),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': before.version },
      },
    };
    const items: WriteItem[] = [put];
    const roles: InvoiceWriteRole[] = ['invoice_version'];
    // The refund job's to-do entry starts and ends with the debt, in the same transaction.
    if (!owedBefore && owedAfter) {
      items.push({ Put: { TableName: this.table, Item: this.todoItem(next.id, 0) } });
      roles.push('refund_todo');
    } else if (owedBefore && !owedAfter) {
      items.push({ Delete: { TableName: this.table, Key: keys.refundTodo(next.id) } });
      roles.push('refund_todo');
    }
    return { invoice: next, items, roles };
  }

  /**
   * Invoices whose refund the job is to try by `now`, oldest first, at most `limit` (GSI1;
   * eventually consistent: the job reads each invoice again before acting).
   */
  async refundsDue(now: number, limit = 50): Promise<string[]> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK <= :now',
        ExpressionAttributeValues: { ':pk': keys.refundTodoPartition().GSI1PK, ':now': `${keys.instantUpperBound(now)}` },
        Limit: limit,
      }),
    );
    return (res.Items ?? []).map((i) => String(i.invoiceId));
  }

  /**
   * Drops the to-do entry of an invoice that owes nothing any more, as long as the invoice is
   * still at the version read (a change meanwhile may have started a new debt: StaleReadError).
   */
  async dropRefundTodo(invoice: StoredInvoice): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.table,
                Key: keys.invoice(invoice.id),
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': invoice.version },
              },
            },
            { Delete: { TableName: this.table, Key: keys.refundTodo(invoice.id) } },
          ],
        }),
      );
    } catch (err) {
      throw transactionError(err, ['invoice_version', 'refund_todo'] as InvoiceWriteRole[], invoiceWriteError);
    }
  }

  /**
   * The job is to try the refund again at `dueAt`: after a failed attempt (its backoff), or when
   * finance hands back a refund it gave up on. The invoice records the job's state (on its version)
   * and the to-do entry waits in the due index until then.
   */
  async refundDueAgain(before: StoredInvoice, state: RefundJobState, dueAt: number): Promise<StoredInvoice> {
    return this.writeRefundState(before, state, { Put: { TableName: this.table, Item: this.todoItem(before.id, dueAt) } });
  }

  /**
   * The job gives up: the invoice says so (its refund shows as dead-lettered) and the to-do entry
   * leaves the due index for the clinic's list of refunds given up on (givenUpRefunds).
   */
  async refundDeadLettered(before: StoredInvoice, state: RefundJobState & { deadLetteredAt: number }): Promise<StoredInvoice> {
    return this.writeRefundState(before, state, {
      Put: {
        TableName: this.table,
        Item: {
          ...keys.refundTodo(before.id),
          ...keys.refundGivenUp(before.clinicId, state.deadLetteredAt, before.id),
          type: 'refund_todo',
          invoiceId: before.id,
          deadLettered: true,
        },
      },
    });
  }

  /**
   * A clinic's invoices whose refund the job gave up on, oldest given up first (GSI1, eventually
   * consistent; each invoice then read consistently, and kept only while still given up on).
   */
  async givenUpRefunds(clinicId: string): Promise<StoredInvoice[]> {
    const ids: string[] = [];
    const items = queryAll(this.doc, {
      TableName: this.table,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.refundGivenUpPartition(clinicId).GSI1PK },
    });
    for await (const item of items) ids.push(String(item.invoiceId));
    const byId = new Map((await this.getMany(ids)).map((i) => [i.id, i]));
    return ids.map((id) => byId.get(id)).filter((i): i is StoredInvoice => i !== undefined && refundState(i) === 'dead_lettered');
  }

  private async writeRefundState(before: StoredInvoice, state: RefundJobState, todo: WriteItem): Promise<StoredInvoice> {
    const writes = this.replaceWrites(before, { ...before, refundJob: state });
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: [...writes.items, todo] }));
    } catch (err) {
      throw transactionError(err, [...writes.roles, 'refund_todo'], invoiceWriteError);
    }
    return writes.invoice;
  }

  private todoItem(invoiceId: string, dueAt: number): Record<string, unknown> {
    return { ...keys.refundTodo(invoiceId), ...keys.refundTodoDue(dueAt, invoiceId), type: 'refund_todo', invoiceId, dueAt };
  }

  /** Several invoices by id, read consistently in batches of 100; the ones not found are left out. */
  async getMany(invoiceIds: string[]): Promise<StoredInvoice[]> {
    const out: StoredInvoice[] = [];
    for (let i = 0; i < invoiceIds.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
        [this.table]: { Keys: invoiceIds.slice(i, i + 100).map((id) => keys.invoice(id)), ConsistentRead: true },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        const res = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of res.Responses?.[this.table] ?? []) out.push(stripKeys<StoredInvoice>(item));
        request = res.UnprocessedKeys as typeof request;
        if (request && Object.keys(request).length > 0) await backoff(attempt);
      }
    }
    return out;
  }

  /** A client's invoices, newest first (GSI1; eventually consistent). */
  async listByClient(clientId: string): Promise<StoredInvoice[]> {
    const out: StoredInvoice[] = [];
    const items = queryAll(this.doc, {
      TableName: this.table,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.clientInvoicesPartition(clientId).GSI1PK },
      ScanIndexForward: false,
    });
    for await (const item of items) out.push(stripKeys<StoredInvoice>(item));
    return out;
  }

  /**
   * A clinic's invoices issued in [from, to) (epoch ms), oldest first (then by id), at most
   * INVOICE_PAGE_SIZE a page (GSI2; eventually consistent). `nextCursor` is null on the last page;
   * otherwise pass it back, with the same clinic and range, for the next. A cursor that is not one
   * of this range's is a ValidationError.
   *
   * With `keep` (a status filter: status is derived, not stored, so no FilterExpression can say
   * it), only the invoices it keeps, and the page is filled: reading goes on until a page's worth
   * is kept or the range ends, so a filtered page is short only on the last page, or when
   * INVOICE_MAX_READS reads of the index (a bound on one request's time) found fewer. The cursor
   * is then where reading stopped.
   */
  async listByClinic(
    clinicId: string,
    from: number,
    to: number,
    cursor?: string | null,
    keep: (invoice: StoredInvoice) => boolean = () => true,
    /** Names the `keep` filter (e.g. the status asked for): a cursor is valid only for the same one. */
    filterName = '',
  ): Promise<{ invoices: StoredInvoice[]; nextCursor: string | null }> {
    const partition = keys.clinicInvoicesPartition(clinicId);
    const lower = keys.instantBound(from);
    // an invoice issued exactly at `to` - 1 ms is in
    const upper = keys.instantUpperBound(to - 1);
    // a cursor names the listing it belongs to: the clinic, the range and the filter
    const scope = [clinicId, lower, upper, filterName].join('\n');
    const encodeCursor = (sortKey: unknown) => Buffer.from(`${scope}\n${String(sortKey)}`, 'utf8').toString('base64url');
    let start = cursor === undefined || cursor === null ? undefined : this.startKey(cursor, scope, partition, lower, upper);
    const kept: Array<{ invoice: StoredInvoice; sortKey: unknown }> = [];
    for (let reads = 0; reads < INVOICE_MAX_READS; reads++) {
      // One more than the page: whether a next page exists is known without an empty last page.
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': partition.GSI2PK, ':from': lower, ':to': upper },
          Limit: INVOICE_PAGE_SIZE + 1,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of res.Items ?? []) {
        const invoice = stripKeys<StoredInvoice>(item);
        if (keep(invoice)) kept.push({ invoice, sortKey: item.GSI2SK });
      }
      if (kept.length > INVOICE_PAGE_SIZE) {
        const page = kept.slice(0, INVOICE_PAGE_SIZE);
        return { invoices: page.map((k) => k.invoice), nextCursor: encodeCursor(page[page.length - 1]!.sortKey) };
      }
      // the range read to its end (a short read with a LastEvaluatedKey: the 1 MB response limit)
      if (!res.LastEvaluatedKey) return { invoices: kept.map((k) => k.invoice), nextCursor: null };
      start = res.LastEvaluatedKey as Record<string, string>;
    }
    return { invoices: kept.map((k) => k.invoice), nextCursor: encodeCursor(start!.GSI2SK) };
  }

  /**
   * Every invoice of a clinic issued before `before` (epoch ms, exclusive), oldest first, a page of
   * LEDGER_PAGE_SIZE at a time (GSI2; eventually consistent). The next page is asked for as soon as
   * a page arrives, so reading overlaps with what the caller does with the page; at most two pages
   * are held. For the ledger export (shared/services/export-job.ts), which streams a clinic's whole
   * history: never a Scan.
   */
  async *issuedBefore(clinicId: string, before: number): AsyncGenerator<StoredInvoice[]> {
    const page = (start: Record<string, unknown> | undefined) =>
      this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK <= :to',
          Limit: LEDGER_PAGE_SIZE,
          ExpressionAttributeValues: { ':pk': keys.clinicInvoicesPartition(clinicId).GSI2PK, ':to': keys.instantUpperBound(before - 1) },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
    let next: ReturnType<typeof page> | undefined = page(undefined);
    while (next) {
      const res: Awaited<ReturnType<typeof page>> = await next;
      next = res.LastEvaluatedKey ? page(res.LastEvaluatedKey) : undefined;
      // a page asked for ahead must not go unhandled if the caller stops early
      next?.catch(() => undefined);
      yield (res.Items ?? []).map((i) => stripKeys<StoredInvoice>(i));
    }
  }

  private item(invoice: StoredInvoice): Record<string, unknown> {
    return {
      ...keys.invoice(invoice.id),
      ...keys.invoiceByClinic(invoice.clinicId, invoice.createdAt, invoice.id),
      ...keys.invoiceByClient(invoice.clientId, invoice.createdAt, invoice.id),
      type: 'invoice',
      ...invoice,
    };
  }

  /** The ExclusiveStartKey a cursor stands for: the GSI2 sort key of the last invoice returned, in this listing. */
  private startKey(cursor: string, scope: string, partition: { GSI2PK: string }, lower: string, upper: string): Record<string, string> {
    if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) throw badCursor();
    const text = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!text.startsWith(`${scope}\n`)) throw badCursor();
    const sortKey = text.slice(scope.length + 1);
    const id = SORT_KEY.exec(sortKey)?.[1];
    if (id === undefined || sortKey < lower || sortKey > upper) throw badCursor();
    return { ...keys.invoice(id), ...partition, GSI2SK: sortKey };
  }
}
