import { DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { HealthProbe, ProbeOutcome, ProbeResult } from '../../ports/health-probe';
import { rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

const OUTCOMES: Record<string, ProbeOutcome> = {
  OK: 'healthy',
  ALARM: 'unhealthy',
  INSUFFICIENT_DATA: 'inconclusive',
};

/** Reads one CloudWatch alarm (metric or composite): OK is healthy, ALARM unhealthy, INSUFFICIENT_DATA no evidence. */
export class CloudWatchAlarmProbe implements HealthProbe {
  readonly name: string;

  constructor(
    private readonly client: CloudWatchClient,
    private readonly alarmName: string,
  ) {
    this.name = `alarm ${alarmName}`;
  }

  async check(signal?: AbortSignal): Promise<ProbeResult> {
    const { MetricAlarms = [], CompositeAlarms = [] } = await this.client
      .send(
        // Without AlarmTypes, DescribeAlarms returns metric alarms only.
        new DescribeAlarmsCommand({
          AlarmNames: [this.alarmName],
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        }),
        withSignal(signal),
      )
      .catch(rethrowAwsError);
    const alarm = MetricAlarms[0] ?? CompositeAlarms[0];
    if (!alarm?.StateValue) {
      return { probe: this.name, outcome: 'unhealthy', detail: `alarm ${this.alarmName} does not exist` };
    }
    const outcome = OUTCOMES[alarm.StateValue] ?? 'inconclusive';
    const reason = alarm.StateReason ? `: ${alarm.StateReason}` : '';
    return { probe: this.name, outcome, detail: `alarm ${this.alarmName} is ${alarm.StateValue}${reason}` };
  }
}
