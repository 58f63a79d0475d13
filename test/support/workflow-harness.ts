import { LocalTaskCallbacks } from '../../adapters/local/local-task-callbacks';
import { LocalWeightedRouter } from '../../adapters/local/local-weighted-router';
import { MemoryControlSignals } from '../../adapters/local/memory-control-signals';
import { MemoryJournal } from '../../adapters/local/memory-journal';
import { MemoryMigrationLock } from '../../adapters/local/memory-migration-lock';
import type { ProbeOutcome } from '../../domain/health/verdict';
import { validatePlan } from '../../domain/plan/validate';
import type { Plan, PlanInput } from '../../domain/plan/schema';
import type { Weights } from '../../domain/traffic/weights';
import { synthesizeWorkflowDefinition, type WorkflowDefinition } from '../../local/workflow-definition';
import {
  startLocalExecution,
  type LocalExecutionOptions,
  type LocalExecutionResult,
  type LocalPorts,
} from '../../local/workflow-runner';
import type { DeploymentStatus } from '../../ports/deployer';
import { FakeDatabase } from './fake-database';

export const ZONE = 'Z0EXAMPLEPUBLIC';
export const PRIVATE_ZONE = 'Z0EXAMPLEPRIVATE';
const RECORD = 'app.example.com';

let workflow: WorkflowDefinition | undefined;

/** The state machine definition (and function timeouts) as synthesized from the stack, once per test file. */
export function workflowDefinition(): WorkflowDefinition {
  workflow ??= synthesizeWorkflowDefinition({
    allowedZones: [
      { hostedZoneId: ZONE, recordNames: [RECORD] },
      { hostedZoneId: PRIVATE_ZONE, recordNames: ['db.internal.example.com'] },
    ],
    databaseSecretArns: [],
    deployStacks: [],
  });
  return workflow;
}

/** A fast plan: three steps, TTL 0, 300 ms bakes probed every 50 ms; a PostgreSQL switchover when asked. */
export function fastPlan(options: { database?: boolean } = {}): PlanInput {
  return {
    name: 'scenario',
    dns: {
      records: [
        {
          hostedZoneId: ZONE,
          name: RECORD,
          type: 'CNAME',
          ttl: 0,
          blue: { setIdentifier: 'blue', values: ['blue.example.com'] },
          green: { setIdentifier: 'green', values: ['green.example.com'] },
        },
      ],
    },
    health: {
      probes: [{ kind: 'http', url: 'http://green.example.com/healthz' }],
      interval: '50ms',
      failureThreshold: 3,
      inconclusiveLimit: 3,
    },
    traffic: { steps: [10, 50, 100], bake: '300ms', decisionTimeout: '1s' },
    ...(options.database
      ? {
          database: {
            kind: 'postgres-logical',
            source: { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:blue-AbCdEf' },
            target: { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:green-GhIjKl' },
            publication: 'cutover',
            subscription: 'cutover',
            endpoint: {
              hostedZoneId: PRIVATE_ZONE,
              name: 'db.internal.example.com',
              ttl: 0,
              blue: 'pg-blue.internal',
              green: 'pg-green.internal',
            },
            maxLagBytes: 1024,
            maxWriteFreeze: '2s',
            catchUpTimeout: '1s',
            verify: { tables: ['orders'] },
            approval: 'none',
            approvalTimeout: '1s',
          },
        }
      : {}),
  } as PlanInput;
}

export type HealthScript = (greenPercent: number) => ProbeOutcome;

/** A local platform for one scenario: every port in memory, behaviour scripted by the test. */
export class Scenario {
  readonly router: LocalWeightedRouter;
  readonly lock = new MemoryMigrationLock();
  readonly control = new MemoryControlSignals();
  readonly callbacks = new LocalTaskCallbacks();
  readonly journal = new MemoryJournal();
  readonly database = new FakeDatabase();
  /** Every weight pair the record was set to, in order. */
  readonly weightHistory: Weights[] = [];
  health: HealthScript = () => 'healthy';
  deployStatus: DeploymentStatus = { state: 'complete' };
  /** Runs inside the deploy step before it answers (e.g. to outlast the function timeout). */
  deployWork: () => Promise<void> = async () => undefined;
  readonly plan: Plan;
  readonly ports: LocalPorts;

  constructor(
    input: PlanInput,
    readonly execution = 'scenario-1',
    propagationMs = 0,
  ) {
    this.router = new LocalWeightedRouter({ propagationMs });
    this.plan = validatePlan(input).plan;
    for (const record of this.plan.dns.records) this.router.addRecord(record);
    const db = this.plan.database;
    if (db.kind === 'postgres-logical') this.router.addEndpoint(db.endpoint, db.endpoint.blue);
    const setWeights = this.router.setWeights.bind(this.router);
    const router = Object.assign(Object.create(this.router) as LocalWeightedRouter, {
      setWeights: async (...args: Parameters<LocalWeightedRouter['setWeights']>) => {
        this.weightHistory.push(args[1]);
        return setWeights(...args);
      },
    });
    this.ports = {
      traffic: router,
      lock: this.lock,
      control: this.control,
      callbacks: this.callbacks,
      notifier: this.journal,
      audit: this.journal,
      allowedZones: [
        { hostedZoneId: ZONE, recordNames: [RECORD] },
        { hostedZoneId: PRIVATE_ZONE, recordNames: ['db.internal.example.com'] },
      ],
      now: () => new Date(),
      healthProbes: () => [
        {
          name: 'scripted',
          check: async () => ({
            probe: 'scripted',
            outcome: this.health(this.greenPercent()),
            detail: `at ${this.greenPercent()} % green`,
          }),
        },
      ],
      deployer: () => ({
        start: async () => {
          await this.deployWork();
          return this.deployStatus;
        },
        status: async () => this.deployStatus,
      }),
      database: async () => this.database.ports(),
    };
  }

  greenPercent(): number {
    return this.router.served(ZONE, RECORD)?.green ?? 0;
  }

  weights(): Weights | undefined {
    return this.router.served(ZONE, RECORD);
  }

  endpoint(): string | undefined {
    return this.router.resolveEndpoint(PRIVATE_ZONE, 'db.internal.example.com');
  }

  lockHolder(): string | undefined {
    return this.lock.holder({ hostedZoneId: ZONE, recordName: RECORD });
  }

  start(options: Partial<LocalExecutionOptions> = {}): {
    executionArn: string;
    result: Promise<LocalExecutionResult>;
  } {
    return startLocalExecution({
      workflow: workflowDefinition(),
      ports: this.ports,
      plan: this.plan,
      executionName: this.execution,
      watchEveryMs: 10,
      ...options,
    });
  }

  run(options: Partial<LocalExecutionOptions> = {}): Promise<LocalExecutionResult> {
    return this.start(options).result;
  }
}

/** Polls until `condition` holds (for acting in the middle of a run), failing after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Makes `target[method]` throw the given errors on its next calls (optionally only once `when` holds), then behave. */
export function injectFailures<T extends object, K extends keyof T>(
  target: T,
  method: K,
  errors: Error[],
  when: () => boolean = () => true,
): void {
  const original = target[method] as (...args: unknown[]) => Promise<unknown>;
  const queue = [...errors];
  target[method] = (async (...args: unknown[]) => {
    if (queue.length > 0 && when()) throw queue.shift();
    return original.apply(target, args);
  }) as T[K];
}

export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** A scenario with a database whose switchover waits for an operator's approval. */
export function withApproval(): Scenario {
  const plan = fastPlan({ database: true });
  if (plan.database?.kind === 'postgres-logical') plan.database.approval = 'required';
  return new Scenario(plan);
}
