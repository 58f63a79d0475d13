#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseAllowedRecords } from '../lib/allowed-records';
import { OrchestratorStack } from '../lib/orchestrator-stack';

const app = new App();
new OrchestratorStack(app, 'CutoverOrchestrator', {
  allowedZones: parseAllowedRecords(app.node.tryGetContext('cutover:allowedRecords')),
  description: 'cutover: Step Functions orchestrator for zero-downtime migrations',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
