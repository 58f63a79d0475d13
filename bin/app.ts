#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CutoverChecks } from '../lib/nag/cutover-checks';
import { OrchestratorStack } from '../lib/orchestrator-stack';
import { readOrchestratorConfig } from '../lib/orchestrator-config';
import { readEnvironments } from '../lib/platform/environments';
import { addPlatformStages } from '../lib/platform/platform-stages';

const app = new App();
new OrchestratorStack(app, 'CutoverOrchestrator', {
  config: readOrchestratorConfig(app.node),
  description: 'cutover: Step Functions orchestrator for zero-downtime migrations',
});
addPlatformStages(app, readEnvironments(app.node));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CutoverChecks(app));
