import type { Template } from 'aws-cdk-lib/assertions';

export interface PolicyStatementJson {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** The policy statements of one step's role in a synthesized orchestrator template. */
export function stepRoleStatements(template: Template, step: string): PolicyStatementJson[] {
  const roles = template.findResources('AWS::IAM::Role', {
    Properties: { Description: `cutover step ${step}` },
  });
  const roleId = Object.keys(roles)[0]!;
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: never[] } } }).Properties.PolicyDocument.Statement,
  );
}
