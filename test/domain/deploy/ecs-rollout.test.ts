import {
  deployingRevision,
  previousTaskDefinition,
  resumedRollout,
  rolloutStatus,
  withImage,
} from '../../../domain/deploy/ecs-rollout';

const TARGET = { service: 'orders-green', container: 'app', image: 'orders:2.0.0' };
const SERVICE = { taskDefinition: 'orders-green:8', latestEvent: undefined };

describe('ecs rollout', () => {
  it.each([
    [{ id: 'd8', status: 'PRIMARY', rolloutState: 'COMPLETED' }, { state: 'complete' }],
    [
      { id: 'd8', status: 'ACTIVE', rolloutState: 'COMPLETED' },
      { state: 'failed', reason: 'deployment d8 was replaced by a newer deployment' },
    ],
    [
      { id: 'd8', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', runningCount: 1, desiredCount: 3 },
      { state: 'in_progress', reason: '1/3 tasks running' },
    ],
    [
      { id: 'd8', status: 'ACTIVE', rolloutState: 'FAILED' },
      {
        state: 'failed',
        reason: 'ECS deployment d8 of orders:2.0.0 failed: no reason given (0 tasks failed)',
      },
    ],
    [
      undefined,
      {
        state: 'failed',
        reason: 'no deployment of orders:2.0.0 on service orders-green (it runs orders-green:8)',
      },
    ],
  ])('reads %j as %j', (rollout, status) => {
    expect(rolloutStatus(rollout, TARGET, SERVICE)).toEqual(status);
  });

  it('replaces the image of the named container only', () => {
    const containers = [
      { name: 'app', image: 'orders:1.9.0', essential: true },
      { name: 'sidecar', image: 'envoy:1' },
    ];
    expect(withImage(containers, TARGET)).toEqual([
      { name: 'app', image: 'orders:2.0.0', essential: true },
      { name: 'sidecar', image: 'envoy:1' },
    ]);
  });

  it('finds what a retried start replaced in the deployment still running it', () => {
    const rollouts = [
      { status: 'PRIMARY', taskDefinition: 'orders-green:8' },
      { status: 'ACTIVE', taskDefinition: 'orders-green:7' },
    ];
    expect(previousTaskDefinition(rollouts, 'orders-green:8')).toBe('orders-green:7');
    expect(previousTaskDefinition(rollouts.slice(0, 1), 'orders-green:8')).toBeUndefined();
  });

  it('starts a new revision in progress, undone by going back to the one it replaced', () => {
    expect(deployingRevision('orders-green:7', 'orders-green:8', TARGET)).toEqual({
      state: 'in_progress',
      reason: 'deploying orders-green:8',
      changes: ['service orders-green: orders-green:7 → orders-green:8 (app: orders:2.0.0)'],
      rollbackTo: 'orders-green:7',
    });
  });

  it('resumes a retried start with what it replaced, when a deployment still runs it', () => {
    const status = { state: 'in_progress', reason: '1/3 tasks running' } as const;
    const rollouts = [
      { status: 'PRIMARY', taskDefinition: 'orders-green:8' },
      { status: 'ACTIVE', taskDefinition: 'orders-green:7' },
    ];
    expect(resumedRollout(status, rollouts, 'orders-green:8')).toEqual({
      ...status,
      rollbackTo: 'orders-green:7',
    });
    expect(resumedRollout(status, rollouts.slice(0, 1), 'orders-green:8')).toEqual(status);
  });
});
