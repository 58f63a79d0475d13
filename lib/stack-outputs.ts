/** The orchestrator stack's outputs, by key: the CLI finds the operator API through them. */
export const STACK_OUTPUTS = {
  apiUrl: 'OperatorApiUrl',
  consoleUrl: 'ConsoleUrl',
  operatorPolicy: 'OperatorPolicyArn',
  stateMachine: 'StateMachineArn',
  table: 'ControlTableName',
  tableArn: 'ControlTableArn',
  promotionReaderRole: 'PromotionReaderRoleArn',
  finalizeFailures: 'FinalizeFailuresQueueUrl',
} as const;
