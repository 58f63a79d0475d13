import { InputError } from '../../domain/errors';
import { showValue } from '../../domain/safe-text';

/** Faults a rehearsal can inject to prove the rollback path, each with one optional parameter. */
export const FAULTS = {
  'green-unhealthy': 'green starts failing (every request 500) at shift step N (default 2)',
  'green-slow': 'green answers N ms over its latency budget from shift step 2 (default 2000 ms)',
  'replication-stalled':
    'the subscription stops once traffic is all on green, before the database switchover',
  'router-throttled':
    'the traffic API throttles the next N weight changes (default 3); retried, the cutover completes',
  'step-crash': "the named state's step throws once, e.g. step-crash:SetWeights",
  'data-drift': 'a row differs on green only, so verification fails before the switchover',
  'green-fails-to-start':
    "green's new tasks exit as they start (deploy: ecs), so the deployment fails like ECS's circuit breaker",
} as const;

export type FaultName = keyof typeof FAULTS;

export interface Fault {
  readonly name: FaultName;
  readonly parameter?: string;
}

/** What each fault's parameter may be; a fault without an entry takes none. */
const PARAMETERS: Partial<Record<FaultName, { readonly pattern: RegExp; readonly expected: string }>> = {
  'green-unhealthy': { pattern: /^[1-9]\d{0,2}$/, expected: 'a shift step number from 1' },
  'green-slow': { pattern: /^[1-9]\d{0,5}$/, expected: 'a whole number of milliseconds from 1 to 999999' },
  'router-throttled': { pattern: /^[1-9]\d{0,1}$/, expected: 'a whole number of changes from 1 to 99' },
  'step-crash': { pattern: /^[A-Za-z][A-Za-z0-9]{0,79}$/, expected: 'a Task state name, e.g. SetWeights' },
};

/** Parses `name[:parameter]`; errors name the argument and list what is accepted. */
export function parseFault(text: string): Fault {
  const [name = '', ...rest] = text.split(':');
  const parameter = rest.join(':');
  const shown = showValue(text);
  // Own properties only: "toString" or "__proto__" are names every object answers to, not faults.
  if (!Object.hasOwn(FAULTS, name)) {
    throw new InputError(
      `--fault ${shown}: unknown fault; expected one of ${Object.keys(FAULTS).join(', ')}`,
    );
  }
  const fault = { name: name as FaultName, ...(parameter ? { parameter } : {}) };
  const rule = PARAMETERS[fault.name];
  if (!rule) {
    if (rest.length > 0) throw new InputError(`--fault ${shown}: ${fault.name} takes no parameter`);
    return fault;
  }
  if (fault.name === 'step-crash' && !parameter) {
    throw new InputError('--fault step-crash needs a state name, e.g. step-crash:SetWeights');
  }
  if (rest.length > 0 && !rule.pattern.test(parameter)) {
    throw new InputError(`--fault ${shown}: the parameter must be ${rule.expected}`);
  }
  return fault;
}

export function faultNumber(fault: Fault, fallback: number): number {
  return fault.parameter ? Number(fault.parameter) : fallback;
}

/** The states `step-crash` faults name. */
export function crashStates(faults: readonly Fault[]): string[] {
  return faults.filter((f) => f.name === 'step-crash').map((f) => f.parameter ?? '');
}

/** Refuses a fault that names a shift step the plan does not have, or a deploy it has not (it would never fire). */
export function checkFaultsFitPlan(faults: readonly Fault[], stepCount: number, deployKind: string): void {
  for (const fault of faults) {
    if (fault.name === 'green-fails-to-start' && deployKind !== 'ecs') {
      throw new InputError(
        `--fault green-fails-to-start: the plan deploys with kind "${deployKind}"; this fault needs deploy kind "ecs"`,
      );
    }
    if (fault.name === 'green-unhealthy' && fault.parameter && Number(fault.parameter) > stepCount) {
      throw new InputError(
        `--fault green-unhealthy:${fault.parameter}: the plan has ${stepCount} shift step(s); name one from 1 to ${stepCount}`,
      );
    }
  }
}
