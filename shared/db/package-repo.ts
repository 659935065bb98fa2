// Packages (a client's purchase of a program) and the Stripe events the webhook has seen.
//
// The package item is the one source of truth; the client's partition holds a small index
// entry (id, clinic, status) written in the same transaction as every status change, so the
// installment eligibility check ("no package of this client past due") is one consistent Query.
// Credits are counted on the package item by update expressions inside the booking transaction
// (AppointmentRepository), conditioned so that they can never go below zero.
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Package, PackageStatus } from '#domain/packages.ts';
import { NotFoundError } from '#domain/errors.ts';
import { keys } from './keys.ts';
import { StaleReadError, backoff, transactionError } from './errors.ts';
import { ConditionalLock } from './conditional-lock.ts';
import { stripKeys } from './clinic-repo.ts';
import { invoiceWriteError, type InvoiceWrites } from './invoice-repo.ts';

export interface ClientPackageEntry {
  packageId: string;
  clinicId: string;
  status: PackageStatus;
}

/** Seen events are kept a month: longer than Stripe retries a delivery (3 days). */
const EVENT_TTL_SECONDS = 30 * 86_400;
/** A claim older than this is from a crashed delivery and may be taken over. */
const EVENT_CLAIM_SECONDS = 60;

export class PackageRepository {
  /** The Stripe-event claim: the same conditional-put lock as Idempotency-Keys (./conditional-lock.ts). */
  private readonly lock: ConditionalLock;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.lock = new ConditionalLock(doc, table);
  }

  private items(pkg: Package) {
    return [
      { ...keys.package(pkg.id), type: 'package', ...pkg },
      {
        ...keys.clientPackage(pkg.clientId, pkg.id),
        type: 'client_package',
        packageId: pkg.id,
        clinicId: pkg.clinicId,
        status: pkg.status,
      },
    ];
  }

  /**
   * Stores a new package, and with it, in the same transaction, the writes of its invoice
   * (InvoiceRepository.invoiceWrites): a package never exists without its invoice, nor the
   * reverse. A number taken meanwhile is an InvoiceNumberTakenError (re-read it and try again).
   */
  async create(pkg: Package, invoice?: InvoiceWrites): Promise<void> {
    const [main, entry] = this.items(pkg);
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: main, ConditionExpression: 'attribute_not_exists(PK)' } },
            { Put: { TableName: this.table, Item: entry } },
            ...(invoice?.items ?? []),
          ],
        }),
      );
    } catch (err) {
      // a taken package id is a bug (ids are generated), not something to tell the caller
      throw transactionError(err, ['package', 'entry', ...(invoice?.roles ?? [])], invoiceWriteError);
    }
  }

  async get(packageId: string): Promise<Package | null> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.package(packageId), ConsistentRead: true }));
    return res.Item ? stripKeys<Package>(res.Item) : null;
  }

  async require(packageId: string): Promise<Package> {
    const pkg = await this.get(packageId);
    if (!pkg) throw new NotFoundError('package');
    return pkg;
  }

  /** Several packages by id (the revenue report's), read consistently in batches of 100; the ones not found are left out. */
  async getMany(packageIds: readonly string[]): Promise<Package[]> {
    const out: Package[] = [];
    const ids = [...new Set(packageIds)];
    for (let i = 0; i < ids.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
        [this.table]: { Keys: ids.slice(i, i + 100).map((id) => keys.package(id)), ConsistentRead: true },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        const res = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of res.Responses?.[this.table] ?? []) out.push(stripKeys<Package>(item));
        request = res.UnprocessedKeys as typeof request;
        if (request && Object.keys(request).length > 0) await backoff(attempt);
      }
    }
    return out;
  }

  /**
   * Replaces the package if its version is still the one read. Only the fields given in `after`
   * change; credit counts are written as read, so the condition on the version (which every
   * credit update bumps) keeps a concurrent booking's count.
   */
  async replace(before: Package, after: Package, invoice?: InvoiceWrites): Promise<Package> {
    const next = { ...after, version: before.version + 1 };
    const [main, entry] = this.items(next);
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: main,
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': before.version },
              },
            },
            { Put: { TableName: this.table, Item: entry } },
            // the package's invoice on the version read (InvoiceRepository.replaceWrites), when it changes too
            ...(invoice?.items ?? []),
          ],
        }),
      );
    } catch (err) {
      throw transactionError(err, ['package', 'entry', ...(invoice?.roles ?? [])], (failed) =>
        failed.includes('package') ? new StaleReadError() : invoiceWriteError(failed),
      );
    }
    return next;
  }

  /** The client's packages (index entries), read consistently. */
  async ofClient(clientId: string): Promise<ClientPackageEntry[]> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
        ExpressionAttributeValues: { ':pk': keys.client(clientId).PK, ':sk': keys.clientPackagePrefix() },
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []).map((i) => ({
      packageId: i.packageId as string,
      clinicId: i.clinicId as string,
      status: i.status as PackageStatus,
    }));
  }

  /**
   * Claims a Stripe event for processing. 'new': process it; 'done': already processed;
   * 'busy': another delivery is processing it right now.
   */
  async claimEvent(eventId: string, type: string, now: number): Promise<'new' | 'done' | 'busy'> {
    const nowS = Math.floor(now / 1000);
    const outcome = await this.lock.claim({
      item: {
        ...keys.stripeEvent(eventId),
        type: 'stripe_event',
        eventType: type,
        state: 'processing',
        claimedAt: nowS,
        expiresAt: nowS + EVENT_TTL_SECONDS,
      },
      // a claim left by a crashed delivery
      takeOver: {
        condition: '#state = :processing AND claimedAt < :stale',
        names: { '#state': 'state' },
        values: { ':processing': 'processing', ':stale': nowS - EVENT_CLAIM_SECONDS },
      },
    });
    if (outcome.claimed) return 'new';
    return outcome.holder.state === 'done' ? 'done' : 'busy';
  }

  async finishEvent(eventId: string, now: number): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.stripeEvent(eventId), type: 'stripe_event', state: 'done', expiresAt: Math.floor(now / 1000) + EVENT_TTL_SECONDS },
      }),
    );
  }

  /** A failed processing gives the event back, so that Stripe's retry processes it again. */
  async releaseEvent(eventId: string): Promise<void> {
    await this.lock.release(keys.stripeEvent(eventId));
  }
}
