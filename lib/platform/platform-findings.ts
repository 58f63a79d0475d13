import { Validations } from 'aws-cdk-lib';
import type { AccessLogBucket } from './access-log-bucket';
import type { PlatformSettings } from './environments';
import type { PlatformStack } from './platform-stack';

/** cdk-nag findings the platform accepts by design, each acknowledged on the one construct it concerns. */
export function acknowledgePlatformFindings(
  stack: PlatformStack,
  accessLogs: AccessLogBucket,
  settings: PlatformSettings,
): void {
  Validations.of(accessLogs.bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This is the access-log bucket itself; logging its own accesses into itself would loop.',
  });
  Validations.of(stack.app.loadBalancer).acknowledge({
    id: 'AwsSolutions-EC23',
    reason:
      'The internet-facing load balancer serves the public application: HTTPS on 443, and 80 only to redirect to 443.',
  });
  const database = Validations.of(stack.database.instance);
  database.acknowledge({
    id: 'AwsSolutions-RDS11',
    reason:
      'A non-default port hides nothing from a scanner inside the VPC; the instance is private, open only to the service security group, and requires TLS.',
  });
  if (!settings.database.multiAz) {
    database.acknowledge({
      id: 'AwsSolutions-RDS3',
      reason: `This environment's configuration (${stack.environmentName}) chooses a single-AZ instance; production sets multiAz.`,
    });
  }
  if (settings.database.deletionProtection === false) {
    database.acknowledge({
      id: 'AwsSolutions-RDS10',
      reason: `This environment's configuration (${stack.environmentName}) marks its database disposable (deletionProtection false).`,
    });
  }
}
