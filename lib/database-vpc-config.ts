import * as z from 'zod';
import { contextIssue } from './context-values';

/** cdk.json context key: the VPC the database steps run in. */
export const DATABASE_VPC_CONTEXT = 'cutover:databaseVpc';

const id = (prefix: string, what: string) =>
  z
    .string()
    .regex(
      new RegExp(`^${prefix}-[0-9a-f]{8,17}$`),
      `expected ${what} id such as "${prefix}-0123456789abcdef0"`,
    );

const databaseVpcSchema = z
  .strictObject({
    vpcId: id('vpc', 'a VPC'),
    /** Private subnets that reach the database, one per availability zone (named, so synth needs no lookup). */
    subnets: z
      .array(
        z.strictObject({
          subnetId: id('subnet', 'a subnet'),
          availabilityZone: z
            .string()
            .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d[a-z]$/, 'expected a zone such as "eu-west-1a"'),
          /** The subnet's route table: the DynamoDB gateway endpoint is added to it. */
          routeTableId: id('rtb', 'a route table').optional(),
        }),
      )
      .min(1, 'expected at least one subnet'),
    /** The steps' security group: it must allow outbound 443 and the database port. */
    securityGroupId: id('sg', 'a security group'),
    /**
     * Create VPC endpoints for the AWS APIs the database steps call. false: the subnets reach AWS through
     * a NAT (which Route 53 needs anyway: it has no VPC endpoint) or through endpoints the VPC already has.
     */
    endpoints: z.boolean().default(false),
  })
  .superRefine((vpc, context) => {
    const zones = vpc.subnets.map((subnet) => subnet.availabilityZone);
    const twice = zones.find((zone, index) => zones.indexOf(zone) !== index);
    if (twice) {
      context.addIssue({
        code: 'custom',
        path: ['subnets'],
        message: `two subnets in ${twice}; a VPC endpoint takes one subnet per availability zone`,
      });
    }
    const missing = vpc.subnets.findIndex((subnet) => !subnet.routeTableId);
    if (vpc.endpoints && missing >= 0) {
      context.addIssue({
        code: 'custom',
        path: ['subnets', missing, 'routeTableId'],
        message:
          'required with "endpoints": true (the DynamoDB gateway endpoint is added to this route table)',
      });
    }
  });

export type DatabaseVpcConfig = z.infer<typeof databaseVpcSchema>;

/** The database VPC from cdk.json context; undefined when the database steps run outside any VPC. */
export function parseDatabaseVpc(value: unknown): DatabaseVpcConfig | undefined {
  if (value === undefined) return undefined;
  const parsed = databaseVpcSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  // One line: the first problem, with the path inside the context value.
  throw new Error(contextIssue(DATABASE_VPC_CONTEXT, parsed.error.issues[0]!));
}
