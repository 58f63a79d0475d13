import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { handle } from 'hono/aws-lambda';
import { operatorApi } from './app';
import { AwsBackend } from './aws-backend';
import { OperatorService } from './operator-service';
import { lambdaPrincipal } from './principal';
import { OPERATOR_ENV } from './environment';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

const backend = new AwsBackend({
  sfn: new SFNClient({}),
  documents: DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  }),
  stateMachineArn: env(OPERATOR_ENV.stateMachineArn),
  tableName: env(OPERATOR_ENV.controlTable),
});

/** API Gateway (HTTP API, payload 2.0) → the operator API. */
export const handler = handle(
  operatorApi({
    service: new OperatorService({ backend }),
    principalOf: lambdaPrincipal,
    console: {
      auth: 'cognito',
      domain: env(OPERATOR_ENV.cognitoDomain),
      clientId: env(OPERATOR_ENV.cognitoClientId),
    },
  }),
);
