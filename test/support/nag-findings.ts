import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CutoverChecks } from '../../lib/nag/cutover-checks';

/** cdk-nag AwsSolutions and cutover's own findings in a scope, one line per rule: [] when clean. */
export function nagFindings(scope: IConstruct): string[] {
  return [new AwsSolutionsChecks(), new CutoverChecks()].flatMap((pack) =>
    pack
      .validateScope(scope)
      .violations.map(
        (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`,
      ),
  );
}
