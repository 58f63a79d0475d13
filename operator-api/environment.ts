/** What the stack tells the operator API's function. */
export const OPERATOR_ENV = {
  stateMachineArn: 'CUTOVER_STATE_MACHINE_ARN',
  controlTable: 'CUTOVER_CONTROL_TABLE',
  cognitoDomain: 'CUTOVER_COGNITO_DOMAIN',
  cognitoClientId: 'CUTOVER_COGNITO_CLIENT_ID',
  /** The environments, lowest first, comma-separated; set only with `environment`. */
  environments: 'CUTOVER_ENVIRONMENTS',
  /** This orchestrator's environment; unset when it serves no promotion order. */
  environment: 'CUTOVER_ENVIRONMENT',
  /** The environment below's control table and the role there that may read its promotion records. */
  promotionTableArn: 'CUTOVER_PROMOTION_TABLE_ARN',
  promotionRoleArn: 'CUTOVER_PROMOTION_ROLE_ARN',
} as const;

/** A variable the function cannot run without. */
export function required(variables: NodeJS.ProcessEnv, name: string): string {
  const value = variables[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
