import { App } from 'aws-cdk-lib';
import { STEP_ENV } from '../workflow/step-environment';
import { OrchestratorStack } from '../lib/orchestrator-stack';
import type { OrchestratorConfig } from '../lib/orchestrator-config';
import type { Runbook } from '../domain/runbook/schema';
import { cachedSynthesis } from './synthesis-cache';

/** Fake ids for the intrinsics in the template; the local engine only needs well-formed ARNs. */
const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::URLSuffix': 'amazonaws.com',
};

export const LOCAL_FUNCTION_PREFIX = 'arn:aws:lambda:us-east-1:123456789012:function:cutover-';

export interface WorkflowDefinition {
  /** The state machine definition exactly as synthesized, with its intrinsics resolved. */
  readonly definition: Record<string, unknown>;
  /** Each step function's `Timeout` in seconds, as synthesized (Lambda cuts an invocation off there). */
  readonly functionTimeouts: Readonly<Partial<Record<string, number>>>;
}

export interface SynthesisOptions {
  /** The state machine to take, by its StateMachineName. @default - the cutover state machine (it has none) */
  readonly stateMachineName?: string;
  /** The runbooks the stack deploys. @default - none for the cutover state machine, else those in runbooks/ */
  readonly runbooks?: readonly Runbook[];
}

/**
 * Synthesizes the orchestrator stack (bundling skipped) and takes a state machine's definition from
 * the template — the same one AWS would run — with every Lambda ARN resolved to
 * `…:function:cutover-<step>` so a local engine can route each Task to its step. Read from the run's
 * synthesis cache when one is named (see synthesis-cache.ts).
 */
export function synthesizeWorkflowDefinition(
  config: OrchestratorConfig,
  options: SynthesisOptions = {},
): WorkflowDefinition {
  return cachedSynthesis([config, options], () => synthesize(config, options));
}

function synthesize(config: OrchestratorConfig, options: SynthesisOptions): WorkflowDefinition {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new OrchestratorStack(app, 'CutoverOrchestrator', {
    config,
    // The cutover's definition does not need the runbooks: leave them out, synthesis is faster.
    ...(options.runbooks ? { runbooks: options.runbooks } : options.stateMachineName ? {} : { runbooks: [] }),
  });
  const template = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  const machine = Object.values(template.Resources).find(
    (r) =>
      r.Type === 'AWS::StepFunctions::StateMachine' &&
      r.Properties['StateMachineName'] === options.stateMachineName,
  );
  if (!machine) {
    throw new Error(
      `the orchestrator template has no state machine ${options.stateMachineName ?? '(cutover)'}`,
    );
  }
  const text = resolve(machine.Properties['DefinitionString'], template.Resources);
  if (typeof text !== 'string') throw new Error('the state machine definition did not resolve to a string');
  return {
    definition: JSON.parse(text) as Record<string, unknown>,
    functionTimeouts: functionTimeouts(template.Resources),
  };
}

function functionTimeouts(
  resources: Record<string, { Type: string; Properties: Record<string, unknown> }>,
): Partial<Record<string, number>> {
  const timeouts: Partial<Record<string, number>> = {};
  for (const resource of Object.values(resources)) {
    const step = stepOfFunction(resource);
    // Lambda's default timeout is 3 s when the property is absent.
    if (step) timeouts[step] = (resource.Properties['Timeout'] as number | undefined) ?? 3;
  }
  return timeouts;
}

function stepOfFunction(resource: { Type: string; Properties: Record<string, unknown> } | undefined) {
  if (resource?.Type !== 'AWS::Lambda::Function') return undefined;
  const variables = (resource.Properties['Environment'] as { Variables?: Record<string, string> } | undefined)
    ?.Variables;
  return variables?.[STEP_ENV.step];
}

function resolve(
  value: unknown,
  resources: Record<string, { Type: string; Properties: Record<string, unknown> }>,
): unknown {
  if (typeof value === 'string' || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => resolve(item, resources));
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolve(part, resources)).join(separator);
  }
  if ('Ref' in object) {
    const ref = object['Ref'] as string;
    const pseudo = PSEUDO[ref];
    if (pseudo) return pseudo;
    throw new Error(`cannot resolve Ref ${ref} locally`);
  }
  if ('Fn::GetAtt' in object) {
    const [logicalId, attribute] = object['Fn::GetAtt'] as [string, string];
    return functionArn(logicalId, attribute, resources);
  }
  throw new Error(`cannot resolve ${Object.keys(object).join(', ')} locally`);
}

function functionArn(
  logicalId: string,
  attribute: string,
  resources: Record<string, { Type: string; Properties: Record<string, unknown> }>,
): string {
  const step = stepOfFunction(resources[logicalId]);
  if (attribute !== 'Arn' || !step) {
    throw new Error(`cannot resolve ${logicalId}.${attribute} locally: not a workflow step function`);
  }
  return `${LOCAL_FUNCTION_PREFIX}${step}`;
}
