#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CutoverChecks } from '../lib/nag/cutover-checks';
import { OrchestratorStack } from '../lib/orchestrator-stack';
import { readOrchestratorConfig } from '../lib/orchestrator-config';

const app = new App();
new OrchestratorStack(app, 'CutoverOrchestrator', {
  config: readOrchestratorConfig(app.node),
  description: 'cutover: Step Functions orchestrator for zero-downtime migrations',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CutoverChecks(app));
