// The bench's yardstick (test/bench/bundles.ts): a handler that needs only the DynamoDB document
// client, bundled like every function (infra/lib/bundling.ts). A function's import time is judged
// as a multiple of this one's.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION }));

export const handler = async (event: { id?: string }) =>
  (await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: event.id ?? 'x' } }))).Item ?? null;
