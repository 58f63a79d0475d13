import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Deployment,
  type ECSClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { AwsStub } from 'aws-sdk-client-mock';

type EcsStub = AwsStub<ServiceInputTypes, ServiceOutputTypes, ECSClientResolvedConfig>;

/** An ECS green service as DescribeServices / DescribeTaskDefinition answer for it (API reference shapes). */
export const ECS = {
  cluster: 'orders',
  service: 'orders-green',
  container: 'app',
  oldImage: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.1',
  newImage: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2',
  family: 'orders-green',
  revision: (n: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/orders-green:${n}`,
} as const;

export function taskDefinition(revision: number, image: string): TaskDefinition {
  return {
    taskDefinitionArn: ECS.revision(revision),
    family: ECS.family,
    revision,
    status: 'ACTIVE',
    taskRoleArn: 'arn:aws:iam::123456789012:role/orders-task',
    executionRoleArn: 'arn:aws:iam::123456789012:role/orders-execution',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    compatibilities: ['EC2', 'FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: ECS.container,
        image,
        essential: true,
        portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
      },
      {
        name: 'log-router',
        image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
        essential: true,
      },
    ],
    registeredAt: new Date('2026-11-29T10:00:00Z'),
  };
}

export function deployment(
  revision: number,
  rollout: Deployment['rolloutState'],
  extra: Partial<Deployment> = {},
): Deployment {
  return {
    id: `ecs-svc/${1000 + revision}`,
    status: 'PRIMARY',
    taskDefinition: ECS.revision(revision),
    desiredCount: 2,
    runningCount: rollout === 'COMPLETED' ? 2 : 1,
    failedTasks: 0,
    rolloutState: rollout,
    ...extra,
  };
}

export function service(taskRevision: number, deployments: Deployment[], events: string[] = []): Service {
  return {
    serviceName: ECS.service,
    clusterArn: `arn:aws:ecs:eu-west-1:123456789012:cluster/${ECS.cluster}`,
    status: 'ACTIVE',
    taskDefinition: ECS.revision(taskRevision),
    deployments,
    events: events.map((message, i) => ({
      id: `e${i}`,
      message,
      createdAt: new Date('2026-11-29T10:05:00Z'),
    })),
  };
}

/** Answers for revisions 7 (the old image) and 8 (the new one); registering returns revision 8. */
export function stubTaskDefinitions(ecs: EcsStub): void {
  ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: ECS.revision(7) }).resolves({
    taskDefinition: taskDefinition(7, ECS.oldImage),
    tags: [{ key: 'app', value: 'orders' }],
  });
  ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: ECS.revision(8) }).resolves({
    taskDefinition: taskDefinition(8, ECS.newImage),
    tags: [{ key: 'app', value: 'orders' }],
  });
  ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: taskDefinition(8, ECS.newImage) });
  ecs.on(UpdateServiceCommand).resolves({ service: service(8, [deployment(8, 'IN_PROGRESS')]) });
}

export function describeServicesAnswers(ecs: EcsStub, ...answers: Service[]) {
  let stub = ecs.on(DescribeServicesCommand);
  for (const answer of answers) stub = stub.resolvesOnce({ services: [answer], failures: [] });
  stub.resolves({ services: [answers.at(-1)!], failures: [] });
}
