import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  PutCommand,
  type DeleteCommand,
  type DynamoDBDocumentClient,
  type UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

/** Sends a conditional write: true when written, false when its condition did not hold. */
export async function writeIf(
  client: DynamoDBDocumentClient,
  command: PutCommand | UpdateCommand | DeleteCommand,
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    await client.send(command as PutCommand, withSignal(signal));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    return rethrowAwsError(error);
  }
}

/** Append-only: writes `item` unless an item with its key is there already (a retry), false then. */
export function putNew(
  client: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<boolean> {
  return writeIf(
    client,
    new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    signal,
  );
}
