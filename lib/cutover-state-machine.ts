import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { cutoverWorkflow } from '../state-machines/cutover-workflow';
import type { StepLambdaFunctions } from '../state-machines/fragments/invoke-step';
import { EXECUTION_TIMEOUT_SECONDS } from '../domain/aws-limits';
import { failureAlarm } from './failure-alarm';

export interface CutoverStateMachineProps {
  readonly functions: StepLambdaFunctions;
  /** Where the failed-execution alarm goes. */
  readonly alarmTopic: ITopic;
}

/**
 * The Standard state machine that runs cutovers, logged at level ALL (without execution data: inputs
 * carry task tokens) and traced with X-Ray, with an alarm on failed executions.
 */
export class CutoverStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: CutoverStateMachineProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(cutoverWorkflow(this, props.functions)),
      comment:
        'cutover: shift traffic from blue to green step by step, switch the database, roll back on failure',
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      // Long enough for bakes and an overnight operator decision; under the 24.8 days a timer can hold.
      timeout: Duration.seconds(EXECUTION_TIMEOUT_SECONDS),
    });
    failureAlarm(this, 'FailedExecutions', {
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      description: 'A cutover execution failed or rolled back: see the events topic for the cause.',
      topic: props.alarmTopic,
    });
  }
}
