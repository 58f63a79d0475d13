import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { requireInteger, requireMatch } from './prop-checks';

type AlarmOptions = Omit<cloudwatch.AlarmProps, 'alarmName' | 'alarmDescription'>;

export interface GreenTargetsProps {
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  readonly targetGroup: elbv2.IApplicationTargetGroup;
  readonly database: rds.IDatabaseInstance;
  /** ARN of the database's managed secret (what a plan's `database.target.secretArn` names). */
  readonly databaseSecretArn: string;
  /**
   * Prefix of the alarm names, unique in the account and region; plans name the alarms as `<prefix>-<what>`.
   */
  readonly alarmPrefix: string;
  /**
   * Load balancer and target 5xx responses per minute that make the green side unhealthy.
   * @default 5
   */
  readonly max5xxPerMinute?: number;
  /**
   * p99 target response time (milliseconds) past which the green side is unhealthy.
   * @default 1000
   */
  readonly p99LatencyMs?: number;
}

/**
 * What a migration plan points at on the green side: the alias target for its weighted records, the
 * database endpoint and secret, and CloudWatch alarms usable as `kind: alarm` probes. The weighted
 * records themselves are the cutover's to change, so they are not created here (a stack update would
 * reset their weights).
 */
export class GreenTargets extends Construct {
  readonly alarms: Readonly<Record<'errors' | 'latency' | 'unhealthyTargets', cloudwatch.Alarm>>;

  constructor(scope: Construct, id: string, props: GreenTargetsProps) {
    super(scope, id);
    const path = this.node.path;
    requireMatch(
      path,
      'alarmPrefix',
      props.alarmPrefix,
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$/,
      'letters, digits, "_", "." or "-"',
    );
    const max5xx = props.max5xxPerMinute ?? 5;
    requireInteger(path, 'max5xxPerMinute', max5xx, 0, 1_000_000);
    const p99LatencyMs = props.p99LatencyMs ?? 1000;
    requireInteger(path, 'p99LatencyMs', p99LatencyMs, 1, 60_000);

    const metrics = props.loadBalancer.metrics;
    const period = Duration.minutes(1);
    const errors = new cloudwatch.MathExpression({
      expression: 'FILL(lb, 0) + FILL(target, 0)',
      usingMetrics: {
        lb: metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period }),
        target: metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period }),
      },
      period,
      label: '5xx responses',
    });
    const alarm = (name: string, alarmDescription: string, options: AlarmOptions) =>
      new cloudwatch.Alarm(this, name, {
        alarmName: `${props.alarmPrefix}-${name.toLowerCase()}`,
        alarmDescription,
        ...options,
      });
    this.alarms = {
      errors: alarm('Errors', `More than ${max5xx} 5xx responses a minute on the green load balancer`, {
        metric: errors,
        threshold: max5xx,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      latency: alarm('Latency', `p99 target response time over ${p99LatencyMs} ms on green`, {
        metric: metrics.targetResponseTime({ period, statistic: 'p99' }),
        threshold: p99LatencyMs / 1000,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      unhealthyTargets: alarm('UnhealthyTargets', 'A green task fails the load balancer health check', {
        metric: props.targetGroup.metrics.unhealthyHostCount({ period, statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    };

    // Stable output names (e.g. GreenAliasDnsName), so scripts and plans can read them.
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description }).overrideLogicalId(`${this.node.id}${id}`);
    output(
      'AliasDnsName',
      props.loadBalancer.loadBalancerDnsName,
      'green.alias.dnsName of the plan’s weighted records',
    );
    output(
      'AliasHostedZoneId',
      props.loadBalancer.loadBalancerCanonicalHostedZoneId,
      'green.alias.hostedZoneId of the plan’s weighted records',
    );
    output(
      'DatabaseEndpoint',
      props.database.dbInstanceEndpointAddress,
      'database.endpoint.green of the plan',
    );
    output('DatabaseSecretArn', props.databaseSecretArn, 'database.target.secretArn of the plan');
    output(
      'AlarmNames',
      Object.values(this.alarms)
        .map((a) => a.alarmName)
        .join(','),
      'alarm names usable as `kind: alarm` probes',
    );
  }
}
