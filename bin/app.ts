#!/usr/bin/env node
import { cutoverApp } from '../lib/cutover-app';
import { OrchestratorStack } from '../lib/orchestrator-stack';
import { readOrchestratorConfig } from '../lib/orchestrator-config';
import { readEnvironments } from '../lib/platform/environments';
import { addPlatformStages } from '../lib/platform/platform-stages';

const app = cutoverApp();
new OrchestratorStack(app, 'CutoverOrchestrator', {
  config: readOrchestratorConfig(app.node),
  description: 'cutover: Step Functions orchestrator for zero-downtime migrations',
});
addPlatformStages(app, readEnvironments(app.node));
