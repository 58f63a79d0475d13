import { paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

/** Every item a DynamoDB Query matches, page after page (the SDK's paginator follows LastEvaluatedKey). */
export async function queryItems(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
  signal?: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  try {
    for await (const page of paginateQuery({ client }, input, withSignal(signal))) {
      items.push(...(page.Items ?? []));
    }
  } catch (error) {
    rethrowAwsError(error);
  }
  return items;
}
