import type { STSClient } from '@aws-sdk/client-sts';
import { crossAccountPromotionHistory } from '../adapters/aws/dynamodb-promotion-history';
import { OPERATOR_ENV, required } from './environment';
import { PromotionGate } from './promotion-gate';

/**
 * The promotion gate the stack configured (see lib/operator-api.ts), or none when this orchestrator serves
 * no environment. Above the lowest environment, the history below is read with a role of its account.
 */
export function promotionGateFrom(variables: NodeJS.ProcessEnv, sts: STSClient): PromotionGate | undefined {
  const environment = variables[OPERATOR_ENV.environment];
  if (!environment) return undefined;
  const environments = required(variables, OPERATOR_ENV.environments).split(',');
  const below = environments[environments.indexOf(environment) - 1];
  return new PromotionGate({
    environments,
    environment,
    ...(below === undefined
      ? {}
      : {
          below: crossAccountPromotionHistory(
            {
              environment: below,
              tableArn: required(variables, OPERATOR_ENV.promotionTableArn),
              roleArn: required(variables, OPERATOR_ENV.promotionRoleArn),
            },
            sts,
          ),
        }),
  });
}
