// A fresh table on the run's DynamoDB Local for one test file.
import { inject } from 'vitest';
import { DynamoDBClient, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { createTable } from '#db/create-table.ts';
import { createDocumentClient } from '#db/client.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface TestTable {
  endpoint: string;
  tableName: string;
  doc: DynamoDBDocumentClient;
  drop(): Promise<void>;
}

export async function createTestTable(): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `t_${randomUUID().slice(0, 8)}`;
  const raw = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await createTable(raw, tableName);
  const doc = createDocumentClient({ region: 'local', endpoint });
  return {
    endpoint,
    tableName,
    doc,
    drop: async () => {
      await raw.send(new DeleteTableCommand({ TableName: tableName }));
      raw.destroy();
      doc.destroy();
    },
  };
}
