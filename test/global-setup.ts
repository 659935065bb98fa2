// Starts one in-memory DynamoDB Local for the whole test run; each test file creates its own
// table (test/helpers/db.ts) so files never see each other's data.
import type { TestProject } from 'vitest/node';
import { startDynamoLocal, type DynamoLocal } from '../infra/local/dynamo.ts';

let dynamo: DynamoLocal | undefined;

export async function setup(project: TestProject): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  dynamo = await startDynamoLocal();
  project.provide('dynamoEndpoint', dynamo.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
