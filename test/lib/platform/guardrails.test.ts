import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { GuardrailLimits } from '../../../lib/platform/environments';
import { Guardrails } from '../../../lib/platform/guardrails';
import { PlatformStage } from '../../../lib/platform/platform-stage';
import { thrownMessage } from '../../support/thrown-message';
import { devEnvironment } from './platform-fixtures';

const LIMITS: GuardrailLimits = devEnvironment().limits;

/** A stack under the dev limits; `build` adds the resources under test. */
function synthError(build: (stack: Stack) => void, limits: GuardrailLimits = LIMITS): string | undefined {
  const app = new App();
  const stack = new Stack(app, 'Guarded', { env: { account: '111111111111', region: 'eu-west-1' } });
  build(stack);
  Aspects.of(app).add(new Guardrails('dev', limits));
  return thrownMessage(() => app.synth());
}

describe('Guardrails', () => {
  it('refuses a 1000 GB database under a 100 GB limit, naming the path, the value and the limit', () => {
    const message = synthError((stack) => {
      new rds.CfnDBInstance(stack, 'Orders', {
        engine: 'postgres',
        dbInstanceClass: 'db.t4g.micro',
        allocatedStorage: '1000',
      });
    });
    expect(message).toContain(
      '[Guarded/Orders] guardrail (dev): AllocatedStorage (GB) is 1000, over the limit of 100',
    );
  });

  it('refuses a 1000 GB EBS volume under a 100 GB limit', () => {
    const message = synthError((stack) => {
      new ec2.CfnVolume(stack, 'Scratch', { availabilityZone: 'eu-west-1a', size: 1000 });
    });
    expect(message).toContain(
      '[Guarded/Scratch] guardrail (dev): volume Size (GB) is 1000, over the limit of 100',
    );
  });

  it('accepts a 100 GB database under a 100 GB limit', () => {
    expect(
      synthError((stack) => {
        new rds.CfnDBInstance(stack, 'Orders', { dbInstanceClass: 'db.t4g.micro', allocatedStorage: '100' });
      }),
    ).toBeUndefined();
  });

  it('refuses an instance class outside the allowed list', () => {
    const message = synthError((stack) => {
      new rds.CfnDBInstance(stack, 'Orders', { dbInstanceClass: 'db.r6g.16xlarge', allocatedStorage: '20' });
    });
    expect(message).toContain('DBInstanceClass is db.r6g.16xlarge, not one of the allowed db.t4g.micro');
  });

  it('refuses log retention outside the limits, and never-expiring logs', () => {
    const message = synthError((stack) => {
      new logs.LogGroup(stack, 'Forever', { retention: logs.RetentionDays.INFINITE });
      new logs.LogGroup(stack, 'TenYears', { retention: logs.RetentionDays.TEN_YEARS });
      new logs.LogGroup(stack, 'Month', { retention: logs.RetentionDays.ONE_MONTH });
    });
    expect(message).toContain(
      '[Guarded/Forever/Resource] guardrail (dev): log RetentionInDays is never-expire; the limit is 7–90 days',
    );
    expect(message).toContain(
      '[Guarded/TenYears/Resource] guardrail (dev): log RetentionInDays is 3653; the limit is 7–90 days',
    );
    expect(message).not.toContain('Guarded/Month');
  });

  it('holds the platform stage to its environment: task size, desired count and the autoscaling ceiling', () => {
    const environment = devEnvironment();
    const oversized = {
      ...environment,
      platform: { ...environment.platform, cpu: 1024, memoryMiB: 2048, desiredCount: 3, maxCount: 6 },
    };
    const stage = new PlatformStage(new App(), 'dev-eu-west-1', { environment: oversized, regionIndex: 0 });
    const message = thrownMessage(() => stage.synth());
    expect(message).toMatch(
      /\[dev-eu-west-1\/Platform\/App\/Task\/Resource\] guardrail \(dev\): task Cpu \(units\) is 1024, over the limit of 512/,
    );
    expect(message).toContain('task Memory (MiB) is 2048, over the limit of 1024');
    expect(message).toContain('DesiredCount is 3, over the limit of 2');
    expect(message).toContain('autoscaling MaxCapacity is 6, over the limit of 2');
  });
});
