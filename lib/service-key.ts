import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

export interface ServiceKeyProps {
  readonly description: string;
  /** The key policy statement letting an AWS service use the key (an AWS-managed key could not be shared). */
  readonly sid: string;
  readonly service: string;
  readonly actions: readonly string[];
  readonly conditions: Record<string, unknown>;
}

/** A customer-managed key, rotated and retained, whose policy lets one AWS service use it (construct id `Key`). */
export function serviceKey(scope: Construct, props: ServiceKeyProps): kms.Key {
  const key = new kms.Key(scope, 'Key', {
    description: props.description,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: props.sid,
      principals: [new iam.ServicePrincipal(props.service)],
      actions: [...props.actions],
      resources: ['*'],
      conditions: props.conditions,
    }),
  );
  return key;
}
