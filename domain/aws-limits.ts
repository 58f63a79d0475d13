/**
 * Limits AWS enforces at run time, which no local test can discover. A plan is held to them before it
 * reaches AWS, so that nothing fails mid-cutover where the rollback path cannot catch it.
 */

/**
 * Step Functions: a Task's `TimeoutSeconds` (or the value `TimeoutSecondsPath` selects) must be a
 * positive integer, at most 99,999,999.
 * Source: https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
 */
export const TASK_TIMEOUT_MIN_SECONDS = 1;
export const TASK_TIMEOUT_MAX_SECONDS = 99_999_999;

/**
 * The cutover state machine's own `TimeoutSeconds` (lib/cutover-state-machine.ts): long enough for
 * bakes and an overnight decision, and a plan whose worst case is longer is refused. Step Functions
 * allows a Standard execution up to one year.
 * Source: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
export const EXECUTION_TIMEOUT_SECONDS = 14 * 86_400;

/**
 * Step Functions: an execution's input, and every state's input and output, is at most 256 KiB of
 * UTF-8. The plan rides in the execution input, so a plan file larger than this cannot run.
 * Source: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
export const PAYLOAD_MAX_BYTES = 256 * 1024;

/**
 * Route 53: a record value is at most 4,000 characters, and every type but CNAME (and SOA) may have
 * several values. A domain name is at most 255 octets on the wire: 253 characters written out, in
 * labels of at most 63.
 * Source: https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecord.html,
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html
 */
export const ROUTE53_VALUE_MAX_CHARACTERS = 4000;
export const DNS_NAME_MAX_CHARACTERS = 253;
export const DNS_LABEL_MAX_CHARACTERS = 63;

/**
 * RDS Blue/Green: `SwitchoverTimeout` is 30 to 3,600 seconds.
 * Source: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_SwitchoverBlueGreenDeployment.html
 */
export const RDS_SWITCHOVER_TIMEOUT_MIN_SECONDS = 30;
export const RDS_SWITCHOVER_TIMEOUT_MAX_SECONDS = 3600;

/**
 * CloudFormation: a stack has at most 200 parameters; a parameter value is at most 4,096 bytes.
 * Source: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
export const CLOUDFORMATION_MAX_PARAMETERS = 200;
export const CLOUDFORMATION_PARAMETER_VALUE_MAX_BYTES = 4096;

/** JavaScript dates end at ±8.64e15 ms from the epoch; a later instant is "Invalid time value". */
export const LATEST_DATE_MS = 8.64e15;
