import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CloudWatchAlarmProbe } from '../../../adapters/aws/cloudwatch-alarm-probe';

const cloudwatch = mockClient(CloudWatchClient);
const probe = new CloudWatchAlarmProbe(new CloudWatchClient({}), 'web-green-5xx-rate');

function alarm(state: MetricAlarm['StateValue'], reason: string): { MetricAlarms: MetricAlarm[] } {
  return {
    MetricAlarms: [
      {
        AlarmName: 'web-green-5xx-rate',
        AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:web-green-5xx-rate',
        StateValue: state,
        StateReason: reason,
        StateUpdatedTimestamp: new Date('2026-11-26T10:00:00Z'),
        MetricName: 'HTTPCode_Target_5XX_Count',
        Namespace: 'AWS/ApplicationELB',
      },
    ],
  };
}

beforeEach(() => cloudwatch.reset());

it('asks for the one alarm, metric or composite', async () => {
  cloudwatch
    .on(DescribeAlarmsCommand)
    .resolves(alarm('OK', 'Threshold Crossed: 1 datapoint [0.0] was not greater than 5.0'));

  await probe.check();

  expect(cloudwatch).toReceiveCommandWith(DescribeAlarmsCommand, {
    AlarmNames: ['web-green-5xx-rate'],
    AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
  });
});

it.each([
  ['OK', 'healthy'],
  ['ALARM', 'unhealthy'],
  ['INSUFFICIENT_DATA', 'inconclusive'],
] as const)('maps state %s to %s', async (state, outcome) => {
  cloudwatch.on(DescribeAlarmsCommand).resolves(alarm(state, 'Threshold Crossed'));

  await expect(probe.check()).resolves.toEqual({
    probe: 'alarm web-green-5xx-rate',
    outcome,
    detail: `alarm web-green-5xx-rate is ${state}: Threshold Crossed`,
  });
});

it('reads a composite alarm', async () => {
  cloudwatch.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [],
    CompositeAlarms: [
      { AlarmName: 'web-green-5xx-rate', StateValue: 'ALARM', StateReason: 'child alarm in ALARM' },
    ],
  });

  await expect(probe.check()).resolves.toMatchObject({ outcome: 'unhealthy' });
});

it('is unhealthy when the alarm does not exist', async () => {
  cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });

  await expect(probe.check()).resolves.toEqual({
    probe: 'alarm web-green-5xx-rate',
    outcome: 'unhealthy',
    detail: 'alarm web-green-5xx-rate does not exist',
  });
});

it('fails with Throttled when CloudWatch throttles', async () => {
  cloudwatch
    .on(DescribeAlarmsCommand)
    .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));

  await expect(probe.check()).rejects.toMatchObject({ name: 'Throttled' });
});
