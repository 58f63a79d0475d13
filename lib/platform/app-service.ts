import { Duration } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { clusterOf } from './cdk-interfaces';
import { fargateSizeProblem } from './fargate-sizes';
import { requireInteger, requireMatch } from './prop-checks';

export interface AppServiceProps {
  readonly vpc: ec2.IVpc;
  /** Subnets the tasks run in (private). */
  readonly taskSubnets: ec2.SubnetSelection;
  /** The application's container image, e.g. `ecs.ContainerImage.fromRegistry('public.ecr.aws/org/app:1.4.2')`. */
  readonly image: ecs.ContainerImage;
  /** The TLS certificate the load balancer's HTTPS listener serves. */
  readonly certificate: acm.ICertificate;
  /** Bucket receiving the load balancer's access logs (SSE-S3, as ELB requires). */
  readonly accessLogBucket: s3.IBucket;
  /**
   * Port the container listens on.
   * @default 8080
   */
  readonly containerPort?: number;
  /**
   * Path the load balancer's health check requests; it must answer 200.
   * @default '/healthz'
   */
  readonly healthCheckPath?: string;
  /**
   * Task CPU units (a Fargate size).
   * @default 256
   */
  readonly cpu?: number;
  /**
   * Task memory in MiB (valid with `cpu` on Fargate).
   * @default 512
   */
  readonly memoryMiB?: number;
  /**
   * Tasks running when the service is created, and the autoscaling floor.
   * @default 2
   */
  readonly desiredCount?: number;
  /**
   * The autoscaling ceiling.
   * @default 2 × desiredCount
   */
  readonly maxCount?: number;
  /**
   * Average CPU utilisation (percent) autoscaling keeps the service at.
   * @default 60
   */
  readonly targetCpuPercent?: number;
  /**
   * Requests per task per minute autoscaling keeps the service at.
   * @default 1000
   */
  readonly requestsPerTask?: number;
  /**
   * How long the container's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The application on ECS Fargate behind an internet-facing ALB (HTTPS, HTTP redirected), with a
 * health-checked target group, a deployment circuit breaker that rolls back, and autoscaling on CPU
 * and on request count.
 */
export class AppService extends Construct {
  readonly cluster: ecs.Cluster;
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** Name of the application container in the task definition (what the `ecs` deploy kind updates). */
  readonly containerName = 'app';

  constructor(scope: Construct, id: string, props: AppServiceProps) {
    super(scope, id);
    const path = this.node.path;
    const containerPort = props.containerPort ?? 8080;
    requireInteger(path, 'containerPort', containerPort, 1, 65535);
    const healthCheckPath = props.healthCheckPath ?? '/healthz';
    requireMatch(path, 'healthCheckPath', healthCheckPath, /^\/\S{0,1023}$/, 'a path starting with /');
    const cpu = props.cpu ?? 256;
    const memoryMiB = props.memoryMiB ?? 512;
    const sizeProblem = fargateSizeProblem(cpu, memoryMiB);
    if (sizeProblem) throw new Error(`${path}: ${sizeProblem}`);
    const desiredCount = props.desiredCount ?? 2;
    requireInteger(path, 'desiredCount', desiredCount, 1, 1000);
    const maxCount = props.maxCount ?? 2 * desiredCount;
    requireInteger(path, 'maxCount', maxCount, desiredCount, 5000);
    requireInteger(path, 'targetCpuPercent', props.targetCpuPercent ?? 60, 10, 90);
    requireInteger(path, 'requestsPerTask', props.requestsPerTask ?? 1000, 1, 1_000_000);

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu,
      memoryLimitMiB: memoryMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    taskDefinition.addContainer(this.containerName, {
      image: props.image,
      portMappings: [{ containerPort }],
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: 'app',
        logGroup: new logs.LogGroup(this, 'Logs', {
          retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        }),
      }),
    });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: clusterOf(this.cluster),
      taskDefinition,
      desiredCount,
      vpcSubnets: props.taskSubnets,
      assignPublicIp: false,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
    });
    this.loadBalancer.logAccessLogs(props.accessLogBucket, 'alb');
    this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });
    const https = this.loadBalancer.addListener('Https', {
      port: 443,
      certificates: [props.certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
    });
    this.targetGroup = https.addTargets('App', {
      port: containerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service.loadBalancerTarget({ containerName: this.containerName, containerPort })],
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: healthCheckPath,
        healthyHttpCodes: '200',
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });

    const scaling = this.service.autoScaleTaskCount({ minCapacity: desiredCount, maxCapacity: maxCount });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: props.targetCpuPercent ?? 60 });
    scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: props.requestsPerTask ?? 1000,
      targetGroup: this.targetGroup,
    });
  }
}
