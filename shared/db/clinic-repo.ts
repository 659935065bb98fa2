// Clinics and their setup: the clinic item, providers, rooms and the service catalog all live in
// the clinic's partition, so everything a booking needs about a clinic is one Query.
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clinic, Provider, Room, Service } from '#domain/types.ts';
import type { Program } from '#domain/packages.ts';
import type { TimeOff } from '#domain/time-off.ts';
import { resolvePolicy } from '#domain/policy.ts';
import { ConflictError, NotFoundError } from '#domain/errors.ts';
import { keys } from './keys.ts';
import { queryAll } from './query-all.ts';
import { isConditionalFailure, transactionError } from './errors.ts';

export interface ClinicSetup {
  clinic: Clinic;
  providers: Provider[];
  rooms: Room[];
  services: Service[];
  programs: Program[];
  /** Every provider's time off not yet expired (TTL: a week after it ends). */
  timeOff: TimeOff[];
}

/** Time off stays a week after it ends (as a slot lock does), then DynamoDB's TTL removes it. */
const TIME_OFF_TTL_SECONDS = 7 * 86_400;

const READINESS_PROBE_ID = '~readiness-probe';

// keys and what is derived for an index or a filter (a client's searchText): never part of a record read
const KEY_ATTRS = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'type', 'expiresAt', 'searchText'];

export function stripKeys<T>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_ATTRS.includes(k)) out[k] = v;
  return out as T;
}

/**
 * A stored clinic with its policy completed by today's defaults: policy fields added after the
 * clinic was saved (e.g. installments) read as their defaults instead of as missing.
 */
function clinicFrom(item: Record<string, unknown>): Clinic {
  const clinic = stripKeys<Clinic>(item);
  return { ...clinic, policy: resolvePolicy(clinic.policy, clinic.currency) };
}

export class ClinicRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** A clinic, its catalog and nothing else: one conditional transaction, so no half-made clinic. */
  async create(clinic: Clinic, services: Service[]): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.clinic(clinic.id), ...keys.clinicList(clinic.name, clinic.id), type: 'clinic', ...clinic },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            ...services.map((s) => ({
              Put: { TableName: this.table, Item: { ...keys.service(clinic.id, s.code), type: 'service', ...s } },
            })),
          ],
        }),
      );
    } catch (err) {
      // a taken clinic id is a bug (ids are generated or seeded once), not something to tell the caller
      throw transactionError(err, ['clinic', ...services.map(() => 'service' as const)], () => undefined);
    }
  }

  /**
   * Readiness: one GetItem (a data-plane read, never DescribeTable) of a clinic key no clinic has
   * (generated ids carry a prefix). Throws what the read throws; what it finds does not matter.
   */
  async ping(): Promise<void> {
    await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.clinic(READINESS_PROBE_ID), ProjectionExpression: 'PK' }));
  }

  /** `consistent`: a strongly consistent read (a write refused on the clinic's version reads it so). */
  async get(clinicId: string, consistent = false): Promise<Clinic | null> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.clinic(clinicId), ...(consistent ? { ConsistentRead: true } : {}) }),
    );
    return res.Item ? clinicFrom(res.Item) : null;
  }

  async require(clinicId: string, consistent = false): Promise<Clinic> {
    const clinic = await this.get(clinicId, consistent);
    if (!clinic) throw new NotFoundError('clinic');
    return clinic;
  }

  async list(): Promise<Clinic[]> {
    const out: Clinic[] = [];
    const items = queryAll(this.doc, {
      TableName: this.table,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.clinicListPartition().GSI1PK },
    });
    for await (const item of items) out.push(clinicFrom(item));
    return out;
  }

  /** Optimistic update: fails with 409 if someone changed the clinic since it was read. */
  async update(clinic: Clinic, expectedVersion: number): Promise<Clinic> {
    const next = { ...clinic, version: expectedVersion + 1 };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.clinic(clinic.id), ...keys.clinicList(clinic.name, clinic.id), type: 'clinic', ...next },
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
      );
    } catch (err) {
      if (isConditionalFailure(err)) throw new ConflictError('The clinic was changed meanwhile; read it again');
      throw err;
    }
    return next;
  }

  /**
   * The transaction item that bumps the clinic's `version`, which stands for its whole setup (a
   * cached setup is stale once it moved); it fails for a clinic that does not exist.
   */
  private setupChanged(clinicId: string) {
    return {
      Update: {
        TableName: this.table,
        Key: keys.clinic(clinicId),
        UpdateExpression: 'SET version = version + :one',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':one': 1 },
      },
    };
  }

  /**
   * Adds a provider or room and bumps the clinic's `version` in the same transaction: the clinic
   * version stands for its whole setup, so a booking that checked its rules against a cached setup
   * can prove at commit time that the setup has not changed (AppointmentRepository, clinicCheck).
   */
  private async addToSetup(clinicId: string, item: Record<string, unknown>): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
            this.setupChanged(clinicId),
          ],
        }),
      );
    } catch (err) {
      throw transactionError(err, ['item', 'clinic'], (failed) =>
        failed.includes('clinic') ? new NotFoundError('clinic') : new ConflictError('A record with this id already exists'),
      );
    }
  }

  putProvider(provider: Provider): Promise<void> {
    return this.addToSetup(provider.clinicId, { ...keys.provider(provider.clinicId, provider.id), type: 'provider', ...provider });
  }

  /**
   * Sets (or, with null, removes) a provider's video room link. The provider item must exist, and
   * the clinic's version is bumped in the same transaction as for a provider added: the link is
   * part of the setup, so a cached setup (setup-cache.ts) is known to be stale once it changed.
   */
  async setVideoRoom(clinicId: string, providerId: string, url: string | null): Promise<Provider> {
    const update =
      url === null
        ? { UpdateExpression: 'REMOVE videoRoomUrl', ExpressionAttributeValues: undefined }
        : { UpdateExpression: 'SET videoRoomUrl = :url', ExpressionAttributeValues: { ':url': url } };
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: keys.provider(clinicId, providerId),
                UpdateExpression: update.UpdateExpression,
                ConditionExpression: 'attribute_exists(PK)',
                ...(update.ExpressionAttributeValues ? { ExpressionAttributeValues: update.ExpressionAttributeValues } : {}),
              },
            },
            this.setupChanged(clinicId),
          ],
        }),
      );
    } catch (err) {
      throw transactionError(err, ['provider', 'clinic'], (failed) => new NotFoundError(failed.includes('clinic') ? 'clinic' : 'provider'));
    }
    const provider = await this.getProvider(clinicId, providerId, true);
    if (!provider) throw new NotFoundError('provider');
    return provider;
  }

  async getProvider(clinicId: string, providerId: string, consistent = false): Promise<Provider | null> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.provider(clinicId, providerId), ...(consistent ? { ConsistentRead: true } : {}) }),
    );
    return res.Item ? stripKeys<Provider>(res.Item) : null;
  }

  putProgram(program: Program): Promise<void> {
    return this.addToSetup(program.clinicId, { ...keys.program(program.clinicId, program.id), type: 'program', ...program });
  }

  /** Retired programs stay readable (packages name them) but can no longer be bought. */
  async retireProgram(clinicId: string, programId: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.program(clinicId, programId),
          UpdateExpression: 'SET retired = :true',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':true': true },
        }),
      );
    } catch (err) {
      if (isConditionalFailure(err)) throw new NotFoundError('program');
      throw err;
    }
  }

  /** Adds a provider's time off, with the clinic's version bumped: a booking checked against the setup before it fails at commit. */
  putTimeOff(timeOff: TimeOff): Promise<void> {
    return this.addToSetup(timeOff.clinicId, {
      ...keys.timeOff(timeOff.clinicId, timeOff.id),
      type: 'time_off',
      ...timeOff,
      expiresAt: Math.floor(timeOff.endsAt / 1000) + TIME_OFF_TTL_SECONDS,
    });
  }

  /**
   * Removes time off and bumps the clinic's version, and answers what was removed; 404 when the
   * clinic has no such entry (never had it, or it was removed meanwhile: the Delete's condition).
   */
  async removeTimeOff(clinicId: string, timeOffId: string): Promise<TimeOff> {
    const key = keys.timeOff(clinicId, timeOffId);
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    if (res.Item?.type !== 'time_off') throw new NotFoundError('time off');
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: this.table, Key: key, ConditionExpression: 'attribute_exists(PK)' } },
            this.setupChanged(clinicId),
          ],
        }),
      );
    } catch (err) {
      throw transactionError(err, ['time off', 'clinic'], (failed) => new NotFoundError(failed.includes('clinic') ? 'clinic' : 'time off'));
    }
    return stripKeys<TimeOff>(res.Item);
  }

  putRoom(room: Room): Promise<void> {
    return this.addToSetup(room.clinicId, { ...keys.room(room.clinicId, room.id), type: 'room', ...room });
  }

  /** Everything about a clinic in one Query of its partition. */
  async setup(clinicId: string): Promise<ClinicSetup> {
    const setup: ClinicSetup = {
      clinic: undefined as unknown as Clinic,
      providers: [],
      rooms: [],
      services: [],
      programs: [],
      timeOff: [],
    };
    let found = false;
    const items = queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.clinicPartition(clinicId).PK },
    });
    for await (const item of items) {
      switch (item.type) {
        case 'clinic':
          setup.clinic = clinicFrom(item);
          found = true;
          break;
        case 'provider':
          setup.providers.push(stripKeys<Provider>(item));
          break;
        case 'room':
          setup.rooms.push(stripKeys<Room>(item));
          break;
        case 'service':
          setup.services.push(stripKeys<Service>(item));
          break;
        case 'program':
          setup.programs.push(stripKeys<Program>(item));
          break;
        case 'time_off':
          setup.timeOff.push(stripKeys<TimeOff>(item));
          break;
      }
    }
    if (!found) throw new NotFoundError('clinic');
    return setup;
  }
}
