// Finance exports as stored: one item per export (`EXPORT#<id>` / `EXPORT`), the domain's
// ExportRecord as it is (shared/domain/ledger-export.ts), kept EXPORT_RECORD_DAYS by TTL.
//
// Its status moves once, running → ready or running → failed, each by a conditional update on
// `running`, so a late or repeated job can never overwrite an outcome. A job takes the export on
// first (`claim`: sets `startedAt` where none is set), so a second delivery of the same job
// request (Lambda's asynchronous invocation is at least once) finds it taken and does nothing.
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '#domain/errors.ts';
import { exportExpiresAt, type ExportRecord } from '#domain/ledger-export.ts';
import { keys } from './keys.ts';
import { TABLE } from './table.ts';
import { isConditionalFailure } from './errors.ts';
import { stripKeys } from './clinic-repo.ts';

export class ExportRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Stores a new export (its id is generated: an existing one is a bug, and the Put fails). */
  async create(record: ExportRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.export(record.id), type: 'export', ...record, [TABLE.ttlAttribute]: exportExpiresAt(record.createdAt) },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async get(exportId: string): Promise<ExportRecord | null> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.export(exportId), ConsistentRead: true }));
    return res.Item ? stripKeys<ExportRecord>(res.Item) : null;
  }

  async require(exportId: string): Promise<ExportRecord> {
    const record = await this.get(exportId);
    if (!record) throw new NotFoundError('export');
    return record;
  }

  /** Takes a running export on for a job: false when another job took it already or it is over. */
  async claim(exportId: string, now: number): Promise<boolean> {
    return this.update(exportId, 'SET startedAt = :now', 'attribute_not_exists(startedAt)', { ':now': now });
  }

  /** The file is written: ready, with its rows and size. False when it was not running any more. */
  async finish(exportId: string, result: { rows: number; bytes: number }, now: number): Promise<boolean> {
    return this.update(exportId, 'SET #status = :ready, #rows = :rows, bytes = :bytes, finishedAt = :now', undefined, {
      ':ready': 'ready',
      ':rows': result.rows,
      ':bytes': result.bytes,
      ':now': now,
    });
  }

  /** The export cannot be made: failed. False when it was not running any more. */
  async fail(exportId: string, now: number): Promise<boolean> {
    return this.update(exportId, 'SET #status = :failed, finishedAt = :now', undefined, { ':failed': 'failed', ':now': now });
  }

  /** An update on a running export only; false when the condition refused it. */
  private async update(exportId: string, expression: string, extra: string | undefined, values: Record<string, unknown>): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    if (expression.includes('#rows')) names['#rows'] = 'rows';
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.export(exportId),
          UpdateExpression: expression,
          ConditionExpression: `#status = :running${extra ? ` AND ${extra}` : ''}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':running': 'running' },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalFailure(err)) return false;
      throw err;
    }
  }
}
