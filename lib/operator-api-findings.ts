import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { OperatorApi } from './operator-api';

/** cdk-nag findings on the operator API that are the right design, each with its precise reason. */
export function acknowledgeOperatorApiFindings(operator: OperatorApi, stateMachine: CfnElement): void {
  const stack = Stack.of(operator);
  const iam5 = (resource: string) => `AwsSolutions-IAM5[Resource::${resource}]`;
  const role = Validations.of(operator.handler.role!);
  role.acknowledge({
    id: iam5('*'),
    reason: 'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions.',
  });
  const machine = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stack.getLogicalId(stateMachine)}"}]}]}`;
  role.acknowledge({
    id: iam5(`arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${machine}:*`),
    reason:
      'DescribeExecution/GetExecutionHistory on executions of the cutover state machine only; execution names are made per plan.',
  });
  const api = stack.getLogicalId(operator.api.node.defaultChild as CfnElement);
  Validations.of(operator.operatorPolicy).acknowledge({
    id: iam5(`arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${api}>/$default/*/api/*`),
    reason:
      'Exactly the operator API’s CLI routes (/api/…, any method and execution name) on its one stage; nothing else.',
  });
  for (const route of operator.consoleAssetRoutes) {
    Validations.of(route).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The console’s static page and script, the same for everyone and without data, must load before the user signs in; every data route (/api, /console/api) has an IAM or Cognito authorizer.',
    });
  }
}
