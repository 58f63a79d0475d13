import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as s3 from 'aws-cdk-lib/aws-s3';

// aws-cdk-lib declares some optional fields of its classes (`isWebsite?`, `vpnGatewayId?`, `defaultCloudMapNamespace?`) differently from
// its interfaces, so under exactOptionalPropertyTypes a Bucket is not assignable to IBucket, nor a Vpc to
// IVpc, nor a Cluster to ICluster. These views are the only place that bridges it.
export const bucketOf = (bucket: s3.Bucket): s3.IBucket => bucket as unknown as s3.IBucket;
export const vpcOf = (vpc: ec2.Vpc): ec2.IVpc => vpc as unknown as ec2.IVpc;
export const clusterOf = (cluster: ecs.Cluster): ecs.ICluster => cluster as unknown as ecs.ICluster;
