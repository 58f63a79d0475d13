import {
  noWildcardActions,
  stateMachineObservableWithoutTokens,
  storageEncrypted,
} from '../../lib/nag/rules';

const policy = (...actions: (string | string[])[]) => ({
  PolicyDocument: { Statement: actions.map((Action) => ({ Effect: 'Allow', Action, Resource: '*' })) },
});

describe('CUT1 no wildcard actions', () => {
  it('passes a policy that names every action', () => {
    expect(
      noWildcardActions.check(
        'AWS::IAM::Policy',
        policy('route53:GetChange', ['dynamodb:GetItem', 'dynamodb:PutItem']),
      ),
    ).toBe('compliant');
  });
  it.each(['*', 's3:*', 'route53:Change*'])('fails when a statement allows %s', (action) => {
    expect(noWildcardActions.check('AWS::IAM::Policy', policy('sns:Publish', action))).toBe('non-compliant');
  });
  it('fails when a role’s inline policy uses NotAction', () => {
    const role = {
      Policies: [{ PolicyDocument: { Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] } }],
    };
    expect(noWildcardActions.check('AWS::IAM::Role', role)).toBe('non-compliant');
  });
  it('ignores other resources', () => {
    expect(noWildcardActions.check('AWS::SNS::Topic', {})).toBe('not-applicable');
  });
});

describe('CUT2 state machine observable without task tokens in logs', () => {
  const machine = (level: string, includeExecutionData: boolean, tracing: boolean) => ({
    LoggingConfiguration: { Level: level, IncludeExecutionData: includeExecutionData },
    TracingConfiguration: { Enabled: tracing },
  });
  it('passes level ALL, no execution data, X-Ray on', () => {
    expect(
      stateMachineObservableWithoutTokens.check(
        'AWS::StepFunctions::StateMachine',
        machine('ALL', false, true),
      ),
    ).toBe('compliant');
  });
  it.each([
    ['logs only errors', machine('ERROR', false, true)],
    ['logs execution data (task tokens)', machine('ALL', true, true)],
    ['has no X-Ray', machine('ALL', false, false)],
    ['has no logging at all', {}],
  ])('fails when it %s', (_what, properties) => {
    expect(stateMachineObservableWithoutTokens.check('AWS::StepFunctions::StateMachine', properties)).toBe(
      'non-compliant',
    );
  });
});

describe('CUT3 storage encrypted', () => {
  it('passes a KMS-encrypted table and topic', () => {
    expect(
      storageEncrypted.check('AWS::DynamoDB::GlobalTable', { SSESpecification: { SSEEnabled: true } }),
    ).toBe('compliant');
    expect(storageEncrypted.check('AWS::SNS::Topic', { KmsMasterKeyId: 'alias/aws/sns' })).toBe('compliant');
  });
  it('fails an unencrypted table or topic', () => {
    expect(storageEncrypted.check('AWS::DynamoDB::Table', {})).toBe('non-compliant');
    expect(storageEncrypted.check('AWS::SNS::Topic', {})).toBe('non-compliant');
  });
});
