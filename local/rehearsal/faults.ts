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
} as const;

export type FaultName = keyof typeof FAULTS;

export interface Fault {
  readonly name: FaultName;
  readonly parameter?: string;
}

/** Parses `name[:parameter]`; errors name the argument and list what is accepted. */
export function parseFault(text: string): Fault {
  const [name, ...rest] = text.split(':');
  const parameter = rest.join(':');
  if (!name || !(name in FAULTS)) {
    throw new Error(
      `--fault ${JSON.stringify(text)}: unknown fault; expected one of ${Object.keys(FAULTS).join(', ')}`,
    );
  }
  const fault = { name: name as FaultName, ...(parameter ? { parameter } : {}) };
  if (fault.name === 'step-crash' && !parameter)
    throw new Error('--fault step-crash needs a state name, e.g. step-crash:SetWeights');
  if (
    ['green-unhealthy', 'green-slow', 'router-throttled'].includes(fault.name) &&
    parameter &&
    !/^\d+$/.test(parameter)
  ) {
    throw new Error(`--fault ${text}: the parameter must be a whole number`);
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
