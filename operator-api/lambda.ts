import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { handle } from 'hono/aws-lambda';
import { operatorApi } from './app';
import { AwsBackend } from './aws-backend';
import { OperatorService } from './operator-service';
import { lambdaPrincipal } from './principal';
import { OPERATOR_ENV, required } from './environment';
import { promotionGateFrom } from './promotion-from-environment';

const env = (name: string) => required(process.env, name);

const backend = new AwsBackend({
  sfn: new SFNClient({}),
  documents: DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  }),
  stateMachineArn: env(OPERATOR_ENV.stateMachineArn),
  tableName: env(OPERATOR_ENV.controlTable),
});
const promotion = promotionGateFrom(process.env, new STSClient({}));

/** API Gateway (HTTP API, payload 2.0) → the operator API. */
export const handler = handle(
  operatorApi({
    service: new OperatorService({ backend, ...(promotion ? { promotion } : {}) }),
    principalOf: lambdaPrincipal,
    console: {
      auth: 'cognito',
      domain: env(OPERATOR_ENV.cognitoDomain),
      clientId: env(OPERATOR_ENV.cognitoClientId),
    },
  }),
);
