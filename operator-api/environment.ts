/** What the stack tells the operator API's function. */
export const OPERATOR_ENV = {
  stateMachineArn: 'CUTOVER_STATE_MACHINE_ARN',
  controlTable: 'CUTOVER_CONTROL_TABLE',
  cognitoDomain: 'CUTOVER_COGNITO_DOMAIN',
  cognitoClientId: 'CUTOVER_COGNITO_CLIENT_ID',
} as const;
