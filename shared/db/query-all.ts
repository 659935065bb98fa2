// Every item a Query finds, page after page: lib-dynamodb's own paginator (it follows
// LastEvaluatedKey until DynamoDB stops returning one), so each repository states what it reads
// and what it keeps, not the paging. Reads that stop early (a page of a listing, a bounded search)
// keep their own loop: they need the last key or a limit of their own.
import { paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';

type Item = NonNullable<QueryCommandOutput['Items']>[number];

/** `pageSize` (DynamoDB's Limit per page) only for tests that need several pages of a few items. */
export async function* queryAll(doc: DynamoDBDocumentClient, input: QueryCommandInput, pageSize?: number): AsyncGenerator<Item> {
  for await (const page of paginateQuery({ client: doc, ...(pageSize ? { pageSize } : {}) }, input)) yield* page.Items ?? [];
}
