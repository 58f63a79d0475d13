import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalContainer, LocalTask, LocalTaskDefinition } from '../../adapters/local/local-ecs-service';
import type { Plan } from '../../domain/plan/schema';
import {
  startSampleApp,
  type SampleApp,
  type SampleAppFault,
  type SampleAppProps,
  type SampleAppStats,
} from '../sample-app/start-sample-app';

const HEALTH_PATH = '/healthz';
const HEALTH_ATTEMPTS = 5;
const HEALTH_TIMEOUT_MS = 2000;
const NO_STATS: SampleAppStats = { longestWriteStallMs: 0, writeStalls: [], writes: 0, reads: 0, retries: 0 };

/** Green's service as the plan names it (`deploy: ecs`), or the rehearsal's own names. */
export function greenServiceNames(plan: Plan): {
  cluster: string;
  service: string;
  family: string;
  containers: LocalContainer[];
} {
  const deploy = plan.deploy.kind === 'ecs' ? plan.deploy : undefined;
  const service = deploy?.service ?? 'green';
  return {
    cluster: deploy?.cluster ?? 'rehearsal',
    service,
    family: service,
    containers: [{ name: deploy?.container ?? 'app', image: 'rehearsal/sample-app:current' }],
  };
}

/**
 * The green app at its one address: each task of green's service is a sample app process on the same
 * port, named after its revision (its health check answers it). Faults set on green apply to the task
 * running now and to the next ones.
 */
export class GreenApp {
  readonly url: string;
  private running: SampleApp | undefined;
  private fault: SampleAppFault = {};
  private startFault: string | undefined;

  constructor(
    private readonly port: number,
    private readonly props: Omit<SampleAppProps, 'side' | 'port' | 'revision' | 'exitAtStart'>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  /** From now on, green's tasks exit as they start (a broken image), with this message. */
  failStarts(message: string): void {
    this.startFault = message;
  }

  async launch(definition: LocalTaskDefinition): Promise<LocalTask> {
    const app = await startSampleApp({
      ...this.props,
      side: 'green',
      port: this.port,
      revision: definition.arn,
      ...(this.startFault ? { exitAtStart: this.startFault } : {}),
    });
    try {
      await answersHealthCheck(app.url, definition.arn);
      if (Object.keys(this.fault).length > 0) await app.setFault(this.fault);
    } catch (error) {
      await app.stop();
      throw error;
    }
    this.running = app;
    return {
      stop: async () => {
        if (this.running === app) this.running = undefined;
        await app.stop();
      },
    };
  }

  async setFault(fault: SampleAppFault): Promise<void> {
    this.fault = fault;
    await this.running?.setFault(fault);
  }

  /** The running task's figures; none before green is deployed. */
  async stats(): Promise<SampleAppStats> {
    return this.running ? this.running.stats() : NO_STATS;
  }
}

/** Healthy once the health path answers 200 for this revision (not an older task on the same port). */
async function answersHealthCheck(url: string, revision: string): Promise<void> {
  let last = '';
  for (let attempt = 1; attempt <= HEALTH_ATTEMPTS; attempt++) {
    try {
      const response = await fetch(`${url}${HEALTH_PATH}`, {
        signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
      });
      const body = (await response.json()) as { revision?: unknown };
      if (response.status === 200 && body.revision === revision) return;
      last = `${HEALTH_PATH} answered ${response.status} for ${String(body.revision)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(100 * attempt);
  }
  throw new Error(`the health check of ${revision} failed: ${last}`);
}
