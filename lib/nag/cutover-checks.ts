import { Stack, type CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagRuleCompliance, type NagPackProps } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { CUTOVER_RULES, type Compliance } from './rules';

const COMPLIANCE: Record<Compliance, NagRuleCompliance> = {
  compliant: NagRuleCompliance.COMPLIANT,
  'non-compliant': NagRuleCompliance.NON_COMPLIANT,
  'not-applicable': NagRuleCompliance.NOT_APPLICABLE,
};

/** cdk-nag pack of cutover's invariants (lib/nag/rules.ts); findings are errors. */
export class CutoverChecks extends NagPack {
  readonly name = 'Cutover';

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'Cutover';
  }

  protected checkResource(node: CfnResource): void {
    for (const rule of CUTOVER_RULES) {
      this.applyRule({
        ruleSuffixOverride: rule.id,
        info: rule.info,
        explanation: rule.explanation,
        level: NagMessageLevel.ERROR,
        node,
        rule: (resource) => {
          const { type, properties } = resolved(resource);
          return COMPLIANCE[rule.check(type, properties)];
        },
      });
    }
  }
}

/** The resource as CloudFormation will see it (CfnResource keeps its properties internal). */
function resolved(resource: CfnResource): { type: string; properties: Record<string, unknown> } {
  const rendered = (
    resource as unknown as {
      _toCloudFormation(): { Resources: Record<string, { Properties?: Record<string, unknown> }> };
    }
  )._toCloudFormation();
  const body = Stack.of(resource).resolve(Object.values(rendered.Resources)[0]) as {
    Properties?: Record<string, unknown>;
  };
  return { type: resource.cfnResourceType, properties: body.Properties ?? {} };
}
