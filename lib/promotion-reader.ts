import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ACCOUNT_ID } from './iam-arns';
import { STACK_OUTPUTS } from './stack-outputs';
import { Needs } from '../workflow/access';
import { accessStatements } from './step-permissions';

export interface PromotionReaderProps {
  /** The control table whose `PROMOTION#<digest>` items record this environment's outcomes. */
  readonly table: TableV2;
  /** Who may assume the role: 12-digit account ids (their IAM then decides who) or role ARNs. */
  readonly readers: readonly string[];
}

/**
 * The role the environment above assumes to check that a plan completed here: it may Query the control
 * table's promotion records (execution, outcome, time by plan digest) and nothing else. A role rather than a
 * table resource policy: the table is encrypted with the AWS-managed key, which cannot be shared across accounts.
 */
export class PromotionReader extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PromotionReaderProps) {
    super(scope, id);
    if (props.readers.length === 0) {
      throw new Error(`${this.node.path}: readers is empty; name the accounts or roles that may read`);
    }
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.CompositePrincipal(
        ...props.readers.map((reader) =>
          ACCOUNT_ID.test(reader) ? new iam.AccountPrincipal(reader) : new iam.ArnPrincipal(reader),
        ),
      ),
      maxSessionDuration: Duration.hours(1),
      description: 'cutover: the environment above reads which plans completed here (promotion order)',
    });
    for (const access of Needs.readPromotions) {
      for (const statement of accessStatements(access, [props.table.tableArn]))
        this.role.addToPolicy(statement);
    }
    new CfnOutput(Stack.of(this), STACK_OUTPUTS.promotionReaderRole, {
      value: this.role.roleArn,
      description: 'for the environment above: its cutover:promotionSource.roleArn',
    });
  }
}
