/**
 * cutover's own invariants, as small pure rules over a CloudFormation resource (type and resolved
 * properties). CutoverChecks applies them at synth, next to cdk-nag's AwsSolutions pack.
 */
export type Compliance = 'compliant' | 'non-compliant' | 'not-applicable';

export interface ResourceRule {
  readonly id: string;
  readonly info: string;
  readonly explanation: string;
  check(type: string, properties: Record<string, unknown>): Compliance;
}

interface Statement {
  readonly Action?: string | readonly string[];
  readonly NotAction?: unknown;
}

function statementsOf(type: string, properties: Record<string, unknown>): Statement[] | undefined {
  const documents: unknown[] = [];
  if (type === 'AWS::IAM::Policy' || type === 'AWS::IAM::ManagedPolicy')
    documents.push(properties['PolicyDocument']);
  else if (type === 'AWS::IAM::Role') {
    for (const policy of (properties['Policies'] as { PolicyDocument?: unknown }[] | undefined) ?? [])
      documents.push(policy.PolicyDocument);
  } else return undefined;
  return documents.flatMap(
    (document) => (document as { Statement?: Statement[] } | undefined)?.Statement ?? [],
  );
}

export const noWildcardActions: ResourceRule = {
  id: 'CUT1',
  info: 'An IAM statement allows a wildcard action (or uses NotAction).',
  explanation: 'Every permission names its actions: a wildcard action grows with every API AWS adds.',
  check(type, properties) {
    const statements = statementsOf(type, properties);
    if (!statements) return 'not-applicable';
    const wildcard = statements.some(
      (s) => s.NotAction !== undefined || [s.Action ?? []].flat().some((action) => action.includes('*')),
    );
    return wildcard ? 'non-compliant' : 'compliant';
  },
};

export const stateMachineObservableWithoutTokens: ResourceRule = {
  id: 'CUT2',
  info: 'A state machine does not log ALL events with X-Ray tracing, or logs execution data.',
  explanation:
    'Every step must be visible in logs and traces, but inputs carry task tokens, which must never reach a log.',
  check(type, properties) {
    if (type !== 'AWS::StepFunctions::StateMachine') return 'not-applicable';
    const logging = properties['LoggingConfiguration'] as
      { Level?: string; IncludeExecutionData?: boolean } | undefined;
    const tracing = properties['TracingConfiguration'] as { Enabled?: boolean } | undefined;
    const ok = logging?.Level === 'ALL' && logging.IncludeExecutionData !== true && tracing?.Enabled === true;
    return ok ? 'compliant' : 'non-compliant';
  },
};

export const storageEncrypted: ResourceRule = {
  id: 'CUT3',
  info: 'A table or topic is not encrypted at rest with KMS.',
  explanation:
    'The control table holds task tokens and the topic carries cutover causes: both are encrypted with KMS.',
  check(type, properties) {
    if (type === 'AWS::DynamoDB::Table' || type === 'AWS::DynamoDB::GlobalTable') {
      const sse = properties['SSESpecification'] as { SSEEnabled?: boolean } | undefined;
      return sse?.SSEEnabled === true ? 'compliant' : 'non-compliant';
    }
    if (type === 'AWS::SNS::Topic') return properties['KmsMasterKeyId'] ? 'compliant' : 'non-compliant';
    return 'not-applicable';
  },
};

export const CUTOVER_RULES: readonly ResourceRule[] = [
  noWildcardActions,
  stateMachineObservableWithoutTokens,
  storageEncrypted,
];
