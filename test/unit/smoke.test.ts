import { describe, expect, it } from 'vitest';
import { keys, lockBlocks } from '#db/keys.ts';
import { createTestTable } from '#test/helpers/db.ts';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

describe('setup', () => {
  it('lock blocks cover a range', () => {
    expect(lockBlocks(0, 30 * 60_000)).toEqual([0, 15 * 60_000]);
    expect(keys.client('a').PK).toBe('CLIENT#a');
  });
  it('talks to DynamoDB Local', async () => {
    const t = await createTestTable();
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { PK: 'x', SK: 'y', v: 1 } }));
    const got = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { PK: 'x', SK: 'y' } }));
    expect(got.Item?.v).toBe(1);
    await t.drop();
  });
});
