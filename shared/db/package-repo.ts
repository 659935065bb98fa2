// Packages (a client's purchase of a program) and the Stripe events the webhook has seen.
//
// The package item is the one source of truth; the client's partition holds a small index
// entry (id, clinic, status) written in the same transaction as every status change, so the
// installment eligibility check ("no package of this client past due") is one consistent Query.
// Credits are counted on the package item by update expressions inside the booking transaction
// (AppointmentRepository), conditioned so that they can never go below zero.
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Package, PackageStatus } from '#domain/packages.ts';
import { NotFoundError } from '#domain/errors.ts';
import { keys } from './keys.ts';
import { cancellationReasons, ContentionError, isConditionalFailure, StaleReadError } from './errors.ts';
import { stripKeys } from './clinic-repo.ts';

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
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private items(pkg: Package) {
    return [
      { ...keys.package(pkg.id), type: 'package', ...pkg },
      { ...keys.clientPackage(pkg.clientId, pkg.id), type: 'client_package', packageId: pkg.id, clinicId: pkg.clinicId, status: pkg.status },
    ];
  }

  async create(pkg: Package): Promise<void> {
    const [main, entry] = this.items(pkg);
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.table, Item: main, ConditionExpression: 'attribute_not_exists(PK)' } },
          { Put: { TableName: this.table, Item: entry } },
        ],
      }),
    );
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

  /**
   * Replaces the package if its version is still the one read. Only the fields given in `after`
   * change; credit counts are written as read, so the condition on the version (which every
   * credit update bumps) keeps a concurrent booking's count.
   */
  async replace(before: Package, after: Package): Promise<Package> {
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
          ],
        }),
      );
    } catch (err) {
      const reasons = cancellationReasons(err);
      if (reasons?.[0] === 'condition') throw new StaleReadError();
      if (reasons?.includes('conflict')) throw new ContentionError();
      throw err;
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
    return (res.Items ?? []).map((i) => ({ packageId: i.packageId, clinicId: i.clinicId, status: i.status }));
  }

  /**
   * Claims a Stripe event for processing. 'new': process it; 'done': already processed;
   * 'busy': another delivery is processing it right now.
   */
  async claimEvent(eventId: string, type: string, now: number): Promise<'new' | 'done' | 'busy'> {
    const nowS = Math.floor(now / 1000);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.stripeEvent(eventId), type: 'stripe_event', eventType: type, state: 'processing', claimedAt: nowS, expiresAt: nowS + EVENT_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(PK) OR (#state = :processing AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':processing': 'processing', ':stale': nowS - EVENT_CLAIM_SECONDS },
        }),
      );
      return 'new';
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
    }
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.stripeEvent(eventId), ConsistentRead: true }));
    return res.Item?.state === 'done' ? 'done' : 'busy';
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
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: keys.stripeEvent(eventId) }));
  }
}
