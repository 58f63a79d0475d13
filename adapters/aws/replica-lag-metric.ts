import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

/** RDS publishes ReplicaLag every minute; a few minutes back covers CloudWatch's delivery delay. */
const LOOKBACK_MS = 5 * 60_000;

/**
 * The latest `AWS/RDS` `ReplicaLag` (seconds) of a DB instance, or undefined when there is no datapoint.
 * RDS reports -1 when replication is not running.
 */
export async function latestReplicaLag(
  client: CloudWatchClient,
  dbInstanceIdentifier: string,
  now: Date,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const { MetricDataResults = [] } = await client
    .send(
      new GetMetricDataCommand({
        StartTime: new Date(now.getTime() - LOOKBACK_MS),
        EndTime: now,
        ScanBy: 'TimestampDescending',
        MetricDataQueries: [
          {
            Id: 'replicaLag',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/RDS',
                MetricName: 'ReplicaLag',
                Dimensions: [{ Name: 'DBInstanceIdentifier', Value: dbInstanceIdentifier }],
              },
              Period: 60,
              Stat: 'Maximum',
            },
            ReturnData: true,
          },
        ],
      }),
      withSignal(signal),
    )
    .catch(rethrowAwsError);
  const { Timestamps = [], Values = [] } = MetricDataResults[0] ?? {};
  let latest: { at: number; value: number } | undefined;
  Timestamps.forEach((timestamp, i) => {
    const value = Values[i];
    if (value !== undefined && (!latest || timestamp.getTime() > latest.at))
      latest = { at: timestamp.getTime(), value };
  });
  return latest?.value;
}
